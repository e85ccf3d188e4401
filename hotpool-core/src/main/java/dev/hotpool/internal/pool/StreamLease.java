package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A lease of one stream of a multiplexed connection: one of the {@link Multiplex#streamLimit()} slots of its
 * {@link PoolEntry}, which stays LEASED while it has any. It has no byte streams of its own: the holder exchanges
 * through the connection's {@link #multiplex() session}. {@link #release()} gives the slot back (the connection goes
 * on); {@link #discard(CloseReason)} closes the whole connection, for an error of the connection rather than of the
 * stream. {@link #abort()} runs the holder's attachment when it is a {@link Runnable} (the stream's cancel), never
 * the socket, which other streams share.
 *
 * <p>Not thread-safe, like any lease; {@link #ended} is guarded by the pool's lock.
 */
final class StreamLease extends Held implements Admission {

    final PoolEntry entry;
    private final ConnectionPool pool;
    /** Set once, under the pool's lock, when the lease ended (released, discarded, or its connection closed). */
    boolean ended;
    private Object attachment;

    StreamLease(PoolEntry entry, ConnectionPool pool) {
        this.entry = entry;
        this.pool = pool;
    }

    @Override
    PoolEntry connection() {
        return this.entry;
    }

    @Override
    public Multiplex multiplex() {
        return this.entry.multiplex();
    }

    @Override
    public InputStream in() {
        throw new UnsupportedOperationException("hotpool: a stream lease has no byte stream; use its multiplex()");
    }

    @Override
    public OutputStream out() {
        throw new UnsupportedOperationException("hotpool: a stream lease has no byte stream; use its multiplex()");
    }

    /** Streams have no read timeout of their own at the socket: the session applies it per stream. */
    @Override
    public void soTimeout(int millis) {
    }

    @Override
    public int soTimeout() {
        return 0;
    }

    /** Streams begun on the connection, this one included. */
    @Override
    public int exchanges() {
        return this.entry.exchanges();
    }

    /** Counted when the stream was granted. */
    @Override
    public void beginExchange() {
    }

    /** A server's idle hint concerns the connection, which the session learns of itself. */
    @Override
    public void keepAliveHint(long millis) {
    }

    @Override
    public Object attachment() {
        return this.attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public void release() {
        this.pool.releaseStream(this);
    }

    @Override
    public void discard(CloseReason reason) {
        this.pool.discardStream(this, reason);
    }

    @Override
    public void abort() {
        if (this.attachment instanceof Runnable cancel) {
            cancel.run();
        }
    }

    @Override
    public String toString() {
        return "a stream of " + this.entry;
    }
}
