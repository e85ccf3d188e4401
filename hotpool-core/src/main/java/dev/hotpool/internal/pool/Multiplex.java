package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;

/**
 * A multiplexed session (HTTP/2) over one pooled connection, as the pool sees it: how many streams it may carry at
 * once, whether it takes new ones, a ping, and its end. The protocol layer starts it on a new connection
 * ({@link Multiplexing#open}) and tells the pool what changes through the {@link Events} it was given. The pool leases
 * such a connection by the stream ({@link Connection#multiplex()} tells the lease holder which session it is on):
 * many leases share it, up to {@link #streamLimit()}, and it is IDLE only while it carries none.
 *
 * <p>Thread-safe: the pool reads it under its lock, so no method may block except {@link #ping()} and
 * {@link #close()}, which the pool calls outside its lock.
 */
public interface Multiplex {

    /**
     * How many streams may be open at once now: the peer's {@code SETTINGS_MAX_CONCURRENT_STREAMS}, under
     * {@code hotpool.http2.max-concurrent-streams} when that is set. May change at any time; {@link Events#limitChanged}
     * says when it grew.
     */
    int streamLimit();

    /** Whether it takes new streams: no GOAWAY sent or received, not failed. */
    boolean accepting();

    /**
     * Sends a PING and waits for its answer, up to {@code hotpool.health-check.timeout}: the health check's liveness
     * test of an idle session. False when no answer came in time or the session failed.
     */
    boolean ping();

    /**
     * Ends the session: a GOAWAY when one can be sent, then the socket; streams still open fail. Idempotent, from any
     * thread.
     */
    void close();

    /**
     * What a session tells the pool, from whichever thread learns it (its reader). Calls take the pool's lock briefly
     * and do no I/O.
     */
    interface Events {

        /** The session may carry more streams than before (the peer's SETTINGS raised its limit). */
        void limitChanged();

        /**
         * The session takes no new streams from now on (a GOAWAY arrived, or the connection failed); its open streams
         * finish or fail on their own, then the pool closes it, counted as {@code reason}.
         */
        void draining(CloseReason reason);
    }
}
