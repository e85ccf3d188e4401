package dev.hotpool.benchmarks.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain-HTTP/1.1 server on 127.0.0.1 for the JMH benchmarks, inside the benchmark's JVM: a thread per
 * connection, a fixed keep-alive answer to every request head (a 1,024-byte body unless another size is given), or,
 * in {@link Mode#HOLD}, no answer at all (the connection is only held open, for benchmarks that never send a request
 * on it). Requests are expected without a body.
 *
 * <p>Thread-safe. {@link #close()} closes the listening socket and every connection; its threads then end.
 */
final class LoopbackHttpServer implements AutoCloseable {

    /** What the server does with a connection. */
    enum Mode {
        /** Answer every request head with 200 and the body (1 KiB by default), keep-alive. */
        ANSWER,
        /** Accept and hold; never read or write. */
        HOLD
    }

    private final byte[] response;
    private final ServerSocket server;
    private final Mode mode;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    LoopbackHttpServer(Mode mode) throws IOException {
        this(mode, 1024);
    }

    /** Answers with a body of {@code bodyBytes} bytes. */
    LoopbackHttpServer(Mode mode, int bodyBytes) throws IOException {
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + bodyBytes
                + "\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.response = new byte[head.length + bodyBytes];
        System.arraycopy(head, 0, this.response, 0, head.length);
        java.util.Arrays.fill(this.response, head.length, this.response.length, (byte) 'x');
        this.mode = mode;
        this.server = new ServerSocket();
        this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        Thread acceptor = new Thread(this::accept, "jmh-loopback-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return this.server.getLocalPort();
    }

    private void accept() {
        while (!this.closed) {
            try {
                Socket s = this.server.accept();
                s.setTcpNoDelay(true);
                this.connections.add(s);
                if (this.mode == Mode.ANSWER) {
                    Thread t = new Thread(() -> serve(s), "jmh-loopback-conn");
                    t.setDaemon(true);
                    t.start();
                }
            }
            catch (IOException e) {
                return; // Closed.
            }
        }
    }

    private void serve(Socket s) {
        byte[] buf = new byte[8192];
        int matched = 0;
        try (InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                            ? matched + 1 : (b == '\r' ? 1 : 0);
                    if (matched == 4) {
                        out.write(this.response);
                        matched = 0;
                    }
                }
                out.flush();
            }
        }
        catch (IOException e) {
            // The client went away.
        }
    }

    @Override
    public void close() throws IOException {
        this.closed = true;
        this.server.close();
        for (Socket s : this.connections) {
            s.close();
        }
    }
}
