package dev.hotpool.internal.pool;

import dev.hotpool.AcquireTimeoutException;
import dev.hotpool.HotPoolException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * A lease waiting in its route's line, and its wait. The granting thread, holding the pool's lock, sets
 * {@link #granted} (a released connection handed over, LEASED; a stream of a multiplexed connection; or a slot
 * reserved for the waiter to connect, CONNECTING), then {@link #done}, then signals. Guarded by the pool's lock.
 */
final class Waiter implements Admission {

    /** The route whose line it waits in; alive while the waiter is in its line. */
    final RoutePool route;
    final Condition condition;
    Held granted;
    boolean done;

    Waiter(RoutePool route, Condition condition) {
        this.route = route;
        this.condition = condition;
    }

    /** A wait's length in nanoseconds; one too long for a {@code long} (about 292 years) is cut to half of that. */
    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        }
        catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    void grant(Held entry) {
        this.granted = entry;
        this.done = true;
        this.condition.signal();
    }

    /**
     * Waits until the waiter is granted a connection or a slot, the pool closes, or {@code timeoutNanos} have passed
     * since {@code start} (System.nanoTime()); blocks on its condition, which releases the pool's lock meanwhile. One
     * that gives up leaves its route's line ({@link ConnectionPool#cancelLocked}).
     *
     * @return what it was granted: a LEASED connection handed over, a stream of a multiplexed connection, or a
     *     CONNECTING slot to connect
     * @throws AcquireTimeoutException when the time is up
     * @throws InterruptedIOException when the thread is interrupted before a grant
     * @throws HotPoolException when the pool closes
     */
    Held await(ConnectionPool pool, long start, long timeoutNanos) throws IOException {
        pool.lock();
        try {
            while (!this.done) {
                if (pool.closedLocked()) {
                    pool.cancelLocked(this);
                    throw pool.failures().closed(this.route.route());
                }
                long remaining = timeoutNanos - (System.nanoTime() - start);
                if (remaining <= 0) {
                    pool.cancelLocked(this);
                    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    throw pool.failures().timedOut(this.route, waited, pool.clock().millis());
                }
                try {
                    this.condition.awaitNanos(remaining);
                }
                catch (InterruptedException e) {
                    if (this.done) {
                        Thread.currentThread().interrupt(); // Granted anyway: use it, keep the flag.
                        break;
                    }
                    pool.cancelLocked(this);
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("hotpool: interrupted while waiting for a connection to "
                            + this.route.route());
                }
            }
            return this.granted;
        }
        finally {
            pool.settleAndUnlock();
        }
    }
}
