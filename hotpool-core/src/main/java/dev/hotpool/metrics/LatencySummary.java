package dev.hotpool.metrics;

/**
 * A latency summary: count, mean, max and percentiles estimated from a histogram of power-of-two
 * microsecond buckets (each estimate is within a factor of two, reported as the bucket's upper bound).
 * Immutable.
 *
 * @param count how many were recorded
 * @param meanMillis mean, in milliseconds
 * @param maxMillis the largest, in milliseconds
 * @param p50Millis estimated median, in milliseconds
 * @param p99Millis estimated 99th percentile, in milliseconds
 */
public record LatencySummary(long count, double meanMillis, double maxMillis, double p50Millis, double p99Millis) {

    /** Nothing recorded. */
    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0);
}
