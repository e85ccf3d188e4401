package dev.hotpool.internal.pool;

import dev.hotpool.AcquireTimeoutException;
import dev.hotpool.CloseReason;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.metrics.PoolListener;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The multiplexed counterpart of {@link ConcurrentConnectionPoolFuzzTests}: worker threads lease streams of multiplexed
 * routes through the real {@link Leaser} (short acquire timeouts, so they wait in line and time out) and hold, release
 * or discard them, while a session thread plays what connections' readers do, from a thread of its own: a session's
 * stream limit rises or falls (to 0 too), a GOAWAY or a failure drains it, a session start fails. Each run's seed fixes
 * the pool's caps, the session limits and every thread's choices.
 *
 * <p>At each quiet point (the end of a round: every worker has given back what it held, the session thread waits) the
 * ledger's full walk ({@link ConnectionPool#verify}); nothing leased, connecting or waiting; every closed connection
 * has its session and socket closed; no open connection has more streams than the highest limit; no connection that a
 * GOAWAY drained takes a new stream; then a patient lease, with every session taking streams again, is answered long
 * before its timeout (a waiter not woken by a limit that rose would wait its whole timeout). All along, a lease ends
 * with a stream of its route, a timeout with the documented message, or the failure the session thread asked for; the
 * ledger's own checks run under the pool's lock at every change.
 * Rerun a seed with {@code -Dhotpool.fuzz.seed=N}; more with {@code -Dhotpool.fuzz.mux.seeds=N}.
 */
class ConcurrentMultiplexedPoolFuzzTests {

    private static final int SEEDS = Integer.getInteger("hotpool.fuzz.mux.seeds", 12);
    private static final int ROUNDS = 20;
    private static final int STEPS = 60;
    private static final int MAX_LIMIT = 4;
    private static final int WORKERS = 4;

    @Test
    void streamsLeasedWhileSessionsChangeFromAnotherThreadKeepTheLedgerBalanced() throws Exception {
        String only = System.getProperty("hotpool.fuzz.seed");
        if (only != null) {
            new Run(Long.parseLong(only)).execute();
            return;
        }
        for (long seed = 1; seed <= SEEDS; seed++) {
            new Run(seed).execute();
        }
    }

    private static final class Run {

        private final long seed;
        private final Random random;
        private final FakeMultiplexing multiplexing = new FakeMultiplexing();
        private final FakeConnector connector = new FakeConnector();
        private final ConnectionPool pool;
        private final Leaser leaser;
        private final List<Route> routes = new ArrayList<>();
        private final CyclicBarrier roundEnd;
        private final CyclicBarrier roundStart;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        /** Entries a GOAWAY drained (guarded by itself): none of them may take a stream afterwards. */
        private final Set<PoolEntry> drained = Collections.synchronizedSet(Collections.newSetFromMap(
                new IdentityHashMap<>()));
        private volatile boolean over;

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            int maxConnections = 1 + this.random.nextInt(4);
            HotPoolConfig config = HotPoolConfig.builder().name("mux-concurrent-" + seed)
                    .maxConnections(maxConnections)
                    .maxConnsPerHost(1 + this.random.nextInt(maxConnections))
                    .maxPendingAcquires(this.random.nextInt(8))
                    .maxRequestsPerConnection(this.random.nextInt(3) == 0 ? 2 + this.random.nextInt(20) : 0)
                    .shutdownTimeout(Duration.ZERO)
                    .build();
            this.multiplexing.limit(1 + this.random.nextInt(MAX_LIMIT));
            this.routes.add(Route.of(Origin.of("http", "h2.test", 80), null));
            this.routes.add(Route.of(Origin.of("http", "h2b.test", 80), null));
            this.pool = new ConnectionPool(config, PoolListener.NONE, Set.of(), RouteTable.OriginGone.NONE,
                    this.multiplexing);
            this.leaser = new Leaser(this.pool, this.connector, config, this.multiplexing);
            this.roundEnd = new CyclicBarrier(WORKERS + 2);
            this.roundStart = new CyclicBarrier(WORKERS + 2);
        }

        void execute() throws Exception {
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                long workerSeed = this.random.nextLong();
                threads.add(thread("worker-" + w, () -> work(new Random(workerSeed))));
            }
            long sessionSeed = this.random.nextLong();
            threads.add(thread("sessions", () -> drive(new Random(sessionSeed))));
            threads.forEach(Thread::start);
            try {
                for (int round = 1; round <= ROUNDS; round++) {
                    this.roundStart.await(30, TimeUnit.SECONDS);
                    this.roundEnd.await(60, TimeUnit.SECONDS);
                    quietPoint(round);
                }
                this.over = true;
                this.roundStart.await(30, TimeUnit.SECONDS);
            }
            catch (Exception | AssertionError e) {
                Throwable cause = this.failure.get() != null ? this.failure.get() : e;
                threads.forEach(Thread::interrupt);
                throw new AssertionError("seed " + this.seed + " failed (rerun with -Dhotpool.fuzz.seed=" + this.seed
                        + "): " + cause, cause);
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
            if (this.failure.get() != null) {
                throw new AssertionError("seed " + this.seed + ": " + this.failure.get(), this.failure.get());
            }
            this.pool.close();
            this.pool.verify();
            assertThat(this.pool.stats().total()).isZero();
        }

        private Thread thread(String name, ThrowingRunnable body) {
            Thread t = new Thread(() -> {
                try {
                    body.run();
                }
                catch (Throwable e) {
                    this.failure.compareAndSet(null, e);
                    this.roundEnd.reset();
                    this.roundStart.reset();
                }
            }, "mux-fuzz-" + this.seed + "-" + name);
            t.setDaemon(true);
            return t;
        }

        private interface ThrowingRunnable {
            void run() throws Exception;
        }

        /** A worker: each round, random leases held a few steps, then everything given back. */
        private void work(Random r) throws Exception {
            while (true) {
                this.roundStart.await(30, TimeUnit.SECONDS);
                if (this.over) {
                    return;
                }
                List<Lease> held = new ArrayList<>();
                for (int step = 0; step < STEPS; step++) {
                    int dice = r.nextInt(10);
                    if (dice < 5 || held.isEmpty()) {
                        if (held.size() < 3) {
                            lease(r, held);
                        }
                    }
                    else {
                        Lease l = held.remove(r.nextInt(held.size()));
                        if (dice < 9) {
                            l.release();
                        }
                        else {
                            l.discard(CloseReason.ERROR);
                        }
                    }
                    if (r.nextInt(4) == 0) {
                        Thread.yield();
                    }
                }
                held.forEach(Lease::release);
                this.roundEnd.await(60, TimeUnit.SECONDS);
            }
        }

        private void lease(Random r, List<Lease> held) throws IOException {
            Route route = this.routes.get(r.nextInt(this.routes.size()));
            long timeout = r.nextInt(4) == 0 ? 0 : r.nextInt(20);
            long start = System.nanoTime();
            try {
                Lease l = this.leaser.lease(route, LeaseMode.ANY, Duration.ofMillis(timeout), 1000, 1000);
                assertThat(l.origin()).isEqualTo(route.origin());
                assertThat(l).isInstanceOf(StreamLease.class);
                held.add(l);
            }
            catch (AcquireTimeoutException e) {
                String message = e.getMessage();
                String prefix = "hotpool: no connection to " + route + " within ";
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(waited).as("a lease with an acquire timeout of %d ms", timeout).isLessThan(timeout + 10_000);
                if (!message.startsWith("hotpool: too many leases waiting for " + route + " (")) {
                    assertThat(message).startsWith(prefix);
                    long said = Long.parseLong(message.substring(prefix.length(), message.indexOf(" ms (")));
                    assertThat(said).as("the wait it reports").isGreaterThanOrEqualTo(timeout);
                    assertThat(waited).as("a lease that timed out after %d ms", timeout).isGreaterThanOrEqualTo(timeout);
                }
            }
            catch (HotPoolException e) {
                // A start that fails, or a session the other thread ends or closes to streams before the pool has it.
                assertThat(e.getMessage()).containsAnyOf("did not start (fake)", "takes no stream");
                assertThat(e.getMessage()).contains("http://h2");
            }
        }

        /** The readers' part: sessions' limits, GOAWAYs and failures, from this thread, while workers lease. */
        private void drive(Random r) throws Exception {
            while (true) {
                this.roundStart.await(30, TimeUnit.SECONDS);
                if (this.over) {
                    return;
                }
                for (int step = 0; step < STEPS; step++) {
                    List<FakeMultiplexing.Session> sessions = this.multiplexing.sessions();
                    int dice = r.nextInt(20);
                    if (dice == 0) {
                        this.multiplexing.failNext(1);
                    }
                    else if (!sessions.isEmpty()) {
                        FakeMultiplexing.Session s = sessions.get(r.nextInt(sessions.size()));
                        if (dice < 3) {
                            this.drained.add(s.entry());
                            s.goAway(dice == 1 ? CloseReason.SERVER_CLOSED : CloseReason.ERROR);
                        }
                        else if (dice < 12) {
                            s.limit(r.nextInt(MAX_LIMIT + 1));
                        }
                    }
                    if (r.nextInt(3) == 0) {
                        Thread.yield();
                    }
                }
                this.roundEnd.await(60, TimeUnit.SECONDS);
            }
        }

        private void quietPoint(int round) throws IOException {
            this.multiplexing.failNext(0);
            this.pool.verify();
            PoolStats stats = this.pool.stats();
            assertThat(stats.leased()).as("leased at the end of round %d", round).isZero();
            assertThat(stats.connecting()).as("connecting").isZero();
            assertThat(stats.pending()).as("waiting").isZero();
            List<FakeMultiplexing.Session> sessions = this.multiplexing.sessions();
            for (FakeMultiplexing.Session s : sessions) {
                PoolEntry e = s.entry();
                if (e.state == PoolEntry.State.CLOSED) {
                    assertThat(s.closes()).as("closed %s has its session closed", e).isPositive();
                    assertThat(((FakeTransport) e.transport()).closed()).as("closed %s has its socket closed", e)
                            .isTrue();
                }
                else {
                    assertThat(e.streamCount()).as("streams of %s", e).isZero();
                    assertThat(this.drained).as("%s is open after a GOAWAY with no stream left", e)
                            .doesNotContain(e);
                }
            }
            // Every session takes streams again: a patient lease must be served at once, not at its timeout.
            for (FakeMultiplexing.Session s : sessions) {
                if (s.entry().state != PoolEntry.State.CLOSED) {
                    s.limit(1 + (int) (this.seed % MAX_LIMIT));
                }
            }
            long start = System.nanoTime();
            Lease patient = this.leaser.lease(this.routes.get(round % 2), LeaseMode.ANY, Duration.ofSeconds(10), 1000,
                    1000);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            patient.release();
            assertThat(took).as("a patient lease at the end of round %d", round).isLessThan(5_000);
            this.pool.verify();
        }
    }
}
