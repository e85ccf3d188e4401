package dev.hotpool.internal.pool;

import dev.hotpool.ConnectException;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.Origin;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Opens the TCP connection of a new pooled connection to one of a host's addresses, on sockets made by
 * {@link TcpSockets} (options, local address, the timed connect).
 *
 * <p>With one address, or {@code hotpool.connect.fallback-delay} zero, addresses are tried one after another. With
 * several, connects race as RFC 8305 ("Happy Eyeballs") has them: the first attempt runs on the caller's thread;
 * each {@code fallback-delay} that passes without a connection, and each failure, starts the next address (of the
 * other family than the last attempt, when there is one) on a connect thread; the first connect to succeed wins and
 * the attempts still running are closed. An attempt counts as a failure (for the outlier detector and the connect
 * timer) only when it failed, never when it lost or was closed because another won; the winner is timed too.
 * Everything stops at the connect deadline.
 *
 * <p>Thread-safe. The delay is timed by a {@link Timer}, which the engine's tests replace to step time by hand.
 */
final class Dialer {

    /** Runs tasks after a delay, off the caller's thread. */
    interface Timer {

        /** Schedules the task; running the returned handle cancels it (a no-op once it ran). */
        Runnable schedule(Runnable task, long delayMillis);

        /** One daemon thread for the whole JVM, gone after a minute without work. */
        Timer SYSTEM = new Timer() {
            @Override
            public Runnable schedule(Runnable task, long delayMillis) {
                java.util.concurrent.ScheduledFuture<?> f = Shared.TIMER.schedule(task, delayMillis,
                        TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }
        };
    }

    /**
     * Told how attempts ended: each that failed, and the one that won; never of those that lost the race or were
     * closed because it was over. Called outside the race's lock: a failure on the attempt's thread, the winner on
     * the caller's, before {@link #dial} returns.
     */
    interface Attempts {

        /** An attempt failed after {@code nanos}. */
        void failed(InetAddress address, IOException cause, long nanos);

        /** The attempt that gave the connection took {@code nanos}. */
        default void connected(InetAddress address, long nanos) {
        }
    }

    private final long fallbackDelayMillis;
    private final TcpSockets sockets;
    private final Timer timer;
    private final ExecutorService attempts;

    Dialer(HotPoolConfig config) {
        this(config, Timer.SYSTEM, Shared.ATTEMPTS);
    }

    Dialer(HotPoolConfig config, Timer timer, ExecutorService attempts) {
        this.fallbackDelayMillis = config.fallbackDelay().toMillis();
        this.sockets = new TcpSockets(config);
        this.timer = timer;
        this.attempts = attempts;
    }

    /**
     * Connects to one of the candidates.
     *
     * @param candidates the addresses allowed, in the order the host gave them (not changed)
     * @param load counts the address of each attempt while it runs; the winner's stays counted
     * @param deadlineNanos {@link System#nanoTime()} by which the connect must be done
     * @param timeoutMillis the connect timeout that deadline came from, for the message
     * @throws ConnectException naming the origin (and the last address that failed) when none connected in time
     */
    Socket dial(Origin origin, List<InetAddress> candidates, AddressLoad load, long deadlineNanos, int timeoutMillis,
            Attempts attempts) throws ConnectException {
        Race race = new Race(origin, new ArrayList<>(candidates), load, deadlineNanos, timeoutMillis, attempts);
        Attempt first = race.start(null);
        if (first == null) {
            throw race.failure(candidates.size(), true);
        }
        race.run(first);
        Socket socket = race.outcome(candidates.size());
        Attempt won = race.winner(); // Reported here, on the caller's thread, before the connection is used.
        attempts.connected(won.address, won.nanos);
        return socket;
    }

    /**
     * Connects to one address (a proxy's), with the same socket options and local address as any connection.
     *
     * @throws IOException when it did not connect by the deadline; the socket is closed
     */
    Socket connect(InetSocketAddress target, long deadlineNanos) throws IOException {
        return this.sockets.connect(target, deadlineNanos);
    }

    /** How one attempt ended. */
    private enum Outcome {

        /** It gave the connection. */
        WON,

        /** It failed on its own: refused, unreachable, timed out. */
        FAILED,

        /** Another won, or the race was over (deadline, interrupt): closed, not a failure. */
        LOST
    }

    /** One connect: its address and socket; {@code cancelled} once the race no longer wants it. */
    private static final class Attempt {

        final InetAddress address;
        Socket socket;
        boolean cancelled;
        /** How long it took, set before it is settled. */
        long nanos;

        Attempt(InetAddress address) {
            this.address = address;
        }
    }

    /** The attempts of one dial, guarded by its lock. */
    private final class Race {

        private final Origin origin;
        private final List<InetAddress> untried;
        private final AddressLoad load;
        private final long deadlineNanos;
        private final int timeoutMillis;
        private final Attempts attempts;
        private final List<Attempt> running = new ArrayList<>(2);
        /** Guards every field below, and {@link Attempt#socket}/{@link Attempt#cancelled}. */
        private final ReentrantLock lock = new ReentrantLock();
        /** Signalled whenever an attempt ends, a winner is chosen or a start is refused. */
        private final Condition settled = this.lock.newCondition();
        private Attempt winner;
        private boolean over;
        private Runnable fallbackTimer;
        private IOException lastFailure;
        private InetAddress lastFailed;
        private InetAddress lastStarted;

        Race(Origin origin, List<InetAddress> untried, AddressLoad load, long deadlineNanos, int timeoutMillis,
                Attempts attempts) {
            this.origin = origin;
            this.untried = untried;
            this.load = load;
            this.deadlineNanos = deadlineNanos;
            this.timeoutMillis = timeoutMillis;
            this.attempts = attempts;
        }

        /**
         * Starts the next attempt: on the caller's thread when {@code thread} is null (the caller then runs it), or
         * else hands it to the executor. Arms the fallback timer while untried addresses remain.
         *
         * @return the attempt, or {@code null} when none is left or the race is over
         */
        Attempt start(ExecutorService thread) {
            this.lock.lock();
            try {
                return startLocked(thread);
            }
            finally {
                this.lock.unlock();
            }
        }

        private Attempt startLocked(ExecutorService thread) {
            if (this.over || this.untried.isEmpty() || TcpSockets.remainingMillis(this.deadlineNanos) <= 0) {
                return null;
            }
            InetAddress address = next();
            this.untried.remove(address);
            this.load.add(address, 1);
            this.lastStarted = address;
            Attempt attempt = new Attempt(address);
            this.running.add(attempt);
            cancelTimer();
            if (!this.untried.isEmpty() && Dialer.this.fallbackDelayMillis > 0) {
                this.fallbackTimer = Dialer.this.timer.schedule(() -> start(Dialer.this.attempts),
                        Dialer.this.fallbackDelayMillis);
            }
            if (thread != null) {
                try {
                    thread.execute(() -> run(attempt));
                }
                catch (RuntimeException e) { // Rejected: the connect threads are gone (JVM shutting down).
                    this.running.remove(attempt);
                    this.load.add(address, -1);
                    this.lastFailure = new IOException("no thread to connect on: " + e, e);
                    this.lastFailed = address;
                    this.settled.signalAll();
                    return null;
                }
            }
            return attempt;
        }

        /**
         * The next address: the least loaded (ties in turn), of the other family than the last attempt's when the
         * untried ones have it.
         */
        private InetAddress next() {
            List<InetAddress> pool = this.untried;
            if (this.lastStarted != null) {
                boolean lastWasV4 = this.lastStarted instanceof Inet4Address;
                List<InetAddress> other = new ArrayList<>(pool.size());
                for (InetAddress a : pool) {
                    if ((a instanceof Inet4Address) != lastWasV4) {
                        other.add(a);
                    }
                }
                if (!other.isEmpty()) {
                    pool = other;
                }
            }
            return this.load.leastLoaded(pool);
        }

        /** Runs one attempt to its end (on whichever thread), then settles its place in the race. */
        void run(Attempt attempt) {
            Socket socket = null;
            IOException failure = null;
            long started = System.nanoTime();
            try {
                socket = Dialer.this.sockets.open(attempt.address);
                this.lock.lock();
                try {
                    if (attempt.cancelled) {
                        TcpSockets.closeQuietly(socket);
                        finished(attempt, null, null); // Lost before it began: not reported.
                        return;
                    }
                    attempt.socket = socket;
                }
                finally {
                    this.lock.unlock();
                }
                TcpSockets.connect(socket, new InetSocketAddress(attempt.address, this.origin.port()),
                        this.deadlineNanos);
            }
            catch (IOException e) {
                failure = e;
            }
            catch (RuntimeException e) {
                failure = new IOException(e.toString(), e);
            }
            Outcome outcome;
            long nanos = System.nanoTime() - started;
            this.lock.lock();
            try {
                attempt.nanos = nanos;
                outcome = finished(attempt, socket, failure);
            }
            finally {
                this.lock.unlock();
            }
            if (outcome == Outcome.FAILED) {
                this.attempts.failed(attempt.address, failure, nanos);
            }
            // The winner is reported by dial, on the caller's thread, once the race is settled.
        }

        /**
         * Settles a finished attempt under the lock: the winner, a loser (closed), or a failure.
         *
         * @return whether it won, failed on its own, or lost (cancelled, or ended after the race was over)
         */
        private Outcome finished(Attempt attempt, Socket socket, IOException failure) {
            this.running.remove(attempt);
            if (failure == null && socket != null && !attempt.cancelled && !this.over) {
                this.winner = attempt;
                this.over = true;
                cancelTimer();
                for (Attempt other : this.running) {
                    cancel(other);
                }
                this.settled.signalAll();
                return Outcome.WON;
            }
            this.load.add(attempt.address, -1);
            if (socket != null) {
                TcpSockets.closeQuietly(socket);
            }
            boolean failed = failure != null && !attempt.cancelled && !this.over;
            if (failed) {
                this.lastFailure = failure;
                this.lastFailed = attempt.address;
                startLocked(Dialer.this.attempts); // A failure starts the next address at once (RFC 8305 §5).
            }
            this.settled.signalAll();
            return failed ? Outcome.FAILED : Outcome.LOST;
        }

        private void cancel(Attempt attempt) {
            attempt.cancelled = true;
            if (attempt.socket != null) {
                // Its connect throws at once; its thread then finds it cancelled.
                TcpSockets.closeQuietly(attempt.socket);
            }
        }

        private void cancelTimer() {
            if (this.fallbackTimer != null) {
                this.fallbackTimer.run();
                this.fallbackTimer = null;
            }
        }

        /** The attempt that won; once {@link #outcome} returned a socket. */
        Attempt winner() {
            this.lock.lock();
            try {
                return this.winner;
            }
            finally {
                this.lock.unlock();
            }
        }

        /** Waits for the winner, until every attempt failed or the deadline passed. */
        Socket outcome(int candidates) throws ConnectException {
            this.lock.lock();
            try {
                return outcomeLocked(candidates);
            }
            finally {
                this.lock.unlock();
            }
        }

        private Socket outcomeLocked(int candidates) throws ConnectException {
            boolean interrupted = false;
            while (this.winner == null && !this.running.isEmpty()) {
                long waitMillis = TcpSockets.remainingMillis(this.deadlineNanos);
                if (waitMillis <= 0) {
                    break;
                }
                try {
                    this.settled.await(waitMillis, TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            if (this.winner != null) {
                return this.winner.socket;
            }
            boolean timedOut = !this.running.isEmpty() || this.lastFailure == null;
            this.over = true;
            cancelTimer();
            for (Attempt a : this.running) {
                cancel(a);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
                throw new ConnectException("hotpool: interrupted while connecting to " + this.origin, null);
            }
            throw failure(candidates, timedOut);
        }

        ConnectException failure(int candidates, boolean timedOut) {
            String tried = candidates > 1 ? " (" + candidates + " addresses)" : "";
            if (timedOut) {
                String earlier = this.lastFailure == null ? "" : "; earlier " + this.lastFailed.getHostAddress()
                        + ":" + this.origin.port() + ": " + this.lastFailure.getMessage();
                return new ConnectException("hotpool: cannot connect to " + this.origin + tried + ": timed out after "
                        + this.timeoutMillis + " ms" + earlier, this.lastFailure);
            }
            return new ConnectException("hotpool: cannot connect to " + this.origin + " ("
                    + this.lastFailed.getHostAddress() + ":" + this.origin.port() + ")" + tried + ": "
                    + this.lastFailure.getMessage(), this.lastFailure);
        }
    }

    /** The JVM-wide threads of every pool's fast fallback: idle ones end after a minute. */
    private static final class Shared {

        static final ScheduledThreadPoolExecutor TIMER;

        static final ExecutorService ATTEMPTS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemons("hotpool-connect-"));

        static {
            TIMER = new ScheduledThreadPoolExecutor(1, daemons("hotpool-connect-timer"));
            TIMER.setRemoveOnCancelPolicy(true);
            TIMER.setKeepAliveTime(60, TimeUnit.SECONDS);
            TIMER.allowCoreThreadTimeOut(true);
        }

        private static ThreadFactory daemons(String prefix) {
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
                t.setDaemon(true);
                return t;
            };
        }
    }
}
