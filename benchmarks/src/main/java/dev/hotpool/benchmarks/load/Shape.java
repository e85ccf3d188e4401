package dev.hotpool.benchmarks.load;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one request of a window is: the method, the path on nginx, how many bytes go up and come back, and which
 * nginx server answers (the kept-alive one, or the one that closes after each response). The harness checks every
 * response body's length against {@link #responseBytes}.
 *
 * <p>Immutable; the upload bodies are made once and shared read-only by every load thread.
 */
enum Shape {
    /** Today's shape: {@code GET /1k} on kept-alive connections (1,024-byte body). */
    GET_1K("get1k", "GET", "/1k", 0, 1024, Server.KEEP_ALIVE),
    /** {@code GET /64k}: a 64 KiB static file. */
    GET_64K("get64k", "GET", "/64k", 0, 64 * 1024, Server.KEEP_ALIVE),
    /** {@code GET /1m}: a 1 MiB static file. */
    GET_1M("get1m", "GET", "/1m", 0, 1024 * 1024, Server.KEEP_ALIVE),
    /** {@code GET /16m}: a 16 MiB static file. */
    GET_16M("get16m", "GET", "/16m", 0, 16 * 1024 * 1024, Server.KEEP_ALIVE),
    /** {@code POST /upload} of 64 KiB; nginx reads and discards the body and answers 204. */
    POST_64K("post64k", "POST", "/upload", 64 * 1024, 0, Server.KEEP_ALIVE),
    /** {@code POST /upload} of 1 MiB, likewise. */
    POST_1M("post1m", "POST", "/upload", 1024 * 1024, 0, Server.KEEP_ALIVE),
    /** {@code GET /1k} from the server that closes after each response: a TCP connect and TLS 1.2 handshake per request. */
    CONN_PER_REQUEST("conn-per-request", "GET", "/1k", 0, 1024, Server.CLOSE);

    /** Which nginx server a shape talks to. */
    enum Server {
        /** The HTTPS server with keep-alive (TLS 1.2 and 1.3). */
        KEEP_ALIVE,
        /** Its own port, {@code keepalive_timeout 0}: closes after every response; TLS 1.2 only, session cache and tickets on. */
        CLOSE
    }

    static final int MIB = 1024 * 1024;

    final String id;
    final String method;
    final String path;
    final int requestBytes;
    final int responseBytes;
    final Server server;
    private byte[] body;

    Shape(String id, String method, String path, int requestBytes, int responseBytes, Server server) {
        this.id = id;
        this.method = method;
        this.path = path;
        this.requestBytes = requestBytes;
        this.responseBytes = responseBytes;
        this.server = server;
    }

    /** The row key in the report: {@code /1k} for today's shape (so its rows and targets read as before), else the id. */
    String key() {
        return this == GET_1K ? "/1k" : this.id;
    }

    /** Whether figures are per MiB moved (large bodies) rather than per request. */
    boolean perMib() {
        return this.requestBytes + this.responseBytes >= 64 * 1024;
    }

    /** Body bytes moved per request, up or down. */
    long bytesMoved() {
        return (long) this.requestBytes + this.responseBytes;
    }

    /** The upload body, or {@code null} for a GET. Made once; callers must not write to it. */
    synchronized byte[] body() {
        if (this.requestBytes == 0) {
            return null;
        }
        if (this.body == null) {
            this.body = new byte[this.requestBytes];
            Arrays.fill(this.body, (byte) 'u');
        }
        return this.body;
    }

    String title() {
        return switch (this) {
            case GET_1K -> "GET /1k (1 KiB body)";
            case GET_64K -> "GET /64k (64 KiB body)";
            case GET_1M -> "GET /1m (1 MiB body)";
            case GET_16M -> "GET /16m (16 MiB body)";
            case POST_64K -> "POST /upload, 64 KiB body (nginx discards it, 204)";
            case POST_1M -> "POST /upload, 1 MiB body (nginx discards it, 204)";
            case CONN_PER_REQUEST -> "Connection per request: GET /1k, the server closes after each response (TLS 1.2)";
        };
    }

    static Shape of(String id) {
        for (Shape s : values()) {
            if (s.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("benchmark: unknown shape '" + id + "'; known: "
                + Arrays.stream(values()).map(s -> s.id).toList());
    }

    static List<Shape> parse(String list) {
        if (list.equals("all")) {
            return List.of(values());
        }
        return Arrays.stream(list.split(",")).map(Shape::of).toList();
    }
}
