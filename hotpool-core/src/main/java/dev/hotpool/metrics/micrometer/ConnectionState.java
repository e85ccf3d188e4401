package dev.hotpool.metrics.micrometer;

import dev.hotpool.PoolStats;

import java.util.Locale;

/**
 * The states the connection gauges count: the values of the {@code state} tag of {@code hotpool.connections} (and of
 * {@code http.connection.state} with OpenTelemetry's names), and where each is read in the pool's stats.
 *
 * <p>Immutable and thread-safe.
 */
enum ConnectionState {

    /** Leased. */
    ACTIVE,

    /** Idle in the pool (or being checked). */
    IDLE,

    /** Leases waiting for a connection. */
    PENDING;

    /** The tag value: {@code active}, {@code idle} or {@code pending}. */
    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The pool's count of connections (or leases waiting) in this state, over all hosts. */
    int count(PoolStats stats) {
        return switch (this) {
            case ACTIVE -> stats.leased();
            case IDLE -> stats.idle();
            case PENDING -> stats.pending();
        };
    }

    /** One route's count of connections (or leases waiting) in this state. */
    int count(PoolStats.HostStats host) {
        return switch (this) {
            case ACTIVE -> host.leased();
            case IDLE -> host.idle();
            case PENDING -> host.pending();
        };
    }
}
