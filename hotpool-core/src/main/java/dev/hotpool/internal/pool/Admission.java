package dev.hotpool.internal.pool;

/**
 * What a lease gets when it is admitted under the lock: a {@link PoolEntry} (an idle connection now leased, or a
 * slot reserved for a connection to open) or a {@link Waiter} in its route's line.
 */
sealed interface Admission permits PoolEntry, Waiter {
}
