package dev.hotpool;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What one run of the background health check did. Immutable.
 *
 * @param startedAt when the run began, or {@code null} for {@link #NEVER}
 * @param durationMillis how long it took
 * @param checked idle connections checked (liveness read or probe request)
 * @param closed connections it closed, per reason (expired, stale, unhealthy)
 * @param warmed connections it opened for warm hosts
 * @param warmFailures warm-up connections that failed to open or failed their probe
 */
public record HealthCheckReport(Instant startedAt, long durationMillis, int checked, Map<CloseReason, Integer> closed,
        int warmed, int warmFailures) {

    /** No run yet. */
    public static final HealthCheckReport NEVER = new HealthCheckReport(null, 0, 0, Map.of(), 0, 0);

    public HealthCheckReport {
        EnumMap<CloseReason, Integer> copy = new EnumMap<>(CloseReason.class);
        copy.putAll(closed);
        closed = Collections.unmodifiableMap(copy);
    }

    /** Connections closed by this run, all reasons. */
    public int closedTotal() {
        int sum = 0;
        for (int n : this.closed.values()) {
            sum += n;
        }
        return sum;
    }
}
