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

quick=; jmh=1; profile=; origins=; faults=; jmh_only=; shapes=; framing=; harness_args=()
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
        --jmh-only=*) jmh_only=${arg#--jmh-only=} ;;
        --shape=*|--shapes=*) shapes=${arg#--shape*=}; harness_args+=("$arg") ;;
        -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
        *) harness_args+=("$arg") ;;   # in the many-origins modes they go to ManyOrigins
    esac
done

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

# ---- nginx, installed when missing ----------------------------------------------------------------------------
if [ -z "$faults$jmh_only$framing" ] && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "nginx is not installed; run as root or: sudo apt-get install -y nginx" >&2
        exit 1
    fi
    echo "installing nginx (Debian package)"
    apt-get install -y -q nginx >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q nginx >/dev/null; }
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
nginx_version=$("$NGINX" -v 2>&1 | sed 's|.*nginx/|nginx |' || true)

# ---- build (never runs a test: the module has none) -----------------------------------------------------------
echo "building benchmarks"
mvn -q -B -o -pl benchmarks -am package -DskipTests 2>/dev/null \
    || mvn -q -B -pl benchmarks -am package -DskipTests
CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")"
JAVA_OPTS=(-Xms2g -Xmx2g -XX:+UseG1GC -Djava.awt.headless=true -Dhttp.maxConnections=64
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
name=$(date +%F)${quick:+-quick}
[ -n "$shapes" ] && [ "$shapes" != get1k ] && name="$name-large-bodies${quick:+-quick}" && name=${name/-quick-large/-large}
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

# ---- certificate and nginx.conf ------------------------------------------------------------------------------
work=$(mktemp -d /tmp/hotpool-bench.XXXXXX)
nginx_pid=; watchdog_pid=
stop_nginx() {
    if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
        kill -QUIT "$nginx_pid" 2>/dev/null || true              # graceful: master stops its worker
        for _ in $(seq 100); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$nginx_pid" 2>/dev/null; then               # still there after 10 s: its worker(s), then it
            for w in $(ps -o pid= --ppid "$nginx_pid" 2>/dev/null); do kill -KILL "$w" 2>/dev/null || true; done
            kill -KILL "$nginx_pid" 2>/dev/null || true
        fi
        wait "$nginx_pid" 2>/dev/null || true
    fi
    nginx_pid=
}
cleanup() {
    stop_nginx
    if [ -n "$watchdog_pid" ]; then kill "$watchdog_pid" 2>/dev/null || true; wait "$watchdog_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -keyout "$work/key.pem" -out "$work/cert.pem" -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" >/dev/null 2>&1
# Many origins over HTTPS: a throw-away CA (the clients trust exactly it) and a *.many.test certificate it signs.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -keyout "$work/ca-key.pem" -out "$work/ca.pem" -subj "/CN=hotpool many-origins throw-away CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" >/dev/null 2>&1
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$work/many-key.pem" -out "$work/many.csr" -subj "/CN=*.many.test" >/dev/null 2>&1
printf 'subjectAltName=DNS:*.many.test\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
    >"$work/many.ext"
openssl x509 -req -in "$work/many.csr" -CA "$work/ca.pem" -CAkey "$work/ca-key.pem" -set_serial "0x$(openssl rand -hex 8)" \
    -days 2 -extfile "$work/many.ext" -out "$work/many-cert.pem" >/dev/null 2>&1
mkdir -p "$work/tmp" "$work/www"
body=$(head -c 1024 /dev/zero | tr '\0' 'x')
# The static files of the large-body shapes (random bytes: nothing on the way may compress them).
head -c 65536 /dev/urandom >"$work/www/64k"
head -c 1048576 /dev/urandom >"$work/www/1m"
head -c 16777216 /dev/urandom >"$work/www/16m"
: >"$work/www/upload"
# nginx's worker (not root) reads them: mktemp -d made the directory private.
chmod 755 "$work" "$work/www"; chmod 644 "$work"/www/*

write_conf() { # $1 = HTTPS port, $2 = many-origins plain HTTP port, $3 = many-origins HTTPS port, $4 = HTTPS, closing
    cat >"$work/nginx.conf" <<EOF
worker_processes 1;
# Many origins open and close a connection per request at up to 200 at once: room for that, twice over.
worker_rlimit_nofile 8192;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
    client_body_temp_path $work/tmp/body;
    proxy_temp_path $work/tmp/proxy;
    fastcgi_temp_path $work/tmp/fastcgi;
    uwsgi_temp_path $work/tmp/uwsgi;
    scgi_temp_path $work/tmp/scgi;
    server_tokens off;
    keepalive_timeout 300s;
    keepalive_requests 1000000000;
    # One line per request: connection serial, its request count (1 = new connection = a TLS handshake), the
    # window's tag, status, session reuse, protocol/cipher, bytes received (line, head and body).
    log_format bench '\$connection \$connection_requests \$arg_w \$status \$ssl_session_reused \$ssl_protocol/\$ssl_cipher \$request_length';
    # One session cache for the HTTPS servers: TLS 1.2 resumption by session id, and tickets (on by default).
    ssl_session_cache shared:bench:16m;
    ssl_session_timeout 1h;
    server {
        listen 127.0.0.1:$1 ssl;
        ssl_certificate $work/cert.pem;
        ssl_certificate_key $work/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        access_log $work/access.log bench buffer=256k flush=1s;
        location = /1k { default_type application/octet-stream; return 200 "$body"; }
        location = /204 { return 204; }
        # Large bodies: static files (read from the page cache; sendfile does not apply under TLS).
        location ~ ^/(64k|1m|16m)\$ { root $work/www; default_type application/octet-stream; }
        # Uploads: nginx reads the whole body before it answers (mirror_request_body; a bare "return 204" would
        # answer first and discard the body unlogged), then the static module refuses a POST to the empty file
        # "upload" (405), which error_page turns into 204. \$request_length in the log counts the body's bytes.
        location = /upload {
            client_max_body_size 32m; client_body_buffer_size 2m;
            mirror /discard; mirror_request_body on;
            root $work/www; error_page 405 =204 @uploaded;
        }
        location = /discard { internal; return 204; }
        location @uploaded { return 204; }
        location / { return 404; }
    }
    # Connection per request: the same /1k, closed after every response; TLS 1.2 only, so the log tells
    # resumptions (session id or ticket) from full handshakes.
    server {
        listen 127.0.0.1:$4 ssl;
        ssl_certificate $work/cert.pem;
        ssl_certificate_key $work/key.pem;
        ssl_protocols TLSv1.2;
        keepalive_timeout 0;
        access_log $work/access.log bench buffer=256k flush=1s;
        location = /1k { default_type application/octet-stream; return 200 "$body"; }
        location / { return 404; }
    }
    # Many origins: one server answers every o<i>.many.test (the default server of its port; Host is not looked
    # at). No access log: at a new connection per request it would be nginx's largest cost.
    server {
        listen 127.0.0.1:$2;
        access_log off;
        location = /1k { default_type application/octet-stream; return 200 "$body"; }
        location / { return 404; }
    }
    server {
        listen 127.0.0.1:$3 ssl;
        ssl_certificate $work/many-cert.pem;
        ssl_certificate_key $work/many-key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        access_log off;
        location = /1k { default_type application/octet-stream; return 200 "$body"; }
        location / { return 404; }
    }
}
EOF
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port=
for _ in 1 2 3 4 5; do
    candidate=$((20000 + RANDOM % 30000))
    { listening "$candidate" || listening $((candidate + 1)) || listening $((candidate + 2)) \
        || listening $((candidate + 3)); } && continue
    write_conf "$candidate" $((candidate + 1)) $((candidate + 2)) $((candidate + 3))
    "$NGINX" -p "$work" -c "$work/nginx.conf" -g 'daemon off;' 2>>"$work/error.log" &
    nginx_pid=$!
    for _ in $(seq 50); do listening "$candidate" && break; kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$nginx_pid" 2>/dev/null && listening "$candidate"; then port=$candidate; break; fi
    stop_nginx
done
if [ -z "$port" ]; then echo "nginx did not start:" >&2; cat "$work/error.log" >&2; exit 1; fi
# Whatever happens to this script, nginx does not outlive MAX_MINUTES.
( trap 'kill $sleeper 2>/dev/null; exit 0' TERM
  sleep $((MAX_MINUTES * 60 + 60)) & sleeper=$!; wait $sleeper
  kill -QUIT "$nginx_pid" 2>/dev/null ) &
watchdog_pid=$!
plain_port=$((port + 1)); many_tls_port=$((port + 2)); close_port=$((port + 3))
echo "nginx ($nginx_version, pid $nginx_pid, worker_processes 1) on https://127.0.0.1:$port" \
    "(closing after each response: $close_port);" \
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
common=(--port="$port" --close-port="$close_port" --cert="$work/cert.pem" --access-log="$work/access.log" --out="$out" --name="$name"
    --nginx-version="$nginx_version" --nginx-pid="$nginx_pid" --load-at-start="$load_at_start" --command="$command")
if [ -n "$profile" ]; then
    jfr="$out/$name.jfr"
    timeout --kill-after=30 $((MAX_MINUTES * 60)) \
        java "${JAVA_OPTS[@]}" -XX:+FlightRecorder -XX:StartFlightRecording=filename="$jfr",settings=profile \
        -cp "$CP" dev.hotpool.benchmarks.load.LoadHarness "${common[@]}" --clients="$profile" --threads=8 \
        --rounds=1 --prewarm=3 --warmup=3 --window=20 --bodiless-window=0 --first-reps=1 "${harness_args[@]}"
    java -cp "$CP" dev.hotpool.benchmarks.load.JfrSummary "$jfr" load-
    echo "raw samples: jfr print --events jdk.ExecutionSample $jfr"
else
    timeout --kill-after=30 $((MAX_MINUTES * 60)) \
        java "${JAVA_OPTS[@]}" -cp "$CP" dev.hotpool.benchmarks.load.LoadHarness "${common[@]}" "${jmh_md[@]}" \
        "${harness_args[@]}"
fi
