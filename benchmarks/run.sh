#!/usr/bin/env bash
# hotpool benchmarks: hotpool against the peers, through the same RestClient call, on one nginx on loopback.
#
#   benchmarks/run.sh              the full run (about 13 minutes on 2 cores): JMH, then the load harness
#   benchmarks/run.sh --quick      a smoke run (about 3 minutes): shorter windows, one round
#   benchmarks/run.sh --no-jmh     skip the JMH benchmarks
#   benchmarks/run.sh --profile[=CLIENT]   JFR-profile one client (default hotpool-bc) at 8 threads for 20 s and
#                                  print where its load threads spend their time
#   benchmarks/run.sh --threads=8 --clients=hotpool-bc,hc5 --window=10 ...   other options go to the harness
#   benchmarks/run.sh --no-jmh --shape=get1k,get64k,get1m,get16m,post64k,post1m,conn-per-request   (or --shape=all)
#                                  large bodies both ways and a connection per request, at 1 and 8 threads, for
#                                  hotpool (bc, jdk), the peers and the raw-socket ceilings (about 20 minutes with
#                                  --rounds=2 --warmup=1.5 --window=3; results/<date>-large-bodies.*)
#   benchmarks/run.sh --shape=h2   HTTP/2 (issue 26, about 12 minutes): hotpool over HTTP/2 (bc, jdk), hotpool over
#                                  HTTP/1.1, the JDK client, Jetty 12 and Reactor Netty over HTTP/2, GET /1k and GET /1m
#                                  at 8 and 64 threads against nginx's http2 server; no JMH (results/<date>-h2.json/.md)
#       --shape=h2:get1k  one body only;  --profile=hotpool-h2 --shape=h2:get1k --threads=64   JFR, load threads and
#                                  hotpool's HTTP/2 reader threads
#   benchmarks/run.sh --many-origins   only the many-origins benchmark (about 8 minutes; see benchmarks/README.md):
#                                  hotpool's core API and HttpClient 5 over N host names, N = 100 ... 100,000,
#                                  plain HTTP, each measurement in its own JVM
#   benchmarks/run.sh --many-origins-tls   the same over HTTPS (a throw-away CA and a *.many.test certificate)
#       --origins=100,1000 --min-seconds=5 --max-seconds=900 --rounds=1 --clients=hotpool,hc5   for quick runs
#       --out=DIR --name=NAME          where the results go (default benchmarks/results/<date>-many-origins.*)
#   benchmarks/run.sh --idle-timeout-posts [--check=off] [--seed=N]   no nginx, about 2 minutes: a server closing
#                                  connections idle 1 s, 120 POSTs 0.9-1.1 s apart; prints the failures
#   benchmarks/run.sh --check-cost    what that check costs a POST, check on and off side by side (about 2 minutes)
#   benchmarks/run.sh --jmh-only=REGEX   only the JMH benchmarks matching REGEX (e.g. NonRetryableCheckBenchmark,
#                                  LeakDetectionCostBenchmark), 1 fork, 3 x 1 s warm-up, 5 x 1 s; no nginx
#   benchmarks/run.sh --framing    about 2 minutes, no nginx: every case of hotpool's framing corpus through hotpool,
#                                  HttpClient 5 and the JDK client on raw loopback servers; exits 1 if hotpool's outcome
#                                  is not the corpus's verdict (results/framing-comparison-<date>.md)
#       --corpus=PATH --cases=REGEX --clients=hotpool,hc5,jdk --timeout-ms=2000
#   benchmarks/run.sh --real-servers   about 1 minute: nginx, Tomcat, Jetty, Netty, Node, Python's http.server and Go on
#                                  loopback, their responses captured raw and sent through hotpool; installs nginx,
#                                  golang-go (and nodejs, python3 if missing) with apt-get as root; exits 1 on a
#                                  finding (results/real-servers-<date>.md, results/real-servers/*.txt)
#       --servers=nginx,tomcat,jetty,netty,node,python,python-http11,python-handler,go
#   benchmarks/run.sh --real-servers-h2   about 1 minute: hotpool's HTTP/2 against nginx (h2 over TLS, h2c) and nghttpd
#                                  on loopback, both TLS providers; installs nginx and nghttp2-server with apt-get as
#                                  root; exits 1 on a finding (results/real-servers-h2-<date>.md)
#
# What it does: installs nginx with apt-get when it is missing (as root), generates a throw-away certificate,
# writes an nginx.conf (worker_processes 1, HTTPS on 127.0.0.1, keep-alive, GET /1k = 1,024 bytes, GET /204, an
# access log with $connection per request), starts nginx as a child, builds the module, runs JMH and the Java
# harness, and stops nginx on exit (trap, plus a watchdog that stops it after MAX_MINUTES whatever happens).
# Results: benchmarks/results/<date>.json, .md, .png (and <date>-jmh.json/.md; <date>-many-origins[-tls].json/.md).
# The nginx.conf also has the many-origins servers (plain HTTP, and HTTPS for *.many.test; no access log).
set -euo pipefail

MAX_MINUTES=${MAX_MINUTES:-40}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. "$ROOT/benchmarks/nginx-setup.sh"

quick=; jmh=1; profile=; origins=; faults=; jmh_only=; shapes=; framing=; http2check=; harness_args=()
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1; harness_args+=(--quick) ;;
        --no-jmh) jmh= ;;
        --profile) profile=hotpool-bc ;;
        --profile=*) profile=${arg#--profile=} ;;
        --many-origins) origins=http ;;
        --many-origins-tls) origins=https ;;
        --idle-timeout-posts) faults=IdleTimeoutPosts ;;
        --check-cost) faults=CheckCost ;;
        --framing) framing=FramingComparison ;;
        --real-servers) framing=RealServersCheck ;;
        --real-servers-h2) http2check=Http2RealServersCheck ;;
        --jmh-only=*) jmh_only=${arg#--jmh-only=} ;;
        --shape=*|--shapes=*) shapes=${arg#--shape*=}; harness_args+=("$arg") ;;
        -h|--help) sed -n '2,48p' "$0"; exit 0 ;;
        *) harness_args+=("$arg") ;;   # in the many-origins modes they go to ManyOrigins
    esac
done

h2=; case "$shapes" in h2|h2:*) h2=1; jmh= ;; esac

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average at start: $load_at_start ($(nproc) CPUs)"

# ---- the real servers' packages, installed when missing (Go is optional: the check says when it is not there) ----
if [ "$framing" = RealServersCheck ]; then
    missing=()
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    command -v go >/dev/null 2>&1 || missing+=(golang-go)
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v python3 >/dev/null 2>&1 || missing+=(python3)
    if [ ${#missing[@]} -gt 0 ]; then
        if [ "$(id -u)" -ne 0 ]; then
            echo "not installed: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}" >&2
        else
            echo "installing ${missing[*]} (Debian packages)"
            apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
                || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; } \
                || echo "apt-get could not install all of: ${missing[*]}" >&2
        fi
    fi
fi

# ---- the HTTP/2 servers' packages (nginx, nghttpd), installed when missing ----
if [ -n "$http2check" ]; then
    missing=()
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    command -v nghttpd >/dev/null 2>&1 || missing+=(nghttp2-server)
    command -v openssl >/dev/null 2>&1 || missing+=(openssl)
    if [ ${#missing[@]} -gt 0 ]; then
        if [ "$(id -u)" -ne 0 ]; then
            echo "not installed: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}" >&2
        else
            echo "installing ${missing[*]} (Debian packages)"
            apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
                || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; } \
                || echo "apt-get could not install all of: ${missing[*]}" >&2
        fi
    fi
    export PATH="$PATH:/usr/sbin"
fi

# ---- nginx, installed when missing ----------------------------------------------------------------------------
if [ -z "$faults$jmh_only$framing$http2check" ]; then nginx_install; fi
nginx_locate

# ---- build (never runs a test: the module has none) -----------------------------------------------------------
echo "building benchmarks"
mvn -q -B -o -pl benchmarks -am package -DskipTests 2>/dev/null \
    || mvn -q -B -pl benchmarks -am package -DskipTests
CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")"
JAVA_OPTS=(-Xms2g -Xmx2g -XX:+UseG1GC -Djava.awt.headless=true -Dhttp.maxConnections=64
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
name=$(date +%F)${quick:+-quick}
[ -n "$shapes" ] && [ "$shapes" != get1k ] && [ -z "$h2" ] && name="$name-large-bodies${quick:+-quick}" && name=${name/-quick-large/-large}
[ -n "$h2" ] && name="$name-h2"
[ -n "$profile" ] && name="$name-profile-$profile"
out="$ROOT/benchmarks/results"
[ -n "$profile" ] && out="$ROOT/benchmarks/target/profile"   # profiles are not results: kept out of git
mkdir -p "$out"

# ---- on-demand programs that need no nginx ---------------------------------------------------------------------
if [ -n "$faults" ]; then
    exec java -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
        "dev.hotpool.benchmarks.faults.$faults" "${harness_args[@]}"
fi
if [ -n "$framing" ]; then
    # The JDK client is the JVM's own: JAVA_HOME picks the one compared (e.g. Temurin 25), else java on the PATH.
    exec timeout --kill-after=30 $((MAX_MINUTES * 60)) "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx512m \
        -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        -cp "$CP" "dev.hotpool.benchmarks.framing.$framing" --command="benchmarks/run.sh${*:+ $*}" "${harness_args[@]}"
fi
if [ -n "$http2check" ]; then
    exec timeout --kill-after=30 $((MAX_MINUTES * 60)) "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx512m \
        -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" "dev.hotpool.benchmarks.http2.$http2check" \
        --out="$out" --command="benchmarks/run.sh${*:+ $*}" "${harness_args[@]}"
fi
if [ -n "$jmh_only" ]; then
    exec java "${JAVA_OPTS[@]}" -cp "$CP" org.openjdk.jmh.Main "$jmh_only" -f 1 -wi 3 -w 1s -i 5 -r 1s \
        "${harness_args[@]}"
fi

# ---- JMH (no nginx needed) --------------------------------------------------------------------------------------
jmh_md=()
if [ -n "$jmh" ] && [ -z "$profile" ] && [ -z "$origins" ]; then
    echo "JMH: lease + release, and execute on loopback, at 1, 2 and 8 threads"
    timeout --kill-after=30 $((MAX_MINUTES * 60)) \
        java "${JAVA_OPTS[@]}" -cp "$CP" dev.hotpool.benchmarks.jmh.JmhRunner --out="$out" --name="$name" ${quick:+--quick} \
        | grep -E '^(# Run progress|Benchmark|Result|\||## )' || true
    [ -f "$out/$name-jmh.md" ] && jmh_md=(--jmh-markdown="$out/$name-jmh.md")
fi

# ---- certificate, nginx.conf and nginx (nginx-setup.sh) -----------------------------------------------------
work=$(mktemp -d /tmp/hotpool-bench.XXXXXX)
cleanup() {
    nginx_stop
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

nginx_start
echo "nginx ($nginx_version, pid $nginx_pid, worker_processes 1) on https://127.0.0.1:$port" \
    "(closing after each response: $close_port; HTTP/2: $h2_port);" \
    "many origins on http://127.0.0.1:$plain_port and https://127.0.0.1:$many_tls_port"

# ---- the many-origins benchmark (instead of the harness) -----------------------------------------------------
if [ -n "$origins" ]; then
    command="benchmarks/run.sh${*:+ $*}"
    if [ "$origins" = https ]; then
        target=(--scheme=https --port="$many_tls_port" --ca="$work/ca.pem" --name="$(date +%F)-many-origins-tls")
    else
        target=(--scheme=http --port="$plain_port" --name="$(date +%F)-many-origins")
    fi
    # The parent only schedules: each measurement runs in a JVM of its own (ManyOrigins.CHILD_JVM). Options given
    # on the command line come last, so --out= and --name= there override these.
    status=0
    timeout --kill-after=30 $((MAX_MINUTES * 60)) \
        java -Xmx256m -cp "$CP" dev.hotpool.benchmarks.origins.ManyOrigins "${target[@]}" --out="$out" \
        --nginx-version="$nginx_version" --load-at-start="$load_at_start" --command="$command" \
        "${harness_args[@]}" || status=$?
    exit $status
fi

# ---- the harness ---------------------------------------------------------------------------------------------
command="benchmarks/run.sh${*:+ $*}"
# --shape=h2 talks to nginx's HTTP/2 server (ALPN h2 and http/1.1), every client of the run, the HTTP/1.1 one too.
common=(--port="$([ -n "$h2" ] && echo "$h2_port" || echo "$port")" --close-port="$close_port" --cert="$work/cert.pem" --access-log="$work/access.log" --out="$out" --name="$name"
    --nginx-version="$nginx_version" --nginx-pid="$nginx_pid" --load-at-start="$load_at_start" --command="$command")
if [ -n "$profile" ]; then
    jfr="$out/$name.jfr"
    timeout --kill-after=30 $((MAX_MINUTES * 60)) \
        java "${JAVA_OPTS[@]}" -XX:+FlightRecorder -XX:StartFlightRecording=filename="$jfr",settings=profile \
        -cp "$CP" dev.hotpool.benchmarks.load.LoadHarness "${common[@]}" --clients="$profile" --threads=8 \
        --rounds=1 --prewarm=3 --warmup=3 --window=20 --bodiless-window=0 --first-reps=1 "${harness_args[@]}"
    java -cp "$CP" dev.hotpool.benchmarks.load.JfrSummary "$jfr" load-
    # HTTP/2: each connection's reader thread reads and decrypts every frame; its CPU is not on the load threads.
    if [ -n "$h2" ]; then java -cp "$CP" dev.hotpool.benchmarks.load.JfrSummary "$jfr" hotpool-h2-reader-; fi
    echo "raw samples: jfr print --events jdk.ExecutionSample $jfr"
else
    timeout --kill-after=30 $((MAX_MINUTES * 60)) \
        java "${JAVA_OPTS[@]}" -cp "$CP" dev.hotpool.benchmarks.load.LoadHarness "${common[@]}" "${jmh_md[@]}" \
        "${harness_args[@]}"
fi
