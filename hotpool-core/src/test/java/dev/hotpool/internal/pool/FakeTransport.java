package dev.hotpool.internal.pool;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/** A transport without a socket, for the engine's own tests: alive until told otherwise, counts its closes. */
final class FakeTransport implements Transport {

    private final InetSocketAddress remote;
    private final InputStream in = new ByteArrayInputStream(new byte[0]);
    private final OutputStream out = new ByteArrayOutputStream();
    private volatile boolean alive = true;
    private volatile boolean closed;
    private volatile boolean aborted;
    private int soTimeout;

    FakeTransport(InetSocketAddress remote) {
        this.remote = remote;
    }

    /** The peer closes the connection: liveness reads see end of stream from now on. */
    void peerCloses() {
        this.alive = false;
    }

    boolean closed() {
        return this.closed;
    }

    boolean aborted() {
        return this.aborted;
    }

    @Override
    public InputStream in() {
        return this.in;
    }

    @Override
    public OutputStream out() {
        return this.out;
    }

    @Override
    public InetSocketAddress remote() {
        return this.remote;
    }

    @Override
    public String protocol() {
        return "TCP";
    }

    @Override
    public String cipherSuite() {
        return null;
    }

    @Override
    public String profile() {
        return null;
    }

    @Override
    public void soTimeout(int millis) {
        this.soTimeout = millis;
    }

    @Override
    public int soTimeout() {
        return this.soTimeout;
    }

    @Override
    public boolean isAlive() {
        return this.alive && !this.closed && !this.aborted;
    }

    @Override
    public void close() {
        this.closed = true;
    }

    @Override
    public void abort() {
        this.aborted = true;
    }

    @Override
    public String toString() {
        return "fake " + this.remote + (this.closed ? " (closed)" : "");
    }
}
