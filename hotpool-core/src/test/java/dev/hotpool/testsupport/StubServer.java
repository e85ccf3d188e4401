package dev.hotpool.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small HTTP/1.1 server on loopback for tests: plain or TLS, keep-alive, one thread per connection,
 * with a pluggable {@link Handler} that can answer correctly or misbehave on the raw connection (garbage,
 * truncated bodies, closes, resets). Counts accepted connections (completed TLS handshakes for https) and
 * requests. Thread-safe; {@link #close()} stops it and closes every connection (see {@link LoopbackServer}).
 */
public final class StubServer implements AutoCloseable {

    /** Answers one request. May write anything to the connection, close it, or reset it. */
    @FunctionalInterface
    public interface Handler {
        void handle(Request request, Exchange exchange) throws IOException;
    }

    /**
     * A parsed request.
     *
     * @param connection 1-based index of the connection it came on
     * @param onConnection 1-based index of the request on its connection
     */
    public record Request(String method, String target, List<String[]> headers, byte[] body, int connection,
            int onConnection) {

        public String header(String name) {
            for (String[] h : this.headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        public String bodyText() {
            return new String(this.body, StandardCharsets.UTF_8);
        }
    }

    /** The connection a request came on. */
    public static final class Exchange {

        private final Socket socket;
        private final OutputStream out;
        private boolean closeAfter;

        Exchange(Socket socket, OutputStream out) {
            this.socket = socket;
            this.out = out;
        }

        /** Writes raw bytes (ISO-8859-1) and flushes. */
        public Exchange raw(String text) throws IOException {
            this.out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            this.out.flush();
            return this;
        }

        public Exchange raw(byte[] bytes) throws IOException {
            this.out.write(bytes);
            this.out.flush();
            return this;
        }

        /** A complete {@code HTTP/1.1} response with Content-Length and the given extra header lines. */
        public Exchange respond(int status, String body, String... headerLines) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                    .append("\r\n");
            for (String h : headerLines) {
                sb.append(h).append("\r\n");
            }
            sb.append("Content-Length: ").append(b.length).append("\r\n\r\n");
            this.out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            this.out.write(b);
            this.out.flush();
            return this;
        }

        /** The connection's (buffered) output stream, for a handler that writes and flushes its own pieces. */
        public OutputStream stream() {
            return this.out;
        }

        /** Closes the connection after this exchange (gracefully). */
        public void closeAfter() {
            this.closeAfter = true;
        }

        /** Closes the connection now. */
        public void close() throws IOException {
            this.closeAfter = true;
            this.socket.close();
        }

        /** Resets the connection now (TCP RST via SO_LINGER 0). */
        public void reset() throws IOException {
            this.closeAfter = true;
            this.socket.setSoLinger(true, 0);
            this.socket.close();
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 204 -> "No Content";
                case 301 -> "Moved Permanently";
                case 302 -> "Found";
                case 304 -> "Not Modified";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 500 -> "Internal Server Error";
                default -> "Status";
            };
        }
    }

    /** Answers every request {@code 200} with the request's target as body. */
    public static final Handler ECHO_PATH = (req, ex) -> ex.respond(200, req.target(), "Content-Type: text/plain");

    private final LoopbackServer server;
    private final SSLContext tls;
    private final Handler handler;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final List<String> requestLog = Collections.synchronizedList(new ArrayList<>());
    private final List<InetAddress> clients = Collections.synchronizedList(new ArrayList<>());
    private volatile int idleTimeoutMillis;

    private StubServer(InetAddress bind, int port, SSLContext tls, Handler handler) throws IOException {
        this.server = LoopbackServer.bind(bind, port);
        this.tls = tls;
        this.handler = handler;
        this.server.serve("stub-server", this::serve);
    }

    public static StubServer http() throws IOException {
        return http(ECHO_PATH);
    }

    public static StubServer http(Handler handler) throws IOException {
        return new StubServer(InetAddress.getLoopbackAddress(), 0, null, handler);
    }

    public static StubServer https(SSLContext serverContext) throws IOException {
        return https(serverContext, ECHO_PATH);
    }

    public static StubServer https(SSLContext serverContext, Handler handler) throws IOException {
        return new StubServer(InetAddress.getLoopbackAddress(), 0, serverContext, handler);
    }

    /** A server on a given loopback address and port ({@code 0}: any free port). */
    public static StubServer on(InetAddress bind, int port, SSLContext serverContext, Handler handler)
            throws IOException {
        return new StubServer(bind, port, serverContext, handler);
    }

    public int port() {
        return this.server.port();
    }

    /** {@code http(s)://localhost:port} plus {@code path}. */
    public URI uri(String path) {
        return URI.create((this.tls != null ? "https" : "http") + "://localhost:" + port() + path);
    }

    /** Connections accepted (for TLS: handshakes completed). */
    public int connectionsAccepted() {
        return this.connections.get();
    }

    /** Closes a kept-alive connection that stays idle longer than this (0: never), as many servers do. */
    public StubServer idleTimeout(java.time.Duration idleTimeout) {
        this.idleTimeoutMillis = (int) idleTimeout.toMillis();
        return this;
    }

    /** Connections open now. */
    public int openConnections() {
        return this.open.get();
    }

    /** The most connections that were open at once. */
    public int maxOpenConnections() {
        return this.maxOpen.get();
    }

    public int requestsServed() {
        return this.requests.get();
    }

    /** {@code METHOD target} of every request in arrival order. */
    public List<String> requestLog() {
        synchronized (this.requestLog) {
            return new ArrayList<>(this.requestLog);
        }
    }

    /** The client address of every accepted connection, in order. */
    public List<InetAddress> clientAddresses() {
        synchronized (this.clients) {
            return new ArrayList<>(this.clients);
        }
    }

    /** Closes every open connection but keeps listening (a server restart as clients see it). */
    public void dropConnections() {
        this.server.dropConnections();
    }

    @Override
    public void close() {
        this.server.close();
    }

    private void serve(Socket raw) {
        Socket socket = raw;
        boolean counted = false;
        try {
            raw.setTcpNoDelay(true);
            if (this.tls != null) {
                SSLSocket ssl = (SSLSocket) this.tls.getSocketFactory().createSocket(raw, null, raw.getPort(), true);
                ssl.setUseClientMode(false);
                ssl.setSoTimeout(10_000);
                ssl.startHandshake();
                ssl.setSoTimeout(0);
                socket = this.server.track(ssl);
            }
            this.clients.add(raw.getInetAddress());
            int connection = this.connections.incrementAndGet();
            this.maxOpen.accumulateAndGet(this.open.incrementAndGet(), Math::max);
            counted = true;
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream());
            for (int n = 1; !this.server.isClosed(); n++) {
                socket.setSoTimeout(this.idleTimeoutMillis);
                Request request = readRequest(in, connection, n);
                if (request == null) {
                    break;
                }
                this.requests.incrementAndGet();
                this.requestLog.add(request.method() + " " + request.target());
                Exchange exchange = new Exchange(socket, out);
                this.handler.handle(request, exchange);
                out.flush();
                String conn = request.header("Connection");
                if (exchange.closeAfter || (conn != null && conn.toLowerCase(Locale.ROOT).contains("close"))) {
                    break;
                }
            }
        }
        catch (IOException | RuntimeException e) {
            // The client went away, or the test made the server misbehave.
        }
        finally {
            if (counted) {
                this.open.decrementAndGet();
            }
            if (socket != raw) {
                this.server.forget(socket);
            }
        }
    }

    private static Request readRequest(InputStream in, int connection, int n) throws IOException {
        String line = readLine(in);
        if (line == null) {
            return null;
        }
        String[] parts = line.split(" ");
        if (parts.length != 3) {
            throw new IOException("bad request line: " + line);
        }
        List<String[]> headers = new ArrayList<>();
        String h;
        while ((h = readLine(in)) != null && !h.isEmpty()) {
            int colon = h.indexOf(':');
            headers.add(new String[] {h.substring(0, colon).trim(), h.substring(colon + 1).trim()});
        }
        byte[] body = new byte[0];
        String te = find(headers, "Transfer-Encoding");
        String cl = find(headers, "Content-Length");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers
                    }
                    break;
                }
                buf.write(in.readNBytes(size));
                readLine(in);
            }
            body = buf.toByteArray();
        }
        else if (cl != null) {
            body = in.readNBytes(Integer.parseInt(cl));
        }
        return new Request(parts[0], parts[1], headers, body, connection, n);
    }

    private static String find(List<String[]> headers, String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        if (sb.length() == 0) {
            return null;
        }
        throw new EOFException("connection closed mid-line");
    }
}
