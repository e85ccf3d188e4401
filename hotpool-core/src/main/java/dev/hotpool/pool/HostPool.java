package dev.hotpool.pool;

import dev.hotpool.PoolStats;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-route bookkeeping: its idle connections (newest first), its waiting leases (oldest first) and its
 * counts. Not thread-safe: every field is guarded by the owning {@link ConnectionPool}'s lock.
 */
final class HostPool {

    final Route route;
    /** Idle connections, newest at the head (LIFO reuse lets the rest idle out). */
    final ArrayDeque<PoolEntry> idle = new ArrayDeque<>();
    /** Leases waiting for a connection, oldest at the head (FIFO). */
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Connections connecting, leased or idle. */
    int allocated;
    int leased;
    int connecting;
    /** Idle connections taken out for a health check. */
    int checking;
    /** Counted without the lock. */
    final LongAdder leases = new LongAdder();
    long created;

    /** Live connections per address (thread-safe on its own: read by connecting threads without the lock). */
    final AddressLoad load = new AddressLoad();

    HostPool(Route route) {
        this.route = route;
    }

    /** This route's counts; idle includes connections out for a health check. */
    PoolStats.HostStats statsLocked() {
        return new PoolStats.HostStats(this.route.origin(), this.route.toString(), this.allocated, this.leased,
                this.idle.size() + this.checking, this.connecting, this.waiters.size(), this.leases.sum(), this.created);
    }

    /** The least recently used idle connection, or {@code null}. */
    PoolEntry oldestIdle() {
        return this.idle.peekLast();
    }
}
