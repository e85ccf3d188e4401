package dev.hotpool.internal.pool;

import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;

import java.net.InetSocketAddress;

/**
 * What the pool keeps of one lease while it is held: when and by which thread it began, whether it took a connection
 * that already existed, and its leak watch. A lease of a whole connection is that connection's {@link PoolEntry}; a
 * lease of one stream of a multiplexed connection is a {@link StreamLease}.
 *
 * <p>The fields are written by the leasing thread in {@link LeaseEvents#begin} (the watch last, a volatile write) and
 * read under the pool's lock by whoever reads the watch first.
 */
abstract sealed class Held implements Lease permits PoolEntry, StreamLease {

    /** System.nanoTime() when the current lease began, 0 when not leased by a caller. */
    long leasedAtNanos;
    /** The name of the thread that began the current lease, for {@link StarvationWarning}. */
    String leasedBy;
    /** The leak watch of the current lease: set by the leasing thread, ended by the pool. */
    volatile LeakDetector.Watch leakWatch = LeakDetector.Watch.NONE;
    private boolean reused;

    /** The connection the lease is on. */
    abstract PoolEntry connection();

    // A lease of a stream is of its connection's route and socket: one answer for both kinds of lease.

    @Override
    public Origin origin() {
        return connection().route.route().origin();
    }

    @Override
    public InetSocketAddress remote() {
        return connection().transport().remote();
    }

    @Override
    public HttpProxy proxy() {
        return connection().route.route().proxy();
    }

    @Override
    public String profile() {
        return connection().transport().profile();
    }

    @Override
    public boolean reused() {
        return this.reused;
    }

    void leased(boolean fromPool) {
        this.reused = fromPool;
    }
}
