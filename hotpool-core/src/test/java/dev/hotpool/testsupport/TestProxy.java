package dev.hotpool.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 forward proxy written for the tests, on 127.0.0.1: {@code CONNECT host:port} tunnels (relaying bytes
 * both ways, so TLS runs end to end) and absolute-form requests ({@code GET http://host:port/path}, forwarded in
 * origin form over a kept-alive upstream connection per client connection; responses must carry Content-Length, as
 * {@link StubServer}'s do). Optionally requires Basic credentials (407 otherwise) or refuses every CONNECT with a
 * status. Counts accepted connections, CONNECTs and forwarded requests, and records what it was sent. Dials loopback
 * addresses only. Close it to stop it: every connection it holds is closed.
 *
 * <p>Thread-safe.
 */
public final class TestProxy implements AutoCloseable {

    private final LoopbackServer server;
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile String expectedAuthorization;
    private volatile int refuseConnectWith;
    private volatile String connectAnswer;
    private volatile boolean silent;
    private final Map<String, InetAddress> hosts = new ConcurrentHashMap<>();
    private final List<byte[]> firstRecords = new CopyOnWriteArrayList<>();

    private TestProxy() throws IOException {
        this.server = LoopbackServer.bind(InetAddress.getLoopbackAddress(), 0);
        this.server.serve("test-proxy", this::serve);
    }

    /** A proxy that forwards everything, without authentication. */
    public static TestProxy start() throws IOException {
        return new TestProxy();
    }

    /** Requires {@code Proxy-Authorization: Basic} with these credentials; without or with others, 407. */
    public TestProxy requireCredentials(String username, String password) {
        this.expectedAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Answers every CONNECT with this status (e.g. 403, 502) and closes. */
    public TestProxy refuseConnectWith(int status) {
        this.refuseConnectWith = status;
        return this;
    }

    /**
     * Answers every CONNECT with these bytes instead of {@code 200 Connection established}, then tunnels if they say
     * {@code 200} and closes otherwise; {@code null} bytes: never answer (hold the connection open, silent).
     */
    public TestProxy answerConnectWith(String rawHead) {
        this.silent = rawHead == null;
        this.connectAnswer = rawHead;
        return this;
    }

    /** Resolves {@code host} to {@code address} instead of asking DNS, as a proxy with its own resolver would. */
    public TestProxy resolve(String host, InetAddress address) {
        this.hosts.put(host, address);
        return this;
    }

    /** The first TLS record the client sent into each tunnel (its ClientHello), in order. */
    public List<byte[]> firstTlsRecords() {
        return List.copyOf(this.firstRecords);
    }

    public int port() {
        return this.server.port();
    }

    /** {@code http://127.0.0.1:port}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** TCP connections accepted from clients. */
    public int connectionsAccepted() {
        return this.server.connectionsAccepted();
    }

    /** CONNECT requests received (granted or not). */
    public int connects() {
        return this.connects.get();
    }

    /** Absolute-form requests forwarded to an origin. */
    public int forwardedRequests() {
        return this.forwarded.get();
    }

    /** Every request line received, in order ({@code CONNECT 127.0.0.1:8443 HTTP/1.1}, {@code GET http://…}). */
    public List<String> requestLines() {
        return List.copyOf(this.requestLines);
    }

    /** Every {@code Proxy-Authorization} value received, in order. */
    public List<String> authorizations() {
        return List.copyOf(this.authorizations);
    }

    /** Closes every client connection and tunnel now, as a proxy whose idle timeout struck would. */
    public void dropConnections() {
        this.server.dropConnections();
    }

    @Override
    public void close() {
        this.server.close();
    }

    private void serve(Socket client) {
        Map<String, Socket> upstreams = new HashMap<>();
        try {
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (!this.server.isClosed()) {
                List<String> head = readHead(in);
                if (head == null) {
                    return;
                }
                String requestLine = head.get(0);
                this.requestLines.add(requestLine);
                String authorization = header(head, "Proxy-Authorization");
                if (authorization != null) {
                    this.authorizations.add(authorization);
                }
                String[] parts = requestLine.split(" ");
                boolean connect = parts[0].equals("CONNECT");
                if (connect) {
                    this.connects.incrementAndGet();
                }
                String expected = this.expectedAuthorization;
                if (expected != null && !expected.equals(authorization)) {
                    write(out, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\""
                            + "\r\nContent-Length: 0\r\n\r\n");
                    if (connect) {
                        return;
                    }
                    skipBody(in, head);
                    continue;
                }
                if (connect) {
                    int refusal = this.refuseConnectWith;
                    if (refusal != 0) {
                        write(out, "HTTP/1.1 " + refusal + " Refused by the test proxy\r\nContent-Length: 0\r\n\r\n");
                        return;
                    }
                    String answer = this.connectAnswer;
                    if (this.silent) {
                        while (in.read() >= 0) {
                            // Say nothing until the client gives up.
                        }
                        return;
                    }
                    if (answer != null && !answer.contains(" 200 ")) {
                        write(out, answer);
                        return;
                    }
                    tunnel(client, in, out, parts[1], answer);
                    return;
                }
                forward(in, out, head, parts, upstreams);
            }
        }
        catch (IOException | RuntimeException e) {
            // The client or the origin went away, or the test dropped the connection.
        }
        finally {
            for (Socket s : upstreams.values()) {
                this.server.forget(s);
            }
        }
    }

    private void tunnel(Socket client, InputStream in, OutputStream out, String authority, String answer)
            throws IOException {
        Socket origin = dial(authority);
        if (origin == null) {
            write(out, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        try {
            write(out, answer != null ? answer : "HTTP/1.1 200 Connection established\r\n\r\n");
            byte[] record = readTlsRecord(in);
            this.firstRecords.add(record);
            origin.getOutputStream().write(record);
            Thread up = new Thread(() -> pump(in, origin), "test-proxy-up-" + port());
            up.setDaemon(true);
            up.start();
            pump(origin.getInputStream(), client);
        }
        finally {
            this.server.forget(origin);
        }
    }

    private void forward(InputStream in, OutputStream out, List<String> head, String[] parts,
            Map<String, Socket> upstreams) throws IOException {
        URI target = URI.create(parts[1]);
        String authority = target.getHost() + ":" + (target.getPort() < 0 ? 80 : target.getPort());
        Socket origin = upstreams.get(authority);
        if (origin == null || origin.isClosed()) {
            origin = dial(authority);
            if (origin == null) {
                write(out, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
                return;
            }
            upstreams.put(authority, origin);
        }
        StringBuilder request = new StringBuilder(parts[0]).append(' ')
                .append(target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath())
                .append(target.getRawQuery() == null ? "" : "?" + target.getRawQuery()).append(' ').append(parts[2])
                .append("\r\n");
        for (String line : head.subList(1, head.size())) {
            String name = line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
            if (!name.equals("proxy-authorization") && !name.equals("proxy-connection")) {
                request.append(line).append("\r\n");
            }
        }
        request.append("\r\n");
        OutputStream up = origin.getOutputStream();
        up.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        copyBody(in, up, head);
        up.flush();
        this.forwarded.incrementAndGet();
        InputStream down = origin.getInputStream();
        List<String> response = readHead(down);
        if (response == null) {
            throw new IOException("the origin closed the connection");
        }
        StringBuilder answer = new StringBuilder();
        for (String line : response) {
            answer.append(line).append("\r\n");
        }
        answer.append("\r\n");
        out.write(answer.toString().getBytes(StandardCharsets.ISO_8859_1));
        copyBody(down, out, response);
        out.flush();
    }

    /** A connection to a loopback address, or {@code null} when the target is not loopback or refuses. */
    private Socket dial(String authority) {
        int colon = authority.lastIndexOf(':');
        InetAddress address;
        try {
            String host = authority.substring(0, colon).replace("[", "").replace("]", "");
            address = this.hosts.containsKey(host) ? this.hosts.get(host) : InetAddress.getByName(host);
        }
        catch (IOException | RuntimeException e) {
            return null;
        }
        if (!address.isLoopbackAddress()) {
            return null; // Tests contact loopback only.
        }
        Socket s = this.server.track(new Socket()); // Tracked while it connects: close() ends the connect too.
        try {
            s.connect(new InetSocketAddress(address, Integer.parseInt(authority.substring(colon + 1))), 5000);
            s.setTcpNoDelay(true);
            return s;
        }
        catch (IOException | RuntimeException e) {
            this.server.forget(s);
            return null;
        }
    }

    private static void pump(InputStream from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = from.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
        catch (IOException e) {
            // Either side went away.
        }
        finally {
            closeQuietly(to);
        }
    }

    /** One TLS record: the 5-byte header, then as many bytes as it says. */
    private static byte[] readTlsRecord(InputStream in) throws IOException {
        byte[] header = in.readNBytes(5);
        if (header.length < 5) {
            throw new IOException("the tunnel closed before a TLS record");
        }
        byte[] body = in.readNBytes(((header[3] & 0xff) << 8) | (header[4] & 0xff));
        byte[] record = java.util.Arrays.copyOf(header, 5 + body.length);
        System.arraycopy(body, 0, record, 5, body.length);
        return record;
    }

    private static void copyBody(InputStream in, OutputStream out, List<String> head) throws IOException {
        String length = header(head, "Content-Length");
        long n = length == null ? 0 : Long.parseLong(length.trim());
        byte[] buffer = new byte[8192];
        while (n > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (r < 0) {
                throw new IOException("truncated body");
            }
            out.write(buffer, 0, r);
            n -= r;
        }
    }

    private static void skipBody(InputStream in, List<String> head) throws IOException {
        copyBody(in, OutputStream.nullOutputStream(), head);
    }

    /** The head's lines without the blank one, or {@code null} at end of stream before any byte. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine(in);
            if (line == null) {
                return lines.isEmpty() ? null : lines;
            }
            if (line.isEmpty()) {
                if (lines.isEmpty()) {
                    continue;
                }
                return lines;
            }
            lines.add(line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String header(List<String> head, String name) {
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        }
        catch (IOException ignored) {
            // Nothing more can be done.
        }
    }
}
