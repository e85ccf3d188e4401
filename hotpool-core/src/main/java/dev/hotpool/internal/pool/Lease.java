package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;

/**
 * A leased connection: the one handle the protocol layer holds on the pool. It ends exactly once, by
 * {@link #release()} (the connection may carry another exchange) or {@link #discard(CloseReason)} (it must not).
 * The pool ignores the end of a connection that is no longer leased, but a released connection may already be leased
 * again (handed straight to a waiter) through the same handle, so the holder must end its lease once and then let go.
 *
 * <p>Not thread-safe, like the connection it leases. Public for the protocol layer
 * ({@code dev.hotpool.internal.http}).
 */
public interface Lease extends Connection {

    /**
     * Whether the lease took a connection that already existed (idle in the pool, warmed, or handed over) rather than
     * one opened for it: such a connection may have been closed by the server meanwhile.
     */
    boolean reused();

    /**
     * The server's idle limit for this connection (from {@code Keep-Alive: timeout=N}), already shortened by the
     * caller's safety margin; applied when the connection goes back to the pool. {@code -1}: none.
     */
    void keepAliveHint(long millis);

    /** Gives the connection back for reuse: to the oldest waiter of its route, or into the idle lists. */
    void release();

    /** Closes the connection, which must not be reused, and counts why. */
    void discard(CloseReason reason);

    /**
     * Closes the socket at once, from any thread: a read or write blocked on it fails. The holder still ends the
     * lease with {@link #discard(CloseReason)}. Idempotent.
     */
    void abort();
}
