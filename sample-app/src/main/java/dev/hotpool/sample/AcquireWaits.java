package dev.hotpool.sample;

import java.util.concurrent.atomic.AtomicLongArray;

import dev.hotpool.Origin;
import dev.hotpool.metrics.PoolListener;

/**
 * How long leases waited for a connection, in power-of-two microsecond buckets counted since start: the one
 * pool event the status page's history needs that the pool's snapshots do not carry (they have counts, not a
 * distribution of waits). {@link PoolHistory} diffs two {@link #counts()} to get one second's p50 and p99.
 *
 * <p>Recording is one atomic increment, no lock, no allocation. Thread-safe.
 */
final class AcquireWaits implements PoolListener {

    /** Bucket {@code i} holds waits of at most 2^i µs; the last one everything longer. */
    static final int BUCKETS = 40;

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);

    @Override
    public void acquired(Origin origin, long waitNanos, boolean reused) {
        this.buckets.incrementAndGet(bucket(waitNanos));
    }

    static int bucket(long nanos) {
        long micros = Math.max(1, nanos / 1000);
        return Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(micros - 1));
    }

    /** The counts since start, bucket by bucket (each read on its own: a copy, not an atomic snapshot). */
    long[] counts() {
        long[] counts = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = this.buckets.get(i);
        }
        return counts;
    }

    /**
     * The {@code q} quantile, in milliseconds, of the waits counted between {@code before} and {@code after}
     * (upper bound of its bucket), or {@code null} when none was.
     */
    static Double quantileMillis(long[] before, long[] after, double q) {
        long total = 0;
        long[] delta = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            delta[i] = Math.max(0, after[i] - (before != null ? before[i] : 0));
            total += delta[i];
        }
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += delta[i];
            if (seen >= rank) {
                return (1L << i) / 1000.0;
            }
        }
        return (1L << (BUCKETS - 1)) / 1000.0;
    }
}
