package dev.hotpool.internal.pool;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns about leases held longer than {@code leak-detection-threshold}: one warning with the stack trace of
 * where the connection was leased, and one line more if it comes back later. When the threshold is zero
 * every lease gets {@link Watch#NONE}, so the hot path pays nothing.
 *
 * <p>Thread-safe. Its timer is one daemon thread, created on first use and stopped by {@link #close()}.
 */
final class LeakDetector {

    private static final Logger log = LoggerFactory.getLogger(LeakDetector.class);

    private final String poolName;
    private final long thresholdMillis;
    private final AtomicReference<ScheduledExecutorService> timer = new AtomicReference<>();

    LeakDetector(String poolName, Duration threshold) {
        this.poolName = poolName;
        this.thresholdMillis = threshold.toMillis();
    }

    /** Starts watching a lease taken now by the calling thread. */
    Watch watch(Held entry) {
        if (this.thresholdMillis <= 0) {
            return Watch.NONE;
        }
        Watch watch = new Watch(this, entry, new Exception("leased here"), Thread.currentThread().getName());
        watch.future = timer().schedule(watch::report, this.thresholdMillis, TimeUnit.MILLISECONDS);
        return watch;
    }

    private ScheduledExecutorService timer() {
        ScheduledExecutorService t = this.timer.get();
        if (t != null) {
            return t;
        }
        ScheduledThreadPoolExecutor created = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "hotpool-leak-detector");
            thread.setDaemon(true);
            return thread;
        });
        // A lease that ends in time cancels its task: without this, every cancelled task (and the stack it holds)
        // stayed queued until its threshold passed — at 10,000 leases a second and a 60 s threshold, 600,000 of them.
        created.setRemoveOnCancelPolicy(true);
        if (this.timer.compareAndSet(null, created)) {
            return created;
        }
        created.shutdownNow();
        return this.timer.get();
    }

    void close() {
        ScheduledExecutorService t = this.timer.getAndSet(null);
        if (t != null) {
            t.shutdownNow();
        }
    }

    /** One lease being watched. Thread-safe. */
    static class Watch {

        /** Watches nothing: leak detection is off. */
        static final Watch NONE = new Watch(null, null, null, null) {
            @Override
            void end() {
            }
        };

        private final LeakDetector detector;
        private final Held entry;
        private final Exception leasedAt;
        private final String thread;
        private final long startNanos = System.nanoTime();
        private volatile ScheduledFuture<?> future;
        private volatile boolean reported;

        private Watch(LeakDetector detector, Held entry, Exception leasedAt, String thread) {
            this.detector = detector;
            this.entry = entry;
            this.leasedAt = leasedAt;
            this.thread = thread;
        }

        private void report() {
            this.reported = true;
            log.warn("{} - apparent connection leak: {} has been leased for more than {} ms by thread {}; close the "
                    + "response (ClientHttpResponse) or read its body to the end", this.detector.poolName,
                    this.entry, this.detector.thresholdMillis, this.thread, this.leasedAt);
        }

        /** Where the lease was taken; {@code null} for {@link #NONE}. */
        Exception leasedAt() {
            return this.leasedAt;
        }

        /** The lease ended (released or discarded). */
        void end() {
            ScheduledFuture<?> f = this.future;
            if (f != null) {
                f.cancel(false);
            }
            if (this.reported) {
                log.info("{} - previously reported leaked connection {} came back after {} ms",
                        this.detector.poolName, this.entry,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.startNanos));
            }
        }
    }
}
