package dev.hotpool.internal.http;

import dev.hotpool.AcquireTimeoutException;
import dev.hotpool.CallTimeoutException;
import dev.hotpool.HotRequest;
import dev.hotpool.TlsHandshakeException;
import dev.hotpool.internal.pool.Lease;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The call timeout of one call ({@code hotpool.call-timeout}, or the request's own): the deadline its acquire and
 * connect timeouts are cut to, and a watch that aborts the connection of an exchange still short of its response
 * head when the deadline passes (a server trickling bytes never trips a read timeout). Made once per call, retries
 * and redirects included; calls without a call timeout have none and pay nothing.
 *
 * <p>Thread-safe: the watch's abort runs on the timer thread.
 */
final class CallDeadline {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final long deadlineNanos;
    private final Duration timeout;
    private final boolean requestOwn;

    private CallDeadline(Duration timeout, boolean requestOwn) {
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.timeout = timeout;
        this.requestOwn = requestOwn;
    }

    /** The call's deadline from now, or {@code null} when it has no call timeout. */
    static CallDeadline start(HotRequest request, Duration poolCallTimeout) {
        Duration own = request.callTimeout();
        Duration timeout = own != null ? own : poolCallTimeout;
        return timeout == null || timeout.isZero() ? null : new CallDeadline(timeout, own != null);
    }

    boolean expired() {
        return System.nanoTime() - this.deadlineNanos >= 0;
    }

    /** The time left, in milliseconds rounded up (so a wait cut to it ends at or after the deadline), at least 1. */
    private long leftMillis() {
        long left = this.deadlineNanos - System.nanoTime();
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
    }

    Duration cut(Duration d) {
        long left = leftMillis();
        return d.toMillis() <= left ? d : Duration.ofMillis(left);
    }

    int cut(int millis) {
        return (int) Math.min(millis, leftMillis());
    }

    /** @throws CallTimeoutException when the deadline has passed already (before the phase began) */
    void check(HotRequest request, CallTimeoutException.Phase phase) throws CallTimeoutException {
        if (expired()) {
            throw ranOut(request, phase, null);
        }
    }

    /** The phase a lease failure ran out in: waiting in line, the TCP connect or the TLS handshake. */
    static CallTimeoutException.Phase phaseOf(Exception leaseFailure) {
        if (leaseFailure instanceof AcquireTimeoutException) {
            return CallTimeoutException.Phase.ACQUIRE;
        }
        return leaseFailure instanceof TlsHandshakeException ? CallTimeoutException.Phase.TLS_HANDSHAKE
                : CallTimeoutException.Phase.CONNECT;
    }

    CallTimeoutException ranOut(HotRequest request, CallTimeoutException.Phase phase, Throwable cause) {
        return new CallTimeoutException("hotpool: " + request + " to " + request.origin() + " ran out of its call "
                + "timeout (" + this.timeout.toMillis() + " ms, " + (this.requestOwn ? "the request's own"
                : "hotpool.call-timeout") + ") " + phase.description(), phase, this.timeout, cause);
    }

    /** Starts watching an exchange on the lease: at the deadline its connection is aborted. */
    Watch watch(Lease lease) {
        Watch watch = new Watch(lease);
        long left = this.deadlineNanos - System.nanoTime();
        watch.timer = TIMER.schedule(watch, Math.max(0, left), TimeUnit.NANOSECONDS);
        return watch;
    }

    /** One exchange's watch: ends either by {@link #finish()} (in time) or by firing (aborting the connection). */
    static final class Watch implements Runnable {

        private static final int RUNNING = 0;
        private static final int DONE = 1;
        private static final int FIRED = 2;

        private final Lease lease;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private volatile ScheduledFuture<?> timer;

        private Watch(Lease lease) {
            this.lease = lease;
        }

        @Override
        public void run() {
            if (this.state.compareAndSet(RUNNING, FIRED)) {
                this.lease.abort();
            }
        }

        /** Whether the deadline fired (the connection was aborted), so the failure seen is the call timeout's. */
        boolean fired() {
            return this.state.get() == FIRED;
        }

        /** Ends the watch once the response head is in; false when it fired first (the connection is aborted). */
        boolean finish() {
            boolean inTime = this.state.compareAndSet(RUNNING, DONE);
            ScheduledFuture<?> t = this.timer;
            if (t != null) {
                t.cancel(false);
            }
            return inTime;
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "hotpool-call-timeout");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(60, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }
}
