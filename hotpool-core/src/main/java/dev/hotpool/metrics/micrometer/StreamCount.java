package dev.hotpool.metrics.micrometer;

import dev.hotpool.PoolStats;

/**
 * The stream gauges of HTTP/2 connections ({@code hotpool.streams.active}, {@code hotpool.streams.limit}), and where
 * each is read in the pool's stats. Every route without an HTTP/2 connection counts 0 in both.
 *
 * <p>Immutable and thread-safe.
 */
enum StreamCount {

    /** Streams leased now. */
    ACTIVE(MeterNaming.ACTIVE_STREAMS, "Streams leased now on HTTP/2 connections"),

    /** The sum of the stream limits of the HTTP/2 connections that take new streams. */
    LIMIT(MeterNaming.STREAM_LIMIT, "Streams the HTTP/2 connections that take new ones may carry at once (the sum of "
            + "their limits)");

    final String meterName;

    final String description;

    StreamCount(String meterName, String description) {
        this.meterName = meterName;
        this.description = description;
    }

    /** One route's count. */
    int count(PoolStats.HostStats host) {
        return switch (this) {
            case ACTIVE -> host.streams();
            case LIMIT -> host.streamLimit();
        };
    }
}
