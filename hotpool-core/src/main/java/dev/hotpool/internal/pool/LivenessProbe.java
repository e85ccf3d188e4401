package dev.hotpool.internal.pool;

/** {@link ConnectionProbe#LIVENESS}: the transport's 1 ms read, on one of the pool's own connections. Stateless. */
final class LivenessProbe implements ConnectionProbe {

    static final LivenessProbe INSTANCE = new LivenessProbe();

    private LivenessProbe() {
    }

    @Override
    public Outcome check(Connection connection) {
        return ((PoolEntry) connection).transport().isAlive() ? Outcome.HEALTHY : Outcome.DEAD;
    }
}
