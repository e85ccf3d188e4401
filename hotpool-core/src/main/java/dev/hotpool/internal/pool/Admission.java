package dev.hotpool.internal.pool;

/**
 * What a lease gets when it is admitted under the lock: a {@link PoolEntry} (an idle connection now leased, or a
 * slot reserved for a connection to open), a {@link StreamLease} (a stream of a multiplexed connection), or a
 * {@link Waiter} in its route's line.
 */
sealed interface Admission permits PoolEntry, StreamLease, Waiter {
}
