package dev.hotpool.internal.pool;

import dev.hotpool.metrics.PoolListener;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the start and the end of each lease report: the listener's {@code acquired} and {@code released} events, the
 * leak watch, the counts of leases granted and reused, and what {@link StarvationWarning} tells of the holders when a
 * route runs out (when and by which thread each lease began).
 *
 * <p>Thread-safe: {@link #begin} runs on the leasing thread without the pool's lock (its counters are adders);
 * {@link #end} runs under the pool's lock.
 */
final class LeaseEvents {

    private final PoolListener listener;
    private final LeakDetector leakDetector;
    private final StarvationWarning starvation;
    private final LongAdder leases = new LongAdder();
    private final LongAdder reusedLeases = new LongAdder();

    LeaseEvents(String poolName, PoolListener listener, Duration leakDetectionThreshold) {
        this.listener = listener;
        this.leakDetector = new LeakDetector(poolName, leakDetectionThreshold);
        this.starvation = new StarvationWarning(poolName, !leakDetectionThreshold.isZero());
    }

    /** A lease is about to be handed out to the caller who asked at {@code startNanos}; counts and watches it. */
    <T extends Held> T begin(T entry, boolean reused, long startNanos) {
        long now = System.nanoTime();
        entry.leasedAtNanos = now;
        this.listener.acquired(entry.origin(), now - startNanos, reused);
        entry.leased(reused);
        entry.leasedBy = threadName();
        entry.leakWatch = this.leakDetector.watch(entry); // A volatile write: after the fields above.
        entry.connection().route.countLease();
        this.leases.increment();
        if (reused) {
            this.reusedLeases.increment();
        }
        return entry;
    }

    /**
     * A lease that waited in its route's line was given a stream of a multiplexed connection, and {@link #begin} has
     * begun it: the listener's {@code streamWaited}, with the same wait as its {@code acquired}.
     */
    void streamWaited(Held stream, long startNanos) {
        this.listener.streamWaited(stream.origin(), stream.leasedAtNanos - startNanos);
    }

    /** A lease is over (released or closed): the usage event, and the end of its leak watch. Under the pool's lock. */
    void end(Held entry) {
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

    /** What a lease that failed on a route whose every connection is leased says, and logs. */
    StarvationWarning starvation() {
        return this.starvation;
    }

    /** The current thread's name; a virtual thread's is often empty, so its {@code toString()} (with its id) then. */
    private static String threadName() {
        Thread t = Thread.currentThread();
        String name = t.getName();
        return name.isEmpty() ? t.toString() : name;
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
