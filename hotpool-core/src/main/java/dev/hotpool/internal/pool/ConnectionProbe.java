package dev.hotpool.internal.pool;

/**
 * Checks an idle connection on behalf of the health check or warm-up, outside the pool's lock and never on a leased
 * connection. Implementations must leave the connection's read buffers empty when they answer
 * {@link Outcome#HEALTHY}, and must neither keep nor close the connection: the caller does what the outcome says.
 *
 * <p>Public because the protocol layer ({@code dev.hotpool.internal.http}) provides the probe request.
 */
@FunctionalInterface
public interface ConnectionProbe {

    /** The 1 ms liveness read: end of stream or unexpected bytes mean the server has closed it. */
    ConnectionProbe LIVENESS = LivenessProbe.INSTANCE;

    Outcome check(Connection connection);

    /** What a check found. */
    enum Outcome {
        /** Usable: stays in the pool. */
        HEALTHY,
        /** Closed by the server, reset, or sending unexpected bytes: closed as {@code STALE}. */
        DEAD,
        /** Answered the probe badly (status not 2xx/3xx) or not in time: closed as {@code UNHEALTHY}. */
        UNHEALTHY
    }
}
