package dev.hotpool.internal.tls;

import dev.hotpool.testsupport.LoopbackServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A ClientHello-parsing relay on 127.0.0.1: for each connection it reads the client's first records up to the end of
 * its ClientHello, parses them ({@link ClientHello}), then connects to the backend, forwards those bytes and relays
 * both directions unchanged, so the handshake completes with the real server behind it. Tests see every hello in
 * {@link #nextHello()}.
 *
 * <p>Thread-safe; one daemon thread accepts, two per connection relay (a {@link LoopbackServer}). {@link #close()}
 * closes everything. Public for the connector's tests in the pool package ({@link #nextSeen()}).
 */
public final class SniffingProxy implements AutoCloseable {

    /** What a ClientHello showed, for tests outside this package: its ALPN list, SNI name, JA3 string and JA4. */
    public record Seen(List<String> alpn, String serverName, String ja3, String ja4) {
    }


    private final LoopbackServer server;
    private final int backendPort;
    private final BlockingQueue<ClientHello> hellos = new LinkedBlockingQueue<>();

    private SniffingProxy(int backendPort) throws IOException {
        this.server = LoopbackServer.bind(InetAddress.getLoopbackAddress(), 0);
        this.backendPort = backendPort;
        this.server.serve("sniffing-proxy", this::relay);
    }

    /** A relay to {@code 127.0.0.1:backendPort}. */
    public static SniffingProxy to(int backendPort) throws IOException {
        return new SniffingProxy(backendPort);
    }

    public int port() {
        return this.server.port();
    }

    /** The next ClientHello a client sent, waiting up to 10 s. */
    ClientHello nextHello() throws InterruptedException {
        ClientHello hello = this.hellos.poll(10, TimeUnit.SECONDS);
        if (hello == null) {
            throw new AssertionError("no ClientHello reached the proxy within 10 s");
        }
        return hello;
    }

    /** {@link #nextHello()}, as a {@link Seen}. */
    public Seen nextSeen() throws InterruptedException {
        return seen(nextHello());
    }

    /** The ClientHello in {@code records} (as {@code TestProxy.firstTlsRecords()} gives them), as a {@link Seen}. */
    public static Seen seen(byte[] records) {
        return seen(ClientHello.parse(records));
    }

    private static Seen seen(ClientHello hello) {
        return new Seen(hello.alpn(), hello.serverName(), hello.ja3(), hello.ja4());
    }

    @Override
    public void close() {
        this.server.close();
    }

    /** Relays one connection until both directions ended; the server then closes the client's socket. */
    private void relay(Socket client) throws IOException {
        client.setSoTimeout(10_000);
        byte[] hello;
        try {
            hello = ClientHelloCapture.readHello(client.getInputStream());
            this.hellos.add(ClientHello.parse(hello));
        }
        catch (IllegalArgumentException ex) {
            return; // Not a ClientHello: the proxy hangs up.
        }
        Socket backend = this.server.track(new Socket());
        try {
            backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.backendPort), 10_000);
            backend.getOutputStream().write(hello);
            Thread down = daemon(() -> pump(backend, client), "sniffing-proxy-down");
            pump(client, backend);
            down.join();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            this.server.forget(backend);
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
