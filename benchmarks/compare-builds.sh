#!/usr/bin/env bash
# Two builds of hotpool in one run: a base revision against the working tree, alternated, on one nginx.
#
#   benchmarks/compare-builds.sh <base-rev> [options]
#
#   <base-rev>            any git revision (d0d3380, main~2, a tag): checked out in a temporary git worktree under
#                         ${TMPDIR:-/tmp} and built there with its own benchmarks module; "new" is this working tree
#                         (committed or not), built here. Each build's harness and JMH classes are compiled against it.
#   --new=REV             measure REV instead of the working tree (built in a second temporary worktree)
#   --rounds=4            load rounds: odd rounds run base then new, even rounds new then base; each run is a JVM of
#                         its own with one client, so it measures one build
#   --clients=hotpool-bc --threads=8 --shape=get1k --prewarm=3 --warmup=2.5 --window=5
#                         the load harness's settings, the same for both builds (one client, one thread count, one
#                         shape; the warm-up and window are the harness's defaults); any other --name=value option
#                         goes to both harnesses as it is
#   --jmh=REGEX           the JMH benchmarks (default LeaseReleaseBenchmark|ExecuteLoopbackBenchmark); --jmh= or
#                         --no-jmh skips JMH
#   --jmh-rounds=N        JMH rounds, alternated like the load rounds (default: --rounds)
#   --jmh-threads=1,8     one JMH run per thread count, build and round
#   --jmh-args='-wi 2 -w 1s -i 3 -r 1s'   JMH's iterations (1 fork and -prof gc are always given)
#   --no-load             JMH only (no nginx)
#   --profile             after the load rounds, one JFR-profiled harness run per build (20 s window) and where its
#                         load threads spend their time (JfrSummary), in the report
#   --out=DIR             where the report goes (default benchmarks/results)
#
# How long (2 cores, shared): the base build about 30 s, the new one as long unless it is up to date; a load run
# about 18 s (JVM start, prewarm 3 s, warm-up 2.5 s, window 5 s, the harness's 3 s wait for nginx's log), so 4 rounds
# about 2.5 minutes; a JMH run of the default regex (8 benchmark/parameter pairs, each in a fork of its own: 2 x 1 s
# warm-up + 3 x 1 s) 61-78 s, so 4 rounds x 2 builds x 2 thread counts about 18 minutes. 21 minutes in all on
# 2026-12-07; --jmh-threads=8 or --jmh-rounds=2 halve the JMH part.
#
# Prints and writes benchmarks/results/compare-<base-short>-<new-short>-<date>[-<shape>].md: per round and per build
# req/s, p50, p99, B/req (all JVM threads), client CPU µs/req; JMH scores with their errors and gc.alloc.rate.norm;
# the medians, new/base and the spread across rounds; the load average during the run (compare-builds-report.py
# makes it; python3). The measurements as taken go to benchmarks/target/compare-*/. The running JVM, nginx and the
# temporary worktrees are stopped and removed on exit, whatever happens (trap; a watchdog stops nginx after
# MAX_MINUTES, 90 by default).
set -euo pipefail

MAX_MINUTES=${MAX_MINUTES:-90}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SELF="$ROOT/benchmarks/$(basename "$0")"
cd "$ROOT"
. "$ROOT/benchmarks/nginx-setup.sh"

usage() { sed -n '2,36p' "$SELF"; }
fail() { echo "compare-builds: $*" >&2; exit 1; }

base_rev=; new_rev=; rounds=4; jmh_regex='LeaseReleaseBenchmark|ExecuteLoopbackBenchmark'; jmh_rounds=
jmh_threads=1,8; jmh_args='-wi 2 -w 1s -i 3 -r 1s'; load=1; profile=; out="$ROOT/benchmarks/results"
client=hotpool-bc; threads=8; shape=get1k; prewarm=3; warmup=2.5; window=5; extra_args=()
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        --new=*) new_rev=${arg#--new=} ;;
        --rounds=*) rounds=${arg#--rounds=} ;;
        --jmh=*) jmh_regex=${arg#--jmh=} ;;
        --no-jmh) jmh_regex= ;;
        --jmh-rounds=*) jmh_rounds=${arg#--jmh-rounds=} ;;
        --jmh-threads=*) jmh_threads=${arg#--jmh-threads=} ;;
        --jmh-args=*) jmh_args=${arg#--jmh-args=} ;;
        --no-load) load= ;;
        --profile) profile=1 ;;
        --out=*) out=${arg#--out=} ;;
        --clients=*|--client=*) client=${arg#--client*=} ;;
        --threads=*) threads=${arg#--threads=} ;;
        --shape=*|--shapes=*) shape=${arg#--shape*=} ;;
        --prewarm=*) prewarm=${arg#--prewarm=} ;;
        --warmup=*) warmup=${arg#--warmup=} ;;
        --window=*) window=${arg#--window=} ;;
        --*=*) extra_args+=("$arg") ;;
        -*) usage >&2; fail "unknown option $arg" ;;
        *) [ -z "$base_rev" ] || fail "one base revision, not '$base_rev' and '$arg'"; base_rev=$arg ;;
    esac
done
[ -n "$base_rev" ] || { usage >&2; fail "the base revision is required (e.g. benchmarks/compare-builds.sh d0d3380)"; }
jmh_rounds=${jmh_rounds:-$rounds}
for n in "$rounds" "$jmh_rounds"; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || fail "rounds must be a positive number, not '$n'"; done
[[ "$client" != *,* && "$threads" != *,* && "$shape" != *,* ]] \
    || fail "one client, one thread count and one shape per run (--clients=$client --threads=$threads --shape=$shape)"
[[ "$jmh_threads" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || fail "--jmh-threads is a comma list of numbers, not '$jmh_threads'"
[ -n "$load$jmh_regex" ] || fail "nothing to run: --no-load and --jmh= together"
base_commit=$(git rev-parse --verify --quiet "$base_rev^{commit}") || fail "not a revision of this repository: $base_rev"
if [ -n "$new_rev" ]; then
    new_commit=$(git rev-parse --verify --quiet "$new_rev^{commit}") || fail "not a revision of this repository: $new_rev"
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# As run.sh runs the harness; JMH forks get JmhRunner's heap.
JAVA_OPTS=(-Xms2g -Xmx2g -XX:+UseG1GC -Djava.awt.headless=true -Dhttp.maxConnections=64
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
JMH_FORK_OPTS='-Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn'
command="benchmarks/compare-builds.sh$(printf ' %q' "$@")"
started=$(date +%s)

# ---- clean-up, whatever happens ------------------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hotpool-compare.XXXXXX")
chmod 755 "$tmp"   # nginx's worker (not root) reads the static files under $work
work="$tmp/nginx"
child=; sampler_pid=; worktrees=()
cleanup() {
    local status=$?
    trap - EXIT INT TERM HUP
    if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
        # A timeout(1) child passes the signal on to its process group (the JVM and any JMH fork).
        kill -TERM "$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    nginx_stop
    if [ -n "$sampler_pid" ]; then kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; fi
    for w in "${worktrees[@]}"; do
        git -C "$ROOT" worktree remove --force "$w" >/dev/null 2>&1 \
            || echo "compare-builds: could not remove the worktree $w (git worktree list)" >&2
    done
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Runs "$@" in the background and waits, so a signal reaches the traps at once (bash runs a trap only after the
# foreground command ends).
run_child() {
    "$@" &
    child=$!
    local status=0
    wait "$child" || status=$?
    child=
    return "$status"
}
subject() { git log -1 --format=%s "$1" | awk '{ print (length($0) > 160 ? substr($0, 1, 157) "…" : $0) }'; }
elapsed() { local s=$(( $(date +%s) - $1 )); printf '%d min %02d s' $((s / 60)) $((s % 60)); }

mkdir -p "$tmp/load" "$tmp/jmh" "$tmp/profile" "$work"
meta="$tmp/meta.env"
# The load average every 5 s, for the report.
( trap 'kill $s 2>/dev/null; exit 0' TERM
  while :; do echo "$(date +%s) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 5 & s=$!; wait $s; done ) >"$tmp/loadavg.txt" &
sampler_pid=$!
meta() { printf '%s=%s\n' "$1" "$2" >>"$meta"; }
meta command "$command"
meta started "$started"
meta cpus "$(nproc)"
meta load_at_start "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"

# ---- the two builds ------------------------------------------------------------------------------------------
checkout() { # $1 = label, $2 = commit: a detached temporary worktree $tmp/<label>, removed on exit
    git -C "$ROOT" worktree add --detach --quiet "$tmp/$1" "$2" >"$tmp/worktree-$1.log" 2>&1 \
        || { cat "$tmp/worktree-$1.log" >&2; fail "git worktree add $tmp/$1 $2 failed"; }
    worktrees+=("$tmp/$1")
}
build() { # $1 = label, $2 = tree; sets CP_<label>
    local t0; t0=$(date +%s)
    echo "building $1 (hotpool and its benchmarks module) in $2"
    [ -f "$2/benchmarks/pom.xml" ] || fail "$1 ($2) has no benchmarks module"
    # As run.sh builds (offline first); in this shell, not a subshell, so a signal stops Maven at once.
    cd "$2"
    if ! run_child mvn -q -B -o -pl benchmarks -am package -DskipTests >"$tmp/build-$1.log" 2>&1; then
        run_child mvn -q -B -pl benchmarks -am package -DskipTests >>"$tmp/build-$1.log" 2>&1 \
            || { tail -n 40 "$tmp/build-$1.log" >&2; fail "the $1 build failed (mvn -pl benchmarks -am package in $2)"; }
    fi
    cd "$ROOT"
    [ -f "$2/benchmarks/target/classpath.txt" ] \
        || fail "$1: its benchmarks module writes no target/classpath.txt (older than the harness this script runs)"
    local cp="$2/benchmarks/target/classes:$(cat "$2/benchmarks/target/classpath.txt")"
    # The reactor's own jars, never a snapshot from ~/.m2: each harness runs against its build.
    local core; core=$(tr ':' '\n' <<<"$cp" | grep '/hotpool-core[^/]*\.jar$' | head -n 1)
    [[ "$core" == "$2/"* ]] || fail "$1: hotpool-core on its classpath is $core, not $2's own build"
    printf -v "CP_$1" '%s' "$cp"
    echo "  $1 built in $(elapsed "$t0"): $core"
}
phase_builds=$(date +%s)
checkout base "$base_commit"
build base "$tmp/base"
if [ -n "$new_rev" ]; then
    checkout new "$new_commit"
    new_tree="$tmp/new"
    new_label="$(git rev-parse --short "$new_commit")"
    new_what="\`$new_label\` $(subject "$new_commit")"
else
    new_tree=$ROOT
    new_commit=$(git rev-parse HEAD)
    new_label="$(git rev-parse --short HEAD)"
    changed=$(git status --porcelain --untracked-files=no | wc -l)
    if [ "$changed" -gt 0 ]; then
        new_label="$new_label-dirty"
        files=$(git status --porcelain --untracked-files=no | awk '{print $2}' | head -n 8 | paste -sd' ')
        new_what="the working tree at \`$(git rev-parse --short HEAD)\` with $changed changed file(s): $files"
    else
        new_what="the working tree at \`$(git rev-parse --short HEAD)\` ($(subject HEAD)), no local changes"
    fi
fi
build new "$new_tree"
base_label=$(git rev-parse --short "$base_commit")
meta base_label "$base_label"
meta base_what "\`$base_label\` $(subject "$base_commit")"
meta new_label "$new_label"
meta new_what "$new_what"
meta java "$("$JAVA" -version 2>&1 | head -n 2 | tail -n 1)"
# What the comparison is about: the change from base to new in the shipped code (src/main, not the benchmarks).
main_code=(-- ':(glob)**/src/main/**' ':(exclude)benchmarks')
diff_revs=("$base_commit"); [ -z "$new_rev" ] || diff_revs+=("$new_commit")
meta diff "$(git diff --shortstat "${diff_revs[@]}" "${main_code[@]}" | sed 's/^ *//')"
meta diff_files "$(git diff --name-only "${diff_revs[@]}" "${main_code[@]}" | sed 's|.*/src/main/java/||; s|.*/src/main/||' \
    | head -n 16 | paste -sd' ')"
meta builds_seconds $(( $(date +%s) - phase_builds ))
builds=(base new)

# ---- the load rounds -----------------------------------------------------------------------------------------
# The harness options: measurement settings go to both builds or to neither (the base's harness may lack some: it
# then runs its default, and the report says so); run settings (ports, files) to each build that knows them.
measure_opts=(--clients="$client" --threads="$threads" --shape="$shape" --rounds=1 --prewarm="$prewarm"
    --warmup="$warmup" --window="$window" --bodiless-window=0 --first-reps=0 "${extra_args[@]}")
run_opt_names=(port close-port cert access-log out name nginx-version nginx-pid load-at-start command)
rejected() { # $1 = classpath, then options: prints the names (no dashes) of those the harness calls unknown
    local cp=$1; shift
    local opts=("$@") names=() text name
    while :; do
        # No --port: a harness that knows every option stops at "--port and --cert are required".
        text=$(timeout 120 "$JAVA" -Xmx64m -cp "$cp" dev.hotpool.benchmarks.load.LoadHarness "${opts[@]}" 2>&1 || true)
        if grep -q 'ClassNotFoundException\|Could not find or load main class' <<<"$text"; then
            echo "compare-builds: no dev.hotpool.benchmarks.load.LoadHarness on $cp" >&2
            return 1
        fi
        name=$(grep -o 'unknown option --*[A-Za-z0-9-]*' <<<"$text" | head -n 1 | sed 's/unknown option -*//' || true)
        [ -n "$name" ] || break
        names+=("$name")
        local kept=()
        for o in "${opts[@]}"; do [[ "$o" == "--$name="* ]] || kept+=("$o"); done
        [ ${#kept[@]} -lt ${#opts[@]} ] || break     # it names an option not given: stop asking
        opts=("${kept[@]}")
    done
    printf '%s\n' "${names[@]}"
}
if [ -n "$load" ]; then
    nginx_install
    nginx_locate
    meta nginx "$nginx_version"
    probe_run=(--close-port=1 --cert="$tmp/none.pem" --access-log="$tmp/none.log" --out="$tmp/load" --name=probe
        --nginx-version=x --nginx-pid=1 --load-at-start=x --command=x)
    declare -A lacks_run=()
    lacking_measure=()
    for b in "${builds[@]}"; do
        cp_var="CP_$b"
        rejected "${!cp_var}" "${measure_opts[@]}" "${probe_run[@]}" >"$tmp/rejected-$b.txt" || exit 1
        while read -r name; do
            [ -n "$name" ] || continue
            if [[ " ${run_opt_names[*]} " == *" $name "* ]]; then
                lacks_run[$b]+=" $name"
                echo "the $b harness has no --$name (a run setting, not a measurement one): it runs without it"
            else
                [[ " ${lacking_measure[*]} " == *" $name "* ]] || lacking_measure+=("$name")
                echo "the $b harness has no --$name: both builds run without it (the harness's default)"
                meta fallback "the $b build's harness has no \`--$name\`: both builds ran without it (each harness's default)"
            fi
        done <"$tmp/rejected-$b.txt"
    done
    [[ " ${lacking_measure[*]} " != *" clients "* ]] \
        || fail "a harness has no --clients: it would run every client in one JVM"
    opts=()
    for o in "${measure_opts[@]}"; do
        n=${o%%=*}; n=${n#--}
        [[ " ${lacking_measure[*]} " == *" $n "* ]] || opts+=("$o")
    done
    meta harness_options "${opts[*]}"
    meta client "$client"; meta threads "$threads"; meta shape "$shape"

    nginx_start
    echo "nginx ($nginx_version, pid $nginx_pid, worker_processes 1) on https://127.0.0.1:$port"
    phase_load=$(date +%s)
    meta load_started "$phase_load"
    jvm_extra=()
    harness() { # $1 = build, $2 = JSON name, then more harness options (last wins); JVM options in jvm_extra
        local b=$1 name=$2; shift 2
        local cp_var="CP_$b" all=(--port="$port" --close-port="$close_port" --cert="$work/cert.pem"
            --access-log="$work/access.log" --out="$tmp/load" --name="$name" --nginx-version="$nginx_version"
            --nginx-pid="$nginx_pid" --load-at-start="$(cut -d' ' -f1-3 /proc/loadavg)" --command="$command")
        local args=()
        for o in "${all[@]}"; do
            n=${o%%=*}; n=${n#--}
            [[ " ${lacks_run[$b]:-} " == *" $n "* ]] || args+=("$o")
        done
        # Each run reads the access log for its windows' tags, which repeat from run to run: a fresh log each time
        # (the previous run waited 3 s after its last request; nginx flushes every second).
        : >"$work/access.log"
        run_child timeout --kill-after=30 $((MAX_MINUTES * 60)) "$JAVA" "${JAVA_OPTS[@]}" "${jvm_extra[@]}" \
            -cp "${!cp_var}" dev.hotpool.benchmarks.load.LoadHarness "${args[@]}" "${opts[@]}" "$@"
    }
    for ((r = 1; r <= rounds; r++)); do
        order=(base new); [ $((r % 2)) -eq 1 ] || order=(new base)
        for ((i = 0; i < 2; i++)); do
            b=${order[$i]}
            t0=$(date +%s); l0=$(cut -d' ' -f1 /proc/loadavg)
            harness "$b" "r$r-$b" >"$tmp/load/r$r-$b.log" 2>&1 \
                || { tail -n 30 "$tmp/load/r$r-$b.log" >&2; fail "the $b harness failed in round $r (its log is above)"; }
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$((i + 1))" "$b" "$t0" "$(date +%s)" "$l0" >>"$tmp/load/runs.tsv"
            line=$(grep -E ' round [0-9]+: ' "$tmp/load/r$r-$b.log" | tail -n 1 | sed 's/^\[[^]]*\] *//')
            echo "round $r/$rounds, $b: $line"
        done
    done
    meta load_seconds $(( $(date +%s) - phase_load ))
    if [ -n "$profile" ]; then
        # As run.sh --profile: one JVM per build with JFR (settings=profile), 20 s at the same thread count.
        for b in "${builds[@]}"; do
            jfr="$tmp/profile/$b.jfr"
            echo "JFR profile of $b: 20 s window"
            jvm_extra=(-XX:+FlightRecorder -XX:StartFlightRecording=filename="$jfr",settings=profile)
            harness "$b" "profile-$b" --window=20 --warmup=3 >"$tmp/profile/$b.log" 2>&1 \
                || { tail -n 30 "$tmp/profile/$b.log" >&2; fail "the $b profile run failed"; }
            "$JAVA" -cp "$CP_new" dev.hotpool.benchmarks.load.JfrSummary "$jfr" load- >"$tmp/profile/$b.txt" 2>&1 \
                || echo "JfrSummary failed on the $b recording (see the report)" >&2
        done
    fi
    nginx_stop   # JMH needs no nginx
fi

# ---- JMH -----------------------------------------------------------------------------------------------------
if [ -n "$jmh_regex" ]; then
    phase_jmh=$(date +%s)
    meta jmh_started "$phase_jmh"
    meta jmh_regex "$jmh_regex"
    meta jmh_args "-f 1 $jmh_args -prof gc; forks: $JMH_FORK_OPTS"
    meta jmh_threads "$jmh_threads"
    declare -A has_jmh=()
    for b in "${builds[@]}"; do
        cp_var="CP_$b"
        list=$("$JAVA" -cp "${!cp_var}" org.openjdk.jmh.Main -l "$jmh_regex" 2>&1 | grep -E '^ *dev\.hotpool\.' || true)
        if [ -z "$list" ]; then
            echo "no JMH benchmark of the $b build matches $jmh_regex"
            meta fallback "no JMH benchmark of the $b build matches \`$jmh_regex\`: its JMH columns are empty"
        else
            has_jmh[$b]=1
            echo "JMH of $b: $(paste -sd' ' <<<"$list" | sed 's/dev\.hotpool\.benchmarks\.jmh\.//g; s/  */ /g')"
        fi
    done
    IFS=, read -r -a jmh_thread_list <<<"$jmh_threads"
    for ((r = 1; r <= jmh_rounds; r++)); do
        order=(base new); [ $((r % 2)) -eq 1 ] || order=(new base)
        for ((i = 0; i < 2; i++)); do
            b=${order[$i]}
            [ -n "${has_jmh[$b]:-}" ] || continue
            cp_var="CP_$b"
            for t in "${jmh_thread_list[@]}"; do
                t0=$(date +%s); l0=$(cut -d' ' -f1 /proc/loadavg)
                # shellcheck disable=SC2086  # jmh_args is a list of JMH options
                run_child timeout --kill-after=30 $((MAX_MINUTES * 60)) "$JAVA" -Xmx512m -cp "${!cp_var}" \
                    org.openjdk.jmh.Main "$jmh_regex" -f 1 $jmh_args -t "$t" -prof gc -jvmArgs "$JMH_FORK_OPTS" \
                    -rf json -rff "$tmp/jmh/r$r-$b-t$t.json" >"$tmp/jmh/r$r-$b-t$t.log" 2>&1 \
                    || { tail -n 30 "$tmp/jmh/r$r-$b-t$t.log" >&2; fail "JMH of $b failed in round $r at $t threads"; }
                printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$((i + 1))" "$b" "$t" "$t0" "$(date +%s)" "$l0" \
                    >>"$tmp/jmh/runs.tsv"
                echo "JMH round $r/$jmh_rounds, $b, $t thread(s): $(elapsed "$t0")"
                grep -E '^[A-Z][A-Za-z0-9]*\.[A-Za-z0-9]+((:|·)gc\.alloc\.rate\.norm)? ' "$tmp/jmh/r$r-$b-t$t.log" \
                    | sed 's/^/  /' || true
            done
        done
    done
    meta jmh_seconds $(( $(date +%s) - phase_jmh ))
fi

# ---- the report ----------------------------------------------------------------------------------------------
meta finished "$(date +%s)"
kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=
mkdir -p "$out"
report="$out/compare-$base_label-$new_label-$(date +%F)${load:+$([ "$shape" = get1k ] || echo "-$shape")}"
[ ! -e "$report.md" ] || report="$report-$(date +%H%M%S)"   # never over another run's report
report="$report.md"
# The measurements as taken (results files, JMH JSON, logs), kept out of git: the report can be made again from them.
raw="$ROOT/benchmarks/target/compare-$base_label-$new_label-$(date +%F-%H%M%S)"
mkdir -p "$raw"
cp -r "$tmp/meta.env" "$tmp/loadavg.txt" "$tmp/load" "$tmp/jmh" "$tmp/profile" "$raw/"
cp "$tmp"/build-*.log "$raw/" 2>/dev/null || true
python3 "$ROOT/benchmarks/compare-builds-report.py" "$raw" >"$report.tmp" \
    || { rm -f "$report.tmp"; fail "the report failed (python3 benchmarks/compare-builds-report.py $raw)"; }
mv "$report.tmp" "$report"
echo
cat "$report"
echo "wrote $report (in $(elapsed "$started")); the measurements: $raw"
