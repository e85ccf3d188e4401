package dev.hotpool.pool;

import dev.hotpool.metrics.PoolListener;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the start and the end of each lease report: the listener's {@code acquired} and {@code released} events, the
 * leak watch, and the counts of leases granted and reused.
 *
 * <p>Thread-safe: {@link #begin} runs on the leasing thread without the pool's lock (its counters are adders);
 * {@link #end} runs under the pool's lock.
 */
final class LeaseEvents {

    private final PoolListener listener;
    private final LeakDetector leakDetector;
    private final LongAdder leases = new LongAdder();
    private final LongAdder reusedLeases = new LongAdder();

    LeaseEvents(String poolName, PoolListener listener, Duration leakDetectionThreshold) {
        this.listener = listener;
        this.leakDetector = new LeakDetector(poolName, leakDetectionThreshold);
    }

    /** A lease is about to be handed out to the caller who asked at {@code startNanos}; counts and watches it. */
    PoolEntry begin(PoolEntry entry, boolean reused, long startNanos) {
        long now = System.nanoTime();
        entry.leasedAtNanos = now;
        this.listener.acquired(entry.origin(), now - startNanos, reused);
        entry.leased(reused);
        entry.leakWatch = this.leakDetector.watch(entry);
        entry.route.leases.increment();
        this.leases.increment();
        if (reused) {
            this.reusedLeases.increment();
        }
        return entry;
    }

    /** A lease is over (released or closed): the usage event, and the end of its leak watch. Under the pool's lock. */
    void end(PoolEntry entry) {
        if (entry.leasedAtNanos != 0) {
            this.listener.released(entry.origin(), System.nanoTime() - entry.leasedAtNanos);
            entry.leasedAtNanos = 0;
        }
        LeakDetector.Watch watch = entry.leakWatch;
        if (watch != LeakDetector.Watch.NONE) {
            entry.leakWatch = LeakDetector.Watch.NONE;
            watch.end();
        }
    }

    long leases() {
        return this.leases.sum();
    }

    long reusedLeases() {
        return this.reusedLeases.sum();
    }

    /** Stops the leak detector's timer. */
    void close() {
        this.leakDetector.close();
    }
}
