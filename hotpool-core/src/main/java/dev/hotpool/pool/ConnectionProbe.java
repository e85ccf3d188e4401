package dev.hotpool.pool;

/**
 * Checks an idle connection on behalf of the health check or warm-up, outside the pool's lock and never
 * on a leased connection. Implementations must leave the connection's read buffers empty when they
 * answer {@link Outcome#HEALTHY}.
 */
@FunctionalInterface
public interface ConnectionProbe {

    /** The 1 ms liveness read: end of stream or unexpected bytes mean the server has closed it. */
    ConnectionProbe LIVENESS = entry -> entry.socket().isAlive() ? Outcome.HEALTHY : Outcome.DEAD;

    Outcome check(PoolEntry entry);

    /** What a check found. */
    enum Outcome {
        /** Usable: goes back to the idle list. */
        HEALTHY,
        /** Closed by the server, reset, or sending unexpected bytes: closed as {@code STALE}. */
        DEAD,
        /** Answered the probe badly (status not 2xx/3xx) or not in time: closed as {@code UNHEALTHY}. */
        UNHEALTHY
    }
}
