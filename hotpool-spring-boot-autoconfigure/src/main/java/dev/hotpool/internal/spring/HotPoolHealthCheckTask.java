package dev.hotpool.internal.spring;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import dev.hotpool.HealthCheckReport;
import dev.hotpool.HotPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Runs the pool's health check every {@code hotpool.health-check-interval}.
 *
 * <p>{@link #run()} carries {@code @Scheduled}: when the application has enabled scheduling, Spring's
 * scheduler runs it. When it has not, this bean runs the same method on its own daemon thread named
 * {@code hotpool-health}, with up to 10% jitter on each delay. The starter never enables scheduling for
 * the whole application (that would wake the application's own dormant {@code @Scheduled} methods).
 *
 * <p>Thread-safe.
 */
public class HotPoolHealthCheckTask implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(HotPoolHealthCheckTask.class);

    private final HotPool pool;
    private final boolean applicationSchedules;
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final AtomicLong runs = new AtomicLong();
    private volatile String lastThread;
    /** When the next run is due, or {@code null} while stopped; the clock is the pool's. */
    private volatile Instant nextRunAt;
    private ScheduledExecutorService ownThread;

    /**
     * @param pool the pool to check
     * @param applicationSchedules whether the application has enabled scheduling, so Spring runs
     *     {@link #run()} and no thread of our own is needed
     */
    public HotPoolHealthCheckTask(HotPool pool, boolean applicationSchedules) {
        this.pool = pool;
        this.applicationSchedules = applicationSchedules;
        if (applicationSchedules) {
            // The @Scheduled initial delay: one interval after the application's scheduler picks the method up.
            this.nextRunAt = this.pool.config().clock().instant().plus(this.pool.config().healthCheckInterval());
        }
    }

    /** One health check; never throws (a failure is logged and the next run comes as usual). */
    @Scheduled(fixedDelayString = "${hotpool.health-check-interval:30s}",
            initialDelayString = "${hotpool.health-check-interval:30s}")
    public void run() {
        this.runs.incrementAndGet();
        this.lastThread = Thread.currentThread().getName();
        try {
            HealthCheckReport report = this.pool.runHealthCheck();
            if (logger.isDebugEnabled()) {
                logger.debug("hotpool health check: " + report);
            }
        }
        catch (RuntimeException ex) {
            logger.warn("hotpool health check failed: " + ex, ex);
        }
        finally {
            if (this.applicationSchedules) {
                // fixedDelay: the next run starts one interval after this one ended.
                this.nextRunAt = this.pool.config().clock().instant().plus(this.pool.config().healthCheckInterval());
            }
        }
    }

    /**
     * When the next run is due: one {@code hotpool.health-check-interval} after the last run ended when the
     * application's scheduler runs the checks, the jittered delay of the next run on this bean's own thread
     * otherwise; {@code null} when no run is scheduled (this bean's thread stopped).
     */
    public Instant nextRunAt() {
        return this.nextRunAt;
    }

    /** How many times {@link #run()} has run. */
    public long runs() {
        return this.runs.get();
    }

    /** The name of the thread the last run ran on. */
    public String lastThread() {
        return this.lastThread;
    }

    /** Whether Spring's scheduler runs the checks (else this bean's own thread does). */
    public boolean scheduledByApplication() {
        return this.applicationSchedules;
    }

    @Override
    public void start() {
        this.lifecycle.lock();
        try {
            if (this.applicationSchedules || this.ownThread != null) {
                return;
            }
            this.ownThread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "hotpool-health");
                thread.setDaemon(true);
                return thread;
            });
            scheduleNext(this.ownThread);
        }
        finally {
            this.lifecycle.unlock();
        }
    }

    private void scheduleNext(ScheduledExecutorService executor) {
        Duration delay = this.pool.nextHealthCheckDelay();
        this.nextRunAt = this.pool.config().clock().instant().plus(delay);
        try {
            executor.schedule(() -> {
                run();
                scheduleNext(executor);
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (java.util.concurrent.RejectedExecutionException ex) {
            // Stopped meanwhile.
            this.nextRunAt = null;
        }
    }

    @Override
    public void stop() {
        this.lifecycle.lock();
        try {
            if (this.ownThread != null) {
                this.ownThread.shutdownNow();
                this.ownThread = null;
                this.nextRunAt = null;
            }
        }
        finally {
            this.lifecycle.unlock();
        }
    }

    @Override
    public boolean isRunning() {
        this.lifecycle.lock();
        try {
            return this.ownThread != null;
        }
        finally {
            this.lifecycle.unlock();
        }
    }

    @Override
    public String toString() {
        return "HotPoolHealthCheckTask[" + (this.applicationSchedules ? "application scheduler" : "hotpool-health thread")
                + ", " + this.runs.get() + " runs]";
    }
}
