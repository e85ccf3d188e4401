package dev.hotpool.benchmarks.framing;

import dev.hotpool.internal.http.FramingCorpus;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server on 127.0.0.1 for one corpus case and one client: one accept loop, a thread per connection,
 * connections numbered in the order accepted. A request for {@code /next} gets a plain {@code 200} ({@code next},
 * kept alive); any other request gets the case's bytes exactly as the corpus writes them (and the connection is
 * closed after them when the case says {@code then: close}). Every request is recorded with the connection it came
 * on, so the caller tells whether {@code /next} followed the case's response on the same connection.
 *
 * <p>Thread-safe. {@link #close()} closes the listening socket and every connection, which also ends any read a
 * client is stuck in.
 */
final class CaseServer implements AutoCloseable {

    static final String NEXT = "/next";

    private static final byte[] NEXT_RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n"
            + "\r\nnext")
            .getBytes(StandardCharsets.ISO_8859_1);

    /** A request as the server read it: its target, and the number of the connection it came on (1, 2, ...). */
    record Seen(String method, String target, int connection) {
    }

    private final FramingCorpus.Case c;
    private final ServerSocket listener = new ServerSocket();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** Open connections; each leaves when its thread ends. */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    CaseServer(FramingCorpus.Case c) throws IOException {
        this.c = c;
        this.listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "case-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri(String target) {
        return URI.create("http://127.0.0.1:" + this.listener.getLocalPort() + target);
    }

    /** The requests read so far, in order. */
    List<Seen> seen() {
        return List.copyOf(this.seen);
    }

    /** Connections accepted so far. */
    int connections() {
        return this.connections.get();
    }

    private void accept() {
        while (!this.closed) {
            try {
                Socket s = this.listener.accept();
                int number = this.connections.incrementAndGet();
                this.open.add(s);
                if (this.closed) {
                    s.close();
                    return;
                }
                Thread t = new Thread(() -> serve(s, number), "case-server-conn-" + number);
                t.setDaemon(true);
                t.start();
            }
            catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s, int number) {
        try (s) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                String requestLine = readHead(in);
                if (requestLine == null) {
                    return;
                }
                String[] parts = requestLine.split(" ");
                String method = parts[0];
                String target = parts.length > 1 ? parts[1] : "";
                this.seen.add(new Seen(method, target, number));
                if (target.equals(NEXT)) {
                    out.write(NEXT_RESPONSE);
                    out.flush();
                    continue;
                }
                out.write(this.c.send());
                out.flush();
                if (this.c.serverCloses()) {
                    return;
                }
            }
        }
        catch (IOException e) {
            // The client went away, or close() closed the socket.
        }
        finally {
            this.open.remove(s);
        }
    }

    /**
     * Reads one request head (the clients here send no request body) and returns its request line, or {@code null}
     * when the client closed the connection before a request began.
     */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        String requestLine = null;
        int c;
        while ((c = in.read()) >= 0) {
            if (c != '\n') {
                line.write(c);
                continue;
            }
            String l = line.toString(StandardCharsets.ISO_8859_1).trim();
            line.reset();
            if (requestLine == null) {
                if (!l.isEmpty()) {
                    requestLine = l;
                }
                continue;
            }
            if (l.isEmpty()) {
                return requestLine;
            }
            if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")
                    && Long.parseLong(l.substring(15).trim()) != 0) {
                throw new IOException("case server: a request with a body");
            }
        }
        return null;
    }

    @Override
    public void close() {
        this.closed = true;
        try {
            this.listener.close();
        }
        catch (IOException e) {
            // Closing.
        }
        for (Socket s : new ArrayList<>(this.open)) {
            try {
                s.close();
            }
            catch (IOException e) {
                // Closing.
            }
        }
    }
}
