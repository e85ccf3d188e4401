package dev.hotpool.pool;

import java.util.concurrent.locks.Condition;

/**
 * A lease waiting in line. The granting thread sets exactly one of {@link #entry} (a released connection
 * handed over) or {@link #permit} (a slot reserved: the waiter connects), then {@link #done}, then signals.
 * Guarded by the pool's lock.
 */
final class Waiter {

    final Condition condition;
    PoolEntry entry;
    boolean permit;
    boolean done;

    Waiter(Condition condition) {
        this.condition = condition;
    }
}
