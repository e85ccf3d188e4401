package dev.hotpool.internal.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A ClientHello-parsing relay on 127.0.0.1: for each connection it reads the client's first records up to the end of
 * its ClientHello, parses them ({@link ClientHello}), then connects to the backend, forwards those bytes and relays
 * both directions unchanged, so the handshake completes with the real server behind it. Tests see every hello in
 * {@link #nextHello()}.
 *
 * <p>Thread-safe; one daemon thread accepts, two per connection relay. {@link #close()} closes everything.
 */
final class SniffingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int backendPort;
    private final BlockingQueue<ClientHello> hellos = new LinkedBlockingQueue<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private SniffingProxy(int backendPort) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.backendPort = backendPort;
        this.acceptor = daemon(this::acceptLoop, "sniffing-proxy-" + this.listener.getLocalPort());
    }

    /** A relay to {@code 127.0.0.1:backendPort}. */
    static SniffingProxy to(int backendPort) throws IOException {
        return new SniffingProxy(backendPort);
    }

    int port() {
        return this.listener.getLocalPort();
    }

    /** The next ClientHello a client sent, waiting up to 10 s. */
    ClientHello nextHello() throws InterruptedException {
        ClientHello hello = this.hellos.poll(10, TimeUnit.SECONDS);
        if (hello == null) {
            throw new AssertionError("no ClientHello reached the proxy within 10 s");
        }
        return hello;
    }

    @Override
    public void close() throws IOException {
        this.listener.close();
        for (Socket s : this.sockets) {
            s.close();
        }
        try {
            this.acceptor.join(10_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!this.listener.isClosed()) {
            try {
                Socket client = this.listener.accept();
                this.sockets.add(client);
                daemon(() -> relay(client), "sniffing-proxy-connection");
            }
            catch (IOException ex) {
                return;
            }
        }
    }

    private void relay(Socket client) {
        try {
            client.setSoTimeout(10_000);
            byte[] hello = ClientHelloCapture.readHello(client.getInputStream());
            this.hellos.add(ClientHello.parse(hello));
            Socket backend = new Socket();
            this.sockets.add(backend);
            backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.backendPort), 10_000);
            backend.getOutputStream().write(hello);
            daemon(() -> pump(backend, client), "sniffing-proxy-down");
            pump(client, backend);
        }
        catch (IOException | IllegalArgumentException ex) {
            closeQuietly(client);
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try {
            from.setSoTimeout(0);
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        }
        catch (IOException ex) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        }
        catch (IOException ignored) {
            // Closing is all that was wanted.
        }
    }
}
