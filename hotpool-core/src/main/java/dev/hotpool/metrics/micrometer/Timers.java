package dev.hotpool.metrics.micrometer;

import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where timer samples go: into the timer of their key in every registry bound. Before the first registry is bound (a
 * warm-up at startup), up to {@code maxEarlySamples} samples wait and go to the first registry bound; later ones are
 * dropped. Once {@link #stop() stopped} ({@link HotPoolMetrics#close()}), nothing waits until the next bind.
 *
 * <p>Thread-safe: the registries are the façade's copy-on-write list (read here, changed only by
 * {@link HotPoolMetrics}), the samples waiting a concurrent queue whose count only grows, so at most
 * {@code maxEarlySamples} are ever kept.
 */
final class Timers {

    /** The registries bound, in order; owned by {@link HotPoolMetrics}. */
    private final List<BoundRegistry> bound;

    private final int maxEarlySamples;

    private final Queue<EarlySample> early = new ConcurrentLinkedQueue<>();

    /** Samples offered to {@link #early} so far, kept or not. */
    private final AtomicInteger earlyCount = new AtomicInteger();

    private volatile boolean stopped;

    Timers(List<BoundRegistry> bound, int maxEarlySamples) {
        this.bound = bound;
        this.maxEarlySamples = maxEarlySamples;
    }

    /** Records {@code nanos} into the timer of {@code key} in every registry bound, or keeps it for the first. */
    void record(TimerKey key, long nanos) {
        if (this.bound.isEmpty()) {
            if (!this.stopped && this.earlyCount.incrementAndGet() <= this.maxEarlySamples) {
                this.early.add(new EarlySample(key, nanos));
                if (!this.bound.isEmpty()) {
                    // Bound meanwhile: make sure this sample is not left behind.
                    recordEarlySamples();
                }
            }
            return;
        }
        for (BoundRegistry b : this.bound) {
            b.record(key, nanos);
        }
    }

    /** A registry was bound: samples are kept again when none is, and those waiting go to the first one. */
    void resume() {
        this.stopped = false;
        recordEarlySamples();
    }

    /** The registries are about to be removed: samples are no longer kept until {@link #resume()}. */
    void stop() {
        this.stopped = true;
    }

    /** Drops the samples waiting. */
    void clear() {
        this.early.clear();
    }

    private void recordEarlySamples() {
        // One look at the list (a snapshot): close() may empty it between an isEmpty() and a get(0).
        Iterator<BoundRegistry> registries = this.bound.iterator();
        if (!registries.hasNext()) {
            return;
        }
        BoundRegistry first = registries.next();
        EarlySample sample;
        while ((sample = this.early.poll()) != null) {
            first.record(sample.key(), sample.nanos());
        }
    }

    private record EarlySample(TimerKey key, long nanos) {
    }
}
