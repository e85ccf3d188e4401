package dev.hotpool.internal.pool;

import java.util.concurrent.locks.Condition;

/**
 * A lease waiting in its route's line. The granting thread, holding the pool's lock, sets {@link #granted} (a
 * released connection handed over, LEASED; or a slot reserved for the waiter to connect, CONNECTING), then
 * {@link #done}, then signals. Guarded by the pool's lock.
 */
final class Waiter implements Admission {

    /** The route whose line it waits in; alive while the waiter is in its line. */
    final RoutePool route;
    final Condition condition;
    PoolEntry granted;
    boolean done;

    Waiter(RoutePool route, Condition condition) {
        this.route = route;
        this.condition = condition;
    }

    void grant(PoolEntry entry) {
        this.granted = entry;
        this.done = true;
        this.condition.signal();
    }
}
