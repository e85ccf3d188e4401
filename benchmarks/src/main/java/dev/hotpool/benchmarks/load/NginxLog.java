package dev.hotpool.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What nginx saw, per window tag, from its access log written with
 * {@code log_format bench '$connection $connection_requests $arg_w $status $ssl_session_reused
 * $ssl_protocol/$ssl_cipher $request_length $server_protocol'}: requests,
 * distinct connections, and new connections (a connection's first request, {@code $connection_requests = 1}),
 * each of which cost a TLS handshake ({@code $ssl_session_reused = r} marks an abbreviated one, a resumption), and
 * the bytes nginx received (request line, head and body: what tells that an upload's body was read), and the HTTP
 * version each request came in ({@code HTTP/1.1}, {@code HTTP/2.0}; absent from logs of older builds). On an HTTP/2
 * connection every stream is one request of its connection: same {@code $connection}, {@code $connection_requests}
 * counting up, so connections and new connections count the same way for both protocols.
 *
 * <p>Not thread-safe; built once after the run.
 */
final class NginxLog {

    /** One tag's counts. */
    static final class Counts {
        long requests;
        long newConnections;
        long resumed;
        long non2xx;
        /** Sum of {@code $request_length}. */
        long requestBytes;
        final Set<Long> connections = new HashSet<>();
        /** What the connections had negotiated: {@code TLSv1.3/TLS_AES_256_GCM_SHA384}. */
        final Set<String> tls = new java.util.TreeSet<>();
        /** The HTTP versions of the requests: {@code HTTP/1.1}, {@code HTTP/2.0}. */
        final Set<String> protocols = new java.util.TreeSet<>();

        void add(Counts o) {
            this.requests += o.requests;
            this.newConnections += o.newConnections;
            this.resumed += o.resumed;
            this.non2xx += o.non2xx;
            this.requestBytes += o.requestBytes;
            this.connections.addAll(o.connections);
            this.tls.addAll(o.tls);
            this.protocols.addAll(o.protocols);
        }
    }

    private final Map<String, Counts> byTag = new HashMap<>();
    private long lines;

    static NginxLog read(Path file) throws IOException {
        NginxLog log = new NginxLog();
        if (file == null || !Files.exists(file)) {
            return log;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(" ");
                if (f.length < 5) {
                    continue;
                }
                log.lines++;
                Counts c = log.byTag.computeIfAbsent(f[2], t -> new Counts());
                c.requests++;
                c.connections.add(Long.parseLong(f[0]));
                if (f[1].equals("1")) {
                    c.newConnections++;
                    if (f[4].equals("r")) {
                        c.resumed++;
                    }
                }
                if (f.length > 5) {
                    c.tls.add(f[5]); // Same string for a whole window: a cheap set add.
                }
                if (f.length > 6) {
                    c.requestBytes += Long.parseLong(f[6]);
                }
                if (f.length > 7) {
                    c.protocols.add(f[7]);
                }
                if (!f[3].startsWith("2")) {
                    c.non2xx++;
                }
            }
        }
        return log;
    }

    long lines() {
        return this.lines;
    }

    /** The counts of one tag, or empty counts. */
    Counts tag(String tag) {
        return this.byTag.getOrDefault(tag, new Counts());
    }

    /** The counts of several tags together. */
    Counts tags(Iterable<String> tags) {
        Counts sum = new Counts();
        for (String t : tags) {
            sum.add(tag(t));
        }
        return sum;
    }
}
