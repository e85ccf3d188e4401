# Sourced by run.sh and compare-builds.sh (not run on its own): the one nginx the load harness talks to.
#
# nginx_install    installs nginx with apt-get when it is missing (as root; exits 1 otherwise)
# nginx_locate     sets NGINX (the binary) and nginx_version ("nginx 1.22.1")
# nginx_start      in the caller's $work (an empty directory): a throw-away certificate (and the many-origins CA
#                  and *.many.test certificate), the large-body files, an nginx.conf (worker_processes 1, HTTPS on
#                  127.0.0.1, keep-alive, GET /1k = 1,024 bytes, GET /204, the upload and connection-per-request
#                  servers, the many-origins servers, the HTTP/2 server (ALPN h2 and http/1.1), an access log with
#                  $connection and $server_protocol per request); starts nginx as a child on free ports and a watchdog
#                  that stops it after MAX_MINUTES (+1) whatever happens.
#                  Sets nginx_pid, watchdog_pid, port, plain_port, many_tls_port, close_port, h2_port.
# nginx_stop       stops nginx (graceful, then KILL after 10 s) and its watchdog; safe to call twice.
#
# The caller sets MAX_MINUTES and work (nginx_start uses both, and NGINX), and traps EXIT to call nginx_stop, then
# remove $work. Functions and variables share the caller's names: set -euo pipefail holds inside them.

nginx_pid=; watchdog_pid=

nginx_install() {
    if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
        if [ "$(id -u)" -ne 0 ]; then
            echo "nginx is not installed; run as root or: sudo apt-get install -y nginx" >&2
            exit 1
        fi
        echo "installing nginx (Debian package)"
        apt-get install -y -q nginx >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q nginx >/dev/null; }
    fi
}

nginx_locate() {
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
    nginx_version=$("$NGINX" -v 2>&1 | sed 's|.*nginx/|nginx |' || true)
}

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

nginx_stop() {
    stop_nginx
    if [ -n "$watchdog_pid" ]; then kill "$watchdog_pid" 2>/dev/null || true; wait "$watchdog_pid" 2>/dev/null || true; fi
    watchdog_pid=
}

write_conf() { # $1 = HTTPS port, $2 = many-origins plain HTTP port, $3 = many-origins HTTPS port, $4 = HTTPS, closing,
               # $5 = HTTPS with HTTP/2
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
    # window's tag, status, session reuse, protocol/cipher, bytes received (line, head and body), HTTP version
    # (HTTP/1.1 or HTTP/2.0). On an HTTP/2 connection every stream is a request of that connection: same
    # \$connection, \$connection_requests counting up.
    log_format bench '\$connection \$connection_requests \$arg_w \$status \$ssl_session_reused \$ssl_protocol/\$ssl_cipher \$request_length \$server_protocol';
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
    # HTTP/2 (run.sh --shape=h2): the same /1k and /1m on a port of its own whose ALPN offers h2 and http/1.1
    # (nginx 1.22 has no "http2 on;": the listen parameter turns it on for the port), so the HTTP/1.1 clients of that
    # run talk to the very same server block. keepalive_requests (above, 10^9) also bounds the streams of an HTTP/2
    # connection in 1.22 (http2_max_requests is obsolete): its default 1000 would send GOAWAY after the 1000th
    # request and make every client open a new connection every 1000 requests. 128 concurrent streams (nginx's
    # default, said here) is more than the 64 threads of the run, so one connection can carry them all.
    server {
        listen 127.0.0.1:$5 ssl http2;
        ssl_certificate $work/cert.pem;
        ssl_certificate_key $work/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        http2_max_concurrent_streams 128;
        access_log $work/access.log bench buffer=256k flush=1s;
        location = /1k { default_type application/octet-stream; return 200 "$body"; }
        location ~ ^/(64k|1m|16m)\$ { root $work/www; default_type application/octet-stream; }
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

nginx_start() {
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

    port=
    for _ in 1 2 3 4 5; do
        candidate=$((20000 + RANDOM % 30000))
        { listening "$candidate" || listening $((candidate + 1)) || listening $((candidate + 2)) \
            || listening $((candidate + 3)) || listening $((candidate + 4)); } && continue
        write_conf "$candidate" $((candidate + 1)) $((candidate + 2)) $((candidate + 3)) $((candidate + 4))
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
    plain_port=$((port + 1)); many_tls_port=$((port + 2)); close_port=$((port + 3)); h2_port=$((port + 4))
}
