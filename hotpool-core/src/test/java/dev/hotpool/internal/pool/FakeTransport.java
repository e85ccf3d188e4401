package dev.hotpool.internal.pool;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport without a socket, for the engine's own tests: a plain ({@code TCP}) connection that reads end of stream,
 * discards what is written, and is alive until its peer closes it or it is closed or aborted; counts its closes and
 * aborts. The one in-memory transport of the tests: {@link FakeConnector}'s, the concurrent fuzz test's (which names
 * its own) and {@link InMemoryServer}'s (which gives its own streams and liveness) are this one.
 *
 * <p>Thread-safe: the counts and the peer's close may be read and changed from any thread.
 */
class FakeTransport implements Transport {

    private final InetSocketAddress remote;
    private final AtomicInteger closes = new AtomicInteger();
    private final AtomicInteger aborts = new AtomicInteger();
    private volatile boolean peerClosed;
    private volatile int soTimeout;

    FakeTransport(InetSocketAddress remote) {
        this.remote = remote;
    }

    /** The peer closes the connection: liveness reads see end of stream from now on. */
    void peerCloses() {
        this.peerClosed = true;
    }

    /** How many times {@link #close()} was called. */
    final int closes() {
        return this.closes.get();
    }

    /** How many times {@link #abort()} was called. */
    final int aborts() {
        return this.aborts.get();
    }

    final boolean closed() {
        return closes() > 0;
    }

    final boolean aborted() {
        return aborts() > 0;
    }

    /** Closed or aborted: a socket's reads and writes would fail. */
    final boolean shut() {
        return closed() || aborted();
    }

    @Override
    public InputStream in() {
        return new ByteArrayInputStream(new byte[0]);
    }

    @Override
    public OutputStream out() {
        return OutputStream.nullOutputStream();
    }

    @Override
    public final InetSocketAddress remote() {
        return this.remote;
    }

    @Override
    public final String protocol() {
        return "TCP";
    }

    @Override
    public final String cipherSuite() {
        return null;
    }

    @Override
    public final String applicationProtocol() {
        return "";
    }

    @Override
    public final String profile() {
        return null;
    }

    @Override
    public final void soTimeout(int millis) {
        this.soTimeout = millis;
    }

    @Override
    public final int soTimeout() {
        return this.soTimeout;
    }

    @Override
    public boolean isAlive() {
        return !this.peerClosed && !shut();
    }

    @Override
    public final void close() {
        this.closes.incrementAndGet();
    }

    @Override
    public final void abort() {
        this.aborts.incrementAndGet();
    }

    @Override
    public String toString() {
        return "fake " + this.remote + (closed() ? " (closed)" : "");
    }
}
