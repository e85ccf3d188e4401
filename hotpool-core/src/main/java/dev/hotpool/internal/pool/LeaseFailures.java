package dev.hotpool.internal.pool;

import dev.hotpool.AcquireTimeoutException;
import dev.hotpool.CloseReason;
import dev.hotpool.HotPoolException;
import dev.hotpool.metrics.PoolListener;

/**
 * What a lease that fails says, and how it is counted: refused because its route's line is full, out of time in that
 * line, or refused because the pool is closed. A refused or timed-out lease is a failed acquire (the ledger's count and
 * the listener's {@code acquireFailed}); its message names the route, the route's and the pool's counts, the property
 * to raise, and, when every connection of the route is leased, who holds them ({@link StarvationWarning}).
 *
 * <p>Not thread-safe: guarded by the pool's lock.
 */
final class LeaseFailures {

    private final String poolName;
    private final Ledger ledger;
    private final PoolListener listener;
    private final StarvationWarning starvation;
    private final int maxPendingAcquires;

    LeaseFailures(String poolName, Ledger ledger, PoolListener listener, StarvationWarning starvation,
            int maxPendingAcquires) {
        this.poolName = poolName;
        this.ledger = ledger;
        this.listener = listener;
        this.starvation = starvation;
        this.maxPendingAcquires = maxPendingAcquires;
    }

    /** Whether the route's line is full ({@code max-pending-acquires}): a lease that would wait is refused. */
    boolean lineFull(RoutePool r) {
        return r.waiterCount() >= this.maxPendingAcquires;
    }

    /** A lease is refused because the route's line is full: counted, and what the caller is told. */
    AcquireTimeoutException refused(RoutePool r, long now) {
        this.ledger.countAcquireFailure();
        this.listener.acquireFailed(r.route().origin());
        return new AcquireTimeoutException("hotpool: too many leases waiting for " + r.route() + " ("
                + r.waiterCount() + " waiting, hotpool.max-pending-acquires=" + this.maxPendingAcquires + "); "
                + this.ledger.describe(r) + this.starvation.noteLocked(r,
                        "a lease was refused: the line of waiting leases is full", now));
    }

    /** A lease waited {@code waitedMillis} in the route's line without a connection: counted, and what it is told. */
    AcquireTimeoutException timedOut(RoutePool r, long waitedMillis, long now) {
        this.ledger.countAcquireFailure();
        this.listener.acquireFailed(r.route().origin());
        return new AcquireTimeoutException("hotpool: no connection to " + r.route() + " within " + waitedMillis
                + " ms (" + this.ledger.describe(r) + "); raise " + r.capProperty() + " or "
                + "hotpool.acquire-timeout, or check that responses are closed" + (r.shared().isEmpty() ? ""
                        : " (on HTTP/2 a connection carries as many streams as its server's "
                        + "SETTINGS_MAX_CONCURRENT_STREAMS and hotpool.http2.max-concurrent-streams allow)")
                + this.starvation.noteLocked(r, "a lease timed out after " + waitedMillis + " ms", now));
    }

    /** A lease of the route is refused because the pool is closed (not a failed acquire). */
    HotPoolException closed(Route route) {
        return new HotPoolException("hotpool: pool '" + this.poolName + "' is closed; no connection to " + route
                + " can be leased");
    }

    /** A new multiplexed connection that takes no stream: the server allows none, or said GOAWAY at once. */
    HotPoolException noStream(Route route, int limit, CloseReason reason) {
        return new HotPoolException("hotpool: the new HTTP/2 connection to " + route + " takes no stream: "
                + (limit < 1 ? "the server allows " + limit + " concurrent streams (SETTINGS_MAX_CONCURRENT_STREAMS)"
                        : "the server ended it at once (" + reason.name().toLowerCase(java.util.Locale.ROOT) + ")"));
    }
}
