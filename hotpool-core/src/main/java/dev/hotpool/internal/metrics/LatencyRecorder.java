package dev.hotpool.internal.metrics;

import dev.hotpool.metrics.LatencySummary;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records latencies into power-of-two microsecond buckets, lock-free. Thread-safe.
 */
final class LatencyRecorder {

    private static final int BUCKETS = 40;

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
    private final LongAdder count = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();
    private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

    public void record(long nanos) {
        long micros = Math.max(1, nanos / 1000);
        int bucket = Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(micros - 1));
        this.buckets.incrementAndGet(bucket);
        this.count.increment();
        this.totalNanos.add(nanos);
        this.maxNanos.accumulate(nanos);
    }

    public LatencySummary summary() {
        long n = this.count.sum();
        if (n == 0) {
            return LatencySummary.EMPTY;
        }
        return new LatencySummary(n, this.totalNanos.sum() / 1e6 / n, this.maxNanos.get() / 1e6, percentile(0.50),
                percentile(0.99));
    }

    private double percentile(double q) {
        long total = 0;
        long[] snapshot = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = this.buckets.get(i);
            total += snapshot[i];
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank && snapshot[i] > 0) {
                return Math.min((1L << i) / 1000.0, this.maxNanos.get() / 1e6);
            }
        }
        return this.maxNanos.get() / 1e6;
    }
}
