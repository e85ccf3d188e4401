package dev.hotpool.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The listening half every hand-written test server shares: a server socket on a loopback address, one daemon
 * thread that accepts, and one daemon thread per accepted connection that runs the server's {@link Handler} and
 * closes the connection when it returns. Counts accepted connections, and tracks every socket it accepted or was
 * {@linkplain #track handed} (a proxy's upstream connections, a TLS layer over an accepted socket) so that
 * {@link #dropConnections()} and {@link #close()} close them all.
 *
 * <p>Thread-safe. {@link #close()} is idempotent: it stops accepting, closes every tracked socket and waits for the
 * accepting thread to end; a handler blocked on its socket ends with an {@link IOException}.
 */
public final class LoopbackServer implements AutoCloseable {

    /** Serves one accepted connection, on a thread of its own; the connection is closed when it returns or throws. */
    @FunctionalInterface
    public interface Handler {

        /**
         * @throws IOException when the client went away, or the server closed the socket: the end of the connection
         *     either way, and not reported
         */
        void serve(Socket socket) throws IOException;
    }

    /** Reads and discards whatever the client sends and never answers, until the client hangs up. */
    public static final Handler SILENT =
            (socket) -> socket.getInputStream().transferTo(OutputStream.nullOutputStream());

    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<Thread> acceptor = new AtomicReference<>();
    private volatile String name = "loopback-server";

    private LoopbackServer(ServerSocket listener) {
        InetAddress bound = listener.getInetAddress();
        if (!listener.isBound() || bound == null || !bound.isLoopbackAddress()) {
            closeQuietly(listener);
            throw new IllegalArgumentException("test servers listen on a loopback address, not on " + bound);
        }
        this.listener = listener;
    }

    /** A server on {@link InetAddress#getLoopbackAddress()} (127.0.0.1), on a free port, serving already. */
    public static LoopbackServer start(String name, Handler handler) throws IOException {
        return bind(InetAddress.getLoopbackAddress(), 0).serve(name, handler);
    }

    /**
     * A listener on a loopback address ({@code 127.0.0.2}, {@code ::1}, ...) and port ({@code 0}: a free one), which
     * accepts nothing until {@link #serve}; the port may be one a closed server held a moment ago (SO_REUSEADDR).
     */
    public static LoopbackServer bind(InetAddress address, int port) throws IOException {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("test servers listen on a loopback address, not on " + address);
        }
        ServerSocket listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(address, port), 200);
        }
        catch (IOException | RuntimeException e) {
            closeQuietly(listener);
            throw e;
        }
        return new LoopbackServer(listener);
    }

    /**
     * A server over a listener the caller bound and configured (e.g. an {@code SSLServerSocket} with its protocols
     * and client authentication set: the sockets it accepts are {@code SSLSocket}s), which accepts nothing until
     * {@link #serve}. The server owns the listener from now on.
     */
    public static LoopbackServer over(ServerSocket bound) {
        return new LoopbackServer(bound);
    }

    /**
     * Starts accepting: each connection is served by {@code handler} on a thread of its own. Once only; call it last
     * in the constructor of a server built on this one, so a connection never meets a half-made server.
     *
     * @param name names the threads
     */
    public LoopbackServer serve(String name, Handler handler) {
        Thread t = new Thread(() -> acceptLoop(handler), name + "-" + port());
        t.setDaemon(true);
        if (!this.acceptor.compareAndSet(null, t)) {
            throw new IllegalStateException(this + " serves already");
        }
        this.name = name;
        t.start();
        return this;
    }

    public int port() {
        return this.listener.getLocalPort();
    }

    /** The address it listens on. */
    public InetAddress address() {
        return this.listener.getInetAddress();
    }

    /** TCP connections accepted so far. */
    public int connectionsAccepted() {
        return this.accepted.get();
    }

    /**
     * Closes {@code socket} with the others on {@link #dropConnections()} and {@link #close()} (one a handler opened
     * or layered over its connection); a handler {@linkplain #forget forgets} it when done with it. When the server
     * is closed already, closes it at once.
     */
    public <S extends Socket> S track(S socket) {
        this.sockets.add(socket);
        if (this.closed.get()) {
            closeQuietly(socket);
        }
        return socket;
    }

    /** Closes a tracked socket and stops tracking it. */
    public void forget(Socket socket) {
        closeQuietly(socket);
        this.sockets.remove(socket);
    }

    /** Closes every connection (and every socket tracked) but keeps listening: a server restart as clients see it. */
    public void dropConnections() {
        for (Socket s : this.sockets) {
            closeQuietly(s);
        }
    }

    public boolean isClosed() {
        return this.closed.get();
    }

    @Override
    public void close() {
        if (!this.closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(this.listener);
        dropConnections();
        Thread t = this.acceptor.get();
        if (t == null) {
            return;
        }
        try {
            t.join(10_000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return this.name + " on " + this.listener.getLocalSocketAddress() + (isClosed() ? " (closed)" : "") + ", "
                + this.accepted + " accepted, " + this.sockets.size() + " sockets open";
    }

    private void acceptLoop(Handler handler) {
        while (!this.closed.get()) {
            Socket socket;
            try {
                socket = this.listener.accept();
            }
            catch (IOException e) {
                return; // Closed.
            }
            this.accepted.incrementAndGet();
            track(socket);
            Thread t = new Thread(() -> serveOne(handler, socket), this.name + "-connection-" + port());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serveOne(Handler handler, Socket socket) {
        try {
            handler.serve(socket);
        }
        catch (IOException e) {
            // The client went away, the test made the server misbehave, or close() closed the socket.
        }
        finally {
            forget(socket);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        }
        catch (IOException ignored) {
            // Closing anyway.
        }
    }
}
