package dev.hotpool.internal.pool;

/**
 * {@link ConnectionProbe#LIVENESS}: the transport's 1 ms read, on one of the pool's own connections, or a multiplexed
 * session's PING. Stateless.
 */
final class LivenessProbe implements ConnectionProbe {

    static final LivenessProbe INSTANCE = new LivenessProbe();

    private LivenessProbe() {
    }

    /** A multiplexed connection's socket is its session's to read: it is checked with a PING instead. */
    @Override
    public Outcome check(Connection connection) {
        Multiplex session = connection.multiplex();
        if (session != null) {
            return session.accepting() && session.ping() ? Outcome.HEALTHY : Outcome.DEAD;
        }
        return ((Held) connection).connection().transport().isAlive() ? Outcome.HEALTHY : Outcome.DEAD;
    }
}
