package dev.hotpool.internal.pool;

import dev.hotpool.AcquireTimeoutException;
import dev.hotpool.CloseReason;
import dev.hotpool.ConnectException;
import dev.hotpool.ConnectionInfo;
import dev.hotpool.HostSettings;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.internal.metrics.TrafficRecorder;
import dev.hotpool.internal.net.AddressBook;
import dev.hotpool.internal.net.OutlierDetector;
import dev.hotpool.internal.pool.ConnectionProbe.Outcome;
import dev.hotpool.internal.pool.PoolEntry.State;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.testsupport.TestClock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random operations on the engine from several threads at once: the concurrent counterpart of
 * {@link ConnectionPoolFuzzTests}. Each run builds one pool from its seed — small global and per-host caps, host
 * patterns with their own cap, idle timeout and lifetime ({@code hotpool.hosts}: an exact pattern and a wildcard), a
 * warm host, a short line of waiting leases, sometimes {@code max-requests-per-connection} — over a connector without
 * sockets, and starts 4 to 8 worker threads, each with its own seeded {@link Random}. The workers lease through the
 * real {@link Leaser} with random modes and short acquire timeouts, so they really wait in line: they are handed
 * connections the others release, get room the others give up, time out, or find the line full. They hold their
 * leases a few steps and release or discard them (sometimes aborting first, sometimes with a keep-alive hint, sometimes
 * after the server closed), fail connects, run the health check (expiry, a probe that is sometimes slow or finds the
 * connection unhealthy, warm-up), evict, retire addresses, move the test clock past idle timeouts and lifetimes, and
 * close idle connections from the server's side. In the last round one of them closes the pool under the others.
 *
 * <p>What is checked:
 * <ul>
 * <li>at each quiet point — the end of every round, when all workers wait at a barrier holding nothing or holding
 * leases the test knows — the ledger's full walk ({@link ConnectionPool#verify}); the pool's counts against what the
 * workers hold (leased = their leases; nothing connecting, nothing waiting); every live connection is held by exactly
 * one worker or idle, never both; each transport the connector opened is open exactly while its connection is live,
 * and otherwise closed exactly once; the connections counted opened less those counted closed are the live ones, by
 * the pool's counts and by its listener's events, and the leases counted granted, ended and refused are those the
 * workers saw;</li>
 * <li>all along: the ledger's full walk, now and then, in the midst of the others' work (each of the pool's steps
 * leaves its invariants whole); no connection is leased by two workers at once, or checked while leased; every
 * route's cap and {@code max-connections} hold at every connect, open and close (counted by a listener under the
 * pool's own lock);</li>
 * <li>every lease ends in one of the documented ways: a connection of its route; a timeout no sooner than its acquire
 * timeout, with the documented message; a full line of exactly {@code max-pending-acquires} waiters; a connect
 * failure the test asked for; once the pool is closed, the closed pool's message;</li>
 * <li>liveness: a lease with a long acquire timeout, asked for by a worker that holds nothing in a round everyone ends
 * by giving everything back, is answered well before its timeout (a waiter that is served but not woken would only
 * notice at its timeout); and a watchdog fails the run, with a dump of the threads, when any operation outlasts its
 * own timeout by {@value #MARGIN_MILLIS} ms.</li>
 * </ul>
 *
 * <p>Threads make a run nondeterministic; its seed fixes the pool's configuration, the plan of rounds and each
 * worker's sequence of choices. A failure names the seed, each worker's seed and its last operations. Rerun one
 * configuration with {@code -Dhotpool.fuzz.seed=N}; run longer with {@code -Dhotpool.fuzz.concurrent.rounds=N}
 * (rounds per configuration, {@value #ROUNDS} by default) and {@code -Dhotpool.fuzz.concurrent.seeds=N} (seeds 1 to
 * N, {@value #SEEDS} by default) or {@code =A..B}.
 */
class ConcurrentConnectionPoolFuzzTests {

    private static final int SEEDS = 8;
    private static final int ROUNDS = 25;
    private static final int STEPS_PER_ROUND = 40;
    /** Leases one worker holds at most at once. */
    private static final int HELD_AT_MOST = 3;
    /**
     * The acquire timeout of a patient lease: one that must be answered long before it, since every holder gives its
     * connections back within a few steps.
     */
    private static final long PATIENT_MILLIS = 10_000;
    /** The longest a top-up may wait for its connects (connect-timeout + health-check.timeout + 1 s). */
    private static final long WARM_UP_MILLIS = 31_000;
    /** How far past its own timeout an operation may run before the watchdog calls the run stuck. */
    private static final long MARGIN_MILLIS = 10_000;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final CloseReason[] DISCARD_REASONS = {CloseReason.ERROR, CloseReason.STALE,
            CloseReason.SERVER_CLOSED, CloseReason.UNHEALTHY};

    @Test
    void threadsLeasingAtOnceKeepTheLedgerBalancedTheCapsHeldAndEveryWaiterAnswered() throws Exception {
        int rounds = Integer.getInteger("hotpool.fuzz.concurrent.rounds", ROUNDS);
        String only = System.getProperty("hotpool.fuzz.seed");
        long[] seeds = only != null ? new long[] {Long.parseLong(only), Long.parseLong(only)}
                : seeds(System.getProperty("hotpool.fuzz.concurrent.seeds", String.valueOf(SEEDS)));
        for (long seed = seeds[0]; seed <= seeds[1]; seed++) {
            new Run(seed, rounds).execute();
        }
    }

    /**
     * Found by the test above: a connect that ended after the pool was closed got its connection counted closed
     * (SHUTDOWN) but never opened, by the pool's counts and to its listener, so {@code hotpool.connections.created}
     * fell behind the connections closed.
     */
    @Test
    void aConnectThatEndsAfterThePoolClosedIsCountedOpenedThenClosed() throws Exception {
        TestClock clock = new TestClock();
        List<String> events = new ArrayList<>();
        PoolListener listener = new PoolListener() {
            @Override
            public void connectionOpened(Origin origin, InetAddress address) {
                events.add("opened " + origin);
            }

            @Override
            public void connectionClosed(Origin origin, CloseReason reason, long ageNanos) {
                events.add("closed " + origin + " " + reason);
            }
        };
        ConnectionPool pool = new ConnectionPool(HotPoolConfig.builder().name("closing").clock(clock)
                .shutdownTimeout(Duration.ZERO).build(), listener, Set.of(), RouteTable.OriginGone.NONE);
        Route route = Route.of(Origin.of("http", "a.test", 80), null);
        PoolEntry slot = (PoolEntry) pool.admit(route, LeaseMode.ANY, clock.millis()); // Its connect is under way.
        pool.close();
        FakeTransport transport = new FakeTransport(new InetSocketAddress(LOOPBACK, 80));

        assertThatThrownBy(() -> pool.connected(slot, transport)).isInstanceOf(HotPoolException.class)
                .hasMessage("hotpool: pool 'closing' is closed; no connection to http://a.test:80 can be leased");

        assertThat(transport.closed()).isTrue();
        assertThat(events).containsExactly("opened http://a.test:80", "closed http://a.test:80 SHUTDOWN");
        PoolStats stats = pool.stats();
        assertThat(stats.created()).isEqualTo(1);
        assertThat(stats.closed()).containsEntry(CloseReason.SHUTDOWN, 1L);
        assertThat(stats.total()).isZero();
        pool.verify();
    }

    /** {@code N}: seeds 1 to N; {@code A..B}: seeds A to B. */
    private static long[] seeds(String spec) {
        int dots = spec.indexOf("..");
        return dots < 0 ? new long[] {1, Long.parseLong(spec.trim())}
                : new long[] {Long.parseLong(spec.substring(0, dots).trim()),
                        Long.parseLong(spec.substring(dots + 2).trim())};
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** A lease a worker holds, and the step at which it means to end it. */
    private record Held(PoolEntry entry, Route route, int dueStep) {
    }

    /** One seeded run: a pool, the workers that use it, and what the test expects of it. */
    private static final class Run {

        final long seed;
        final int rounds;
        final String name;
        final TestClock clock = new TestClock();
        final HotPoolConfig config;
        final int maxConnections;
        final int maxPending;
        final int maxRequests;
        final List<Route> routes = new ArrayList<>();
        /** The cap the test expects per origin, worked out here from the configuration, not asked of the pool. */
        final Map<Origin, Integer> caps = new HashMap<>();
        /** The property an acquire timeout's message tells to raise, per origin. */
        final Map<Origin, String> capProperties = new HashMap<>();
        /** The lifetime (ms) the test expects per origin. */
        final Map<Origin, Long> lifetimes = new HashMap<>();
        /** Per round: whether the workers give back everything before its quiet point. */
        final boolean[] drains;
        /** The worker that closes the pool in the last round, and at which of its steps. */
        final int closer;
        final int closeAt;

        final EventCounts events;
        final TestConnector connector;
        final ConnectionPool pool;
        final Leaser leaser;
        final Warmer warmer;
        final HealthChecker checker;
        final Worker[] workers;
        final CyclicBarrier barrier;
        /** Which worker holds each leased connection (and its transport): the test's own view, kept by the workers. */
        final ConcurrentHashMap<PoolEntry, Worker> holders = new ConcurrentHashMap<>();
        final ConcurrentHashMap<TestTransport, Worker> transportHolders = new ConcurrentHashMap<>();
        final AtomicReference<AssertionError> failure = new AtomicReference<>();
        /** The live connections of the last quiet point; touched by the quiet check only (the barrier orders it). */
        Set<PoolEntry> seen = identitySet();
        volatile int round;
        volatile boolean closeStarted;
        volatile boolean closeReturned;

        final LongAdder steps = new LongAdder();
        final LongAdder leases = new LongAdder();
        final LongAdder slowLeases = new LongAdder();
        final LongAdder timeouts = new LongAdder();
        final LongAdder lineFull = new LongAdder();
        final LongAdder connectFailures = new LongAdder();
        final LongAdder refusedClosed = new LongAdder();
        final LongAdder patientLeases = new LongAdder();
        final LongAdder patientWaited = new LongAdder();
        final LongAdder probes = new LongAdder();
        final AtomicInteger mostPending = new AtomicInteger();
        final AtomicLong longestGrant = new AtomicLong();
        final AtomicLong longestPatient = new AtomicLong();
        int quietChecks;

        Run(long seed, int rounds) {
            this.seed = seed;
            this.rounds = rounds;
            this.name = "fuzz-" + seed;
            Random random = new Random(seed);
            this.maxConnections = 2 + random.nextInt(5);
            int perHost = 1 + random.nextInt(this.maxConnections);
            int capA = 1 + random.nextInt(this.maxConnections);
            int capSub = 1 + random.nextInt(this.maxConnections);
            int lifetimeSub = 10 + random.nextInt(30);
            int maxIdle = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(this.maxConnections);
            int minIdle = random.nextInt(1 + Math.min(2, Math.min(perHost, maxIdle)));
            this.maxPending = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(4);
            this.maxRequests = random.nextInt(3) == 0 ? 2 + random.nextInt(4) : 0;
            long shutdownMillis = new long[] {0, 50, 200}[random.nextInt(3)];
            Origin warmOrigin = Origin.of("http", "warm.test", 80);
            this.config = HotPoolConfig.builder().name(this.name).clock(this.clock)
                    .maxConnections(this.maxConnections)
                    .maxConnsPerHost(perHost)
                    .maxIdleConns(maxIdle)
                    .maxPendingAcquires(this.maxPending)
                    .maxRequestsPerConnection(this.maxRequests)
                    .idleTimeout(Duration.ofSeconds(10))
                    .maxLifetime(Duration.ofSeconds(40))
                    .validateAfterInactivity(Duration.ofSeconds(2))
                    // A top-up waits this long (+ 1 s) for its connects, so none outlives it but on a stalled machine.
                    .connectTimeout(Duration.ofSeconds(10))
                    .healthCheckTimeout(Duration.ofSeconds(20))
                    .shutdownTimeout(Duration.ofMillis(shutdownMillis))
                    .warmupHosts(List.of(warmOrigin))
                    .warmupMinIdlePerHost(minIdle)
                    .warmupMaxConcurrent(2)
                    .host("a.test", HostSettings.builder().maxConnections(capA)
                            .idleTimeout(Duration.ofSeconds(1 + random.nextInt(10))).build())
                    .host("*.sub.test", HostSettings.builder().maxConnections(capSub)
                            .maxLifetime(Duration.ofSeconds(lifetimeSub)).build())
                    .build();
            String perHostProperty = "hotpool.max-conns-per-host";
            expect("http", "a.test", 80, capA, "hotpool.hosts[a.test].max-connections or " + perHostProperty, 40_000);
            expect("http", "a.test", 8080, capA, "hotpool.hosts[a.test].max-connections or " + perHostProperty,
                    40_000); // The same host on another port: another route, under the same pattern's cap.
            expect("http", "b.test", 80, perHost, perHostProperty, 40_000);
            expect("http", "x.sub.test", 80, capSub, "hotpool.hosts[*.sub.test].max-connections or "
                    + perHostProperty, lifetimeSub * 1_000L);
            expect("http", "y.deep.sub.test", 80, capSub, "hotpool.hosts[*.sub.test].max-connections or "
                    + perHostProperty, lifetimeSub * 1_000L);
            this.caps.put(warmOrigin, perHost);
            this.capProperties.put(warmOrigin, perHostProperty);
            this.lifetimes.put(warmOrigin, 40_000L);
            Set<Route> warmRoutes = Warmer.routes(this.config);
            this.routes.addAll(warmRoutes);

            int threads = 4 + random.nextInt(5);
            this.drains = new boolean[rounds];
            for (int i = 0; i < rounds; i++) {
                this.drains[i] = random.nextBoolean();
            }
            this.closer = random.nextInt(threads);
            this.closeAt = STEPS_PER_ROUND / 4 + random.nextInt(STEPS_PER_ROUND / 2);

            this.events = new EventCounts(this);
            this.connector = new TestConnector(this.events);
            this.pool = new ConnectionPool(this.config, this.events, warmRoutes, RouteTable.OriginGone.NONE);
            this.leaser = new Leaser(this.pool, this.connector, this.config);
            ConnectionProbe probe = this::probe;
            this.warmer = new Warmer(this.config, this.pool, this.leaser, probe, warmRoutes);
            this.checker = new HealthChecker(this.config, this.pool, probe, this.warmer,
                    new AddressBook(this.config.staticAddresses(), this.config.resolver(),
                            this.config.dnsRefreshInterval(), this.clock),
                    new OutlierDetector(this.config.outlier(), this.clock), new TrafficRecorder(1_024, this.clock));
            this.workers = new Worker[threads];
            for (int i = 0; i < threads; i++) {
                this.workers[i] = new Worker(i, random.nextLong());
            }
            this.barrier = new CyclicBarrier(threads, this::quietPoint);
        }

        private void expect(String scheme, String host, int port, int cap, String capProperty, long lifetime) {
            Origin origin = Origin.of(scheme, host, port);
            this.routes.add(Route.of(origin, null));
            this.caps.put(origin, cap);
            this.capProperties.put(origin, capProperty);
            this.lifetimes.put(origin, lifetime);
        }

        // ---- running -----------------------------------------------------------------------------------------

        void execute() throws InterruptedException {
            long started = System.nanoTime();
            Thread watchdog = new Thread(this::watch, this.name + "-watchdog");
            watchdog.setDaemon(true);
            for (Worker w : this.workers) {
                w.thread = new Thread(w, this.name + "-w" + w.index);
                w.thread.setDaemon(true);
            }
            watchdog.start();
            for (Worker w : this.workers) {
                w.thread.start();
            }
            boolean allEnded = false;
            try {
                for (Worker w : this.workers) {
                    while (w.thread.isAlive() && this.failure.get() == null) {
                        w.thread.join(100);
                    }
                }
                if (this.failure.get() == null) {
                    finalCheck();
                }
            }
            catch (Throwable t) {
                fail("the final check failed: " + t, t);
            }
            finally {
                watchdog.interrupt();
                allEnded = stopWorkers();
                this.warmer.close();
                if (allEnded) {
                    this.pool.close(); // Already closed unless the run failed; a stuck thread may hold its lock.
                }
            }
            AssertionError failed = this.failure.get();
            if (failed != null) {
                throw failed;
            }
            System.out.printf("%s: %d threads, %d rounds, %d steps in %d ms: %d leases (%d granted after over 1 ms, the longest after %d ms), %d timed "
                            + "out, %d refused by a full line, %d failed connects, %d refused after close; %d patient "
                            + "leases (%d waited over 1 ms, the longest %d ms); %d probes; at most %d waiting; %d quiet checks; %s%n",
                    this.name, this.workers.length, this.rounds, this.steps.sum(), millis(System.nanoTime() - started),
                    this.leases.sum(), this.slowLeases.sum(), millis(this.longestGrant.get()), this.timeouts.sum(), this.lineFull.sum(),
                    this.connectFailures.sum(), this.refusedClosed.sum(), this.patientLeases.sum(),
                    this.patientWaited.sum(), millis(this.longestPatient.get()), this.probes.sum(), this.mostPending.get(), this.quietChecks,
                    this.events.maxima());
        }

        /** After a failure: interrupts the workers and waits a little for them; whether all of them ended. */
        private boolean stopWorkers() throws InterruptedException {
            boolean failed = this.failure.get() != null;
            boolean allEnded = true;
            for (Worker w : this.workers) {
                if (failed) {
                    w.thread.interrupt();
                }
            }
            for (Worker w : this.workers) {
                w.thread.join(failed ? 5_000 : 0);
                allEnded &= !w.thread.isAlive();
            }
            return allEnded;
        }

        /**
         * The watchdog: fails the run when an operation of a worker runs past its deadline. It looks every 50 ms, by
         * the wall clock: what it catches is a thread stuck for real, which the test clock cannot show.
         */
        private void watch() {
            try {
                while (this.failure.get() == null) {
                    Thread.sleep(50);
                    long now = System.nanoTime();
                    for (Worker w : this.workers) {
                        long deadline = w.deadline;
                        if (deadline != 0 && now - deadline > 0) {
                            fail(w + " is stuck in '" + w.doing + "', " + MARGIN_MILLIS + " ms past its own timeout\n"
                                    + threadDump(), null);
                            return;
                        }
                    }
                }
            }
            catch (InterruptedException e) {
                // The run is over.
            }
        }

        boolean failed() {
            return this.failure.get() != null;
        }

        /** Records the first failure (later ones are added to it) and wakes the workers at the barrier. */
        void fail(String what, Throwable cause) {
            AssertionError e = new AssertionError(describe(what), cause);
            if (!this.failure.compareAndSet(null, e)) {
                this.failure.get().addSuppressed(new AssertionError(what, cause));
            }
            this.barrier.reset();
        }

        private String describe(String what) {
            StringBuilder s = new StringBuilder(2_048).append("seed ").append(this.seed).append(" failed in round ")
                    .append(this.round).append(": ").append(what).append("\nrerun with -Dhotpool.fuzz.seed=")
                    .append(this.seed).append("\n").append(this.config).append("; caps ").append(this.caps)
                    .append("; max-pending-acquires ").append(this.maxPending).append("; max-requests-per-connection ")
                    .append(this.maxRequests).append("; closer w").append(this.closer).append(" at step ")
                    .append(this.closeAt).append(" of the last round\n");
            for (Worker w : this.workers) {
                s.append(w).append(" (seed ").append(w.seed).append(") last did:");
                for (String op : w.recent()) {
                    s.append("\n    ").append(op);
                }
                s.append('\n');
            }
            return s.toString();
        }

        private String threadDump() {
            StringBuilder s = new StringBuilder(4_096).append("threads:\n");
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                Thread t = e.getKey();
                if (!t.getName().startsWith(this.name) && !t.getName().startsWith("hotpool-warmup-")) {
                    continue;
                }
                s.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
                StackTraceElement[] frames = e.getValue();
                for (int i = 0; i < Math.min(frames.length, 25); i++) {
                    s.append("    at ").append(frames[i]).append('\n');
                }
            }
            return s.toString();
        }

        // ---- checks ------------------------------------------------------------------------------------------

        void check(boolean condition, String what) {
            if (!condition) {
                throw new AssertionError(what);
            }
        }

        /** The barrier's action: all workers wait, so the pool is still but for what they hold. */
        private void quietPoint() {
            try {
                quietCheck();
            }
            catch (Throwable t) {
                fail("the quiet check failed: " + t.getMessage(), t);
            }
            this.round++;
        }

        private void quietCheck() {
            awaitNoConnect();
            this.pool.verify();
            PoolStats stats = this.pool.stats();
            List<PoolEntry> held = new ArrayList<>();
            for (Worker w : this.workers) {
                for (Held h : w.held) {
                    held.add(h.entry());
                }
            }
            check(stats.leased() == held.size(), "the pool counts " + stats.leased() + " leased, the workers hold "
                    + held.size() + ": " + stats);
            check(stats.connecting() == 0 && stats.pending() == 0, "connecting or waiting with every worker at the "
                    + "barrier: " + stats);
            // At the epoch, before any connection was made, nothing has expired: this lists every IDLE connection
            // and closes none.
            List<PoolEntry> idle = this.pool.upkeep().idleForCheck(0L, new EnumMap<>(CloseReason.class));
            Set<PoolEntry> live = identitySet();
            Set<TestTransport> open = identitySet();
            Map<Origin, int[]> byOrigin = new HashMap<>();
            for (PoolEntry e : held) {
                check(live.add(e), e + " is held by two workers");
                check(e.state == State.LEASED, "held " + e + " is " + e.state);
                byOrigin.computeIfAbsent(e.origin(), o -> new int[2])[0]++;
            }
            for (PoolEntry e : idle) {
                check(live.add(e), e + " is both idle and held by " + this.holders.get(e));
                check(e.state == State.IDLE, "listed idle " + e + " is " + e.state);
                check(this.maxRequests == 0 || e.exchanges() < this.maxRequests, "idle " + e + " has served "
                        + e.exchanges() + " exchanges, max-requests-per-connection is " + this.maxRequests);
                byOrigin.computeIfAbsent(e.origin(), o -> new int[2])[1]++;
            }
            check(live.size() == stats.total(), "the pool counts " + stats.total() + " connections, the workers hold "
                    + held.size() + " and " + idle.size() + " are idle: " + stats);
            for (PoolEntry e : live) {
                TestTransport t = (TestTransport) e.transport();
                check(t != null && open.add(t), e + " has no transport of its own");
                check(t.closes() == 0 && t.aborts() == 0, "live " + e + " has its transport closed");
                check(t.route.equals(e.route.route()), e + " has a transport opened for " + t.route);
                long lifetime = this.lifetimes.get(e.origin());
                long given = e.lifetimeDeadline - e.createdAt;
                check(given >= (long) (lifetime * 0.975) - 1 && given <= lifetime, "lifetime of " + e + " is "
                        + given + " ms, expected " + lifetime + " ms less up to 2.5%");
            }
            check(this.connector.transports.containsAll(open), "a live connection has a transport the connector did "
                    + "not open");
            for (TestTransport t : this.connector.transports) {
                if (!open.contains(t)) {
                    check(t.closes() == 1, t + " belongs to no live connection and was closed " + t.closes()
                            + " times");
                }
            }
            for (PoolEntry e : this.seen) {
                if (!live.contains(e)) {
                    check(e.state == State.CLOSED, e + " left the pool but is " + e.state);
                }
            }
            this.seen = live;
            for (Origin origin : this.caps.keySet()) {
                int[] expected = byOrigin.getOrDefault(origin, new int[2]);
                int leased = 0;
                int idleRows = 0;
                List<ConnectionInfo> rows = this.pool.upkeep().connections(origin);
                for (ConnectionInfo row : rows) {
                    leased += row.state().equals("leased") ? 1 : 0;
                    idleRows += row.state().equals("idle") ? 1 : 0;
                }
                check(leased == expected[0] && idleRows == expected[1] && rows.size() == leased + idleRows,
                        origin + " shows " + rows + ", the test counts " + expected[0] + " held and " + expected[1]
                                + " idle");
            }
            for (PoolStats.HostStats h : stats.hosts()) {
                check(h.total() <= this.caps.get(h.origin()), h.route() + " has " + h.total() + " connections, over "
                        + "its cap of " + this.caps.get(h.origin()));
            }
            long closed = stats.closed().values().stream().mapToLong(Long::longValue).sum();
            check(stats.created() - closed == stats.total(), "the pool counts " + stats.created() + " connections "
                    + "opened and " + closed + " closed, with " + stats.total() + " live: " + stats);
            long refused = this.timeouts.sum() + this.lineFull.sum();
            check(stats.leases() == this.leases.sum() && stats.acquireTimeouts() == refused, "the pool counts "
                    + stats.leases() + " leases and " + stats.acquireTimeouts() + " refused, the workers "
                    + this.leases.sum() + " and " + refused);
            this.events.check(stats.total(), this.leases.sum(), held.size(), refused);
            this.connector.prune();
            this.quietChecks++;
        }

        /** After the last round: the pool is closed, everything was given back, and every transport closed once. */
        private void finalCheck() {
            check(this.pool.isClosed(), "the pool is open after w" + this.closer + " closed it");
            awaitNoConnect();
            this.pool.verify();
            PoolStats stats = this.pool.stats();
            check(stats.total() == 0 && stats.pending() == 0, "after close and every lease given back: " + stats);
            check(this.holders.isEmpty(), "still held: " + this.holders);
            for (TestTransport t : this.connector.transports) {
                check(t.closes() == 1, t + " was closed " + t.closes() + " times");
            }
            long closed = stats.closed().values().stream().mapToLong(Long::longValue).sum();
            check(stats.created() == closed, "the pool counts " + stats.created() + " connections opened and "
                    + closed + " closed, with none live: " + stats);
            long refused = this.timeouts.sum() + this.lineFull.sum();
            check(stats.leases() == this.leases.sum() && stats.acquireTimeouts() == refused, "the pool counts "
                    + stats.leases() + " leases and " + stats.acquireTimeouts() + " refused, the workers "
                    + this.leases.sum() + " and " + refused);
            this.events.check(0, this.leases.sum(), 0, refused);
        }

        /**
         * Waits for connects begun by the warm-up's threads, which a top-up waits for only up to its deadline (none
         * is slow here, so this returns at once unless the machine stalls).
         */
        private void awaitNoConnect() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (this.connector.inFlight.get() != 0) {
                check(System.nanoTime() - deadline < 0, this.connector.inFlight.get() + " connect(s) still under way");
                LockSupport.parkNanos(100_000);
            }
        }

        /**
         * The health check's and the warm-up's probe: never given a connection a worker holds; sometimes slow (so
         * the connection stays CHECKING while the others lease), sometimes finds it unhealthy; dead when the
         * server closed it.
         */
        private Outcome probe(Connection connection) {
            PoolEntry e = (PoolEntry) connection;
            Worker holder = this.holders.get(e);
            if (holder != null) {
                fail("the probe was given " + e + ", which " + holder + " holds", null);
            }
            this.probes.increment();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (random.nextInt(4) == 0) {
                LockSupport.parkNanos(random.nextLong(20_000, 300_000));
            }
            if (!e.transport().isAlive()) {
                return Outcome.DEAD;
            }
            return random.nextInt(25) == 0 ? Outcome.UNHEALTHY : Outcome.HEALTHY;
        }

        private String closedMessage(Route route) {
            return "hotpool: pool '" + this.name + "' is closed; no connection to " + route + " can be leased";
        }

        // ---- one worker --------------------------------------------------------------------------------------

        /** One thread of random operations. Its fields are its own, but for those the quiet check reads. */
        private final class Worker implements Runnable {

            final int index;
            final long seed;
            final Random random;
            /** Read by the quiet check, while this worker waits at the barrier. */
            final List<Held> held = new ArrayList<>();
            final AtomicReferenceArray<String> recent = new AtomicReferenceArray<>(12);
            Thread thread;
            int step;
            int recentNext;
            /** System.nanoTime() by which the current operation must be over; 0 between operations. */
            volatile long deadline;
            volatile String doing = "nothing yet";

            Worker(int index, long seed) {
                this.index = index;
                this.seed = seed;
                this.random = new Random(seed);
            }

            @Override
            public void run() {
                try {
                    for (int r = 0; r <= Run.this.rounds && !failed(); r++) {
                        boolean closing = r == Run.this.rounds;
                        boolean drain = closing || Run.this.drains[r];
                        for (int i = 0; i < STEPS_PER_ROUND && !failed(); i++) {
                            step(closing, drain, i);
                        }
                        if (drain && !failed()) {
                            while (!this.held.isEmpty()) {
                                end(this.held.remove(this.held.size() - 1));
                            }
                        }
                        if (!closing && !failed()) {
                            begin("quiet point after round " + r, 60_000 + PATIENT_MILLIS);
                            Run.this.barrier.await();
                            done();
                        }
                    }
                }
                catch (BrokenBarrierException | InterruptedException e) {
                    if (!failed()) {
                        fail(this + " was interrupted or saw the barrier broken: " + e, e);
                    }
                }
                catch (Throwable t) {
                    if (!failed()) {
                        fail(this + " failed in '" + this.doing + "': " + t.getMessage(), t);
                    }
                }
            }

            private void step(boolean closing, boolean drain, int i) throws Exception {
                this.step++;
                Run.this.steps.increment();
                for (int h = this.held.size() - 1; h >= 0; h--) {
                    if (this.held.get(h).dueStep() <= this.step) {
                        end(this.held.remove(h));
                    }
                }
                if (closing && this.index == Run.this.closer && i == Run.this.closeAt) {
                    closePool();
                    return;
                }
                int dice = this.random.nextInt(100);
                if (dice < 45) {
                    lease(drain);
                }
                else if (dice < 55) {
                    if (!this.held.isEmpty()) {
                        end(this.held.remove(this.random.nextInt(this.held.size())));
                    }
                }
                else if (dice < 60) {
                    long millis = this.random.nextInt(12) == 0 ? 11_000 : this.random.nextInt(800);
                    note("advance the clock " + millis + " ms");
                    Run.this.clock.advance(Duration.ofMillis(millis));
                }
                else if (dice < 68) {
                    begin("health check", WARM_UP_MILLIS);
                    Run.this.checker.run();
                    done();
                }
                else if (dice < 72) {
                    begin("warm up", WARM_UP_MILLIS);
                    Run.this.warmer.topUp();
                    done();
                }
                else if (dice < 75) {
                    Origin origin = this.random.nextBoolean() ? null : pick(Run.this.routes).origin();
                    begin("evict idle of " + (origin == null ? "all" : origin), 0);
                    Run.this.pool.upkeep().evictIdle(origin);
                    done();
                }
                else if (dice < 77) {
                    Origin origin = pick(Run.this.routes).origin();
                    begin("retire " + origin, 0);
                    Run.this.pool.upkeep().retireAddress(origin.host(), origin.authority(), LOOPBACK,
                            CloseReason.EJECTED);
                    done();
                }
                else if (dice < 83) {
                    TestTransport t = Run.this.connector.recent(this.random.nextInt(TestConnector.RECENT));
                    note("the server closes " + t);
                    if (t != null) {
                        t.peerCloses();
                    }
                }
                else if (dice < 91) {
                    peek();
                }
                else {
                    note("pause");
                    Thread.yield();
                }
            }

            /**
             * Leases with a random mode and acquire timeout, sometimes failing its connect; a patient lease (only
             * while holding nothing, in a round that ends with everything given back) must be answered well before
             * its long timeout.
             */
            private void lease(boolean drain) throws IOException {
                if (this.held.size() >= HELD_AT_MOST) {
                    end(this.held.remove(this.random.nextInt(this.held.size())));
                    return;
                }
                Route route = pick(Run.this.routes);
                int kind = this.random.nextInt(10);
                LeaseMode mode = kind < 6 ? LeaseMode.ANY : kind < 8 ? LeaseMode.NOT_RETRYABLE
                        : LeaseMode.NEW_CONNECTION;
                boolean patient = drain && this.held.isEmpty() && this.random.nextInt(5) == 0;
                long timeout = patient ? PATIENT_MILLIS
                        : this.random.nextInt(10) == 0 ? 0 : 1 + this.random.nextInt(10);
                boolean failConnect = !patient && this.random.nextInt(8) == 0;
                boolean afterClose = Run.this.closeReturned;
                String what = "lease " + route + " " + mode + " within " + timeout + " ms"
                        + (failConnect ? " (its connect fails)" : "");
                begin(what, timeout);
                boolean[] fail = Run.this.connector.failHere.get();
                fail[0] = failConnect;
                long start = System.nanoTime();
                PoolEntry entry = null;
                HotPoolException refused = null;
                try {
                    entry = (PoolEntry) Run.this.leaser.lease(route, mode, Duration.ofMillis(timeout), 1_000, 1_000);
                }
                catch (HotPoolException e) {
                    refused = e;
                }
                long elapsed = System.nanoTime() - start;
                boolean connectFailed = failConnect && !fail[0];
                fail[0] = false;
                done();
                outcome((entry != null ? "granted " + entry : refused.getClass().getSimpleName() + " \""
                        + refused.getMessage() + "\"") + " after " + millis(elapsed) + " ms");
                if (patient) {
                    Run.this.longestPatient.accumulateAndGet(elapsed, Math::max);
                    Run.this.patientLeases.increment();
                    if (elapsed >= TimeUnit.MILLISECONDS.toNanos(1)) {
                        Run.this.patientWaited.increment();
                    }
                    check(elapsed < TimeUnit.MILLISECONDS.toNanos(PATIENT_MILLIS), what + " ended only after "
                            + millis(elapsed) + " ms, at its acquire timeout, though every holder gives back what it "
                            + "holds within a few steps: a waiter was not woken, or was starved (" + (refused == null
                            ? "served " + entry : refused.getMessage()) + ")");
                }
                if (entry != null) {
                    check(!afterClose, what + " was granted " + entry + " after the pool was closed");
                    if (elapsed >= TimeUnit.MILLISECONDS.toNanos(1)) {
                        Run.this.slowLeases.increment();
                    }
                    Run.this.longestGrant.accumulateAndGet(elapsed, Math::max);
                    take(entry, route, what);
                    return;
                }
                String message = refused.getMessage();
                if (connectFailed) {
                    check(refused instanceof ConnectException && message.equals("hotpool: cannot connect to "
                            + route.origin() + ": refused (test)"), what + ": its failed connect ended as " + refused);
                    Run.this.connectFailures.increment();
                }
                else if (refused instanceof AcquireTimeoutException
                        && message.startsWith("hotpool: too many leases waiting for " + route + " (")) {
                    String expected = "hotpool: too many leases waiting for " + route + " (" + Run.this.maxPending
                            + " waiting, hotpool.max-pending-acquires=" + Run.this.maxPending + "); per-host ";
                    check(message.startsWith(expected), what + ": the line must be refused exactly when full: "
                            + message);
                    Run.this.lineFull.increment();
                }
                else if (refused instanceof AcquireTimeoutException) {
                    String prefix = "hotpool: no connection to " + route + " within ";
                    check(message.startsWith(prefix), what + " timed out with: " + message);
                    long waited = Long.parseLong(message.substring(prefix.length(), message.indexOf(" ms (")));
                    check(waited >= timeout && elapsed >= TimeUnit.MILLISECONDS.toNanos(timeout), what
                            + " timed out after " + millis(elapsed) + " ms: " + message);
                    check(message.contains("); raise " + Run.this.capProperties.get(route.origin())
                            + " or hotpool.acquire-timeout, or check that responses are closed"), what
                            + ": the timeout does not name what to raise: " + message);
                    Run.this.timeouts.increment();
                }
                else if (message.equals(closedMessage(route))) {
                    check(Run.this.closeStarted, what + " was refused as closed before the pool was closed");
                    Run.this.refusedClosed.increment();
                }
                else {
                    throw new AssertionError(what + " failed unexpectedly", refused);
                }
                check(!afterClose || message.equals(closedMessage(route)), what + " after the pool was closed ended "
                        + "as " + refused);
            }

            /** A granted lease: a live connection of the route, held by no one else; it counts one exchange. */
            private void take(PoolEntry e, Route route, String what) {
                check(e.route.route().equals(route), what + " was granted " + e);
                check(e.state == State.LEASED, what + " was granted " + e + " in state " + e.state);
                TestTransport t = (TestTransport) e.transport();
                check(t != null && t.closes() == 0 && (Run.this.closeStarted || t.aborts() == 0), what
                        + " was granted " + e + " with its transport closed");
                Worker other = Run.this.holders.putIfAbsent(e, this);
                check(other == null, what + " was granted " + e + ", which " + other + " holds");
                other = Run.this.transportHolders.putIfAbsent(t, this);
                check(other == null, what + " was granted " + t + ", which " + other + " holds");
                e.beginExchange();
                this.held.add(new Held(e, route, this.step + 1 + this.random.nextInt(6)));
                Run.this.leases.increment();
            }

            /** Ends a lease: mostly released (maybe after the server closed it), else discarded (maybe aborted). */
            private void end(Held h) {
                PoolEntry e = h.entry();
                TestTransport t = (TestTransport) e.transport();
                check(Run.this.holders.remove(e, this) && Run.this.transportHolders.remove(t, this), this
                        + " ends " + e + ", which it does not hold");
                int how = this.random.nextInt(20);
                if (how == 0) {
                    t.peerCloses(); // The server closed it after its response: found by a liveness read later.
                }
                begin("end " + e + (how < 14 ? " (release)" : how < 19 ? " (discard)" : " (abort and discard)"), 0);
                if (how < 14) {
                    if (this.random.nextInt(4) == 0) {
                        e.keepAliveHint(this.random.nextInt(5_000));
                    }
                    e.release();
                }
                else if (how < 19) {
                    e.discard(DISCARD_REASONS[this.random.nextInt(DISCARD_REASONS.length)]);
                }
                else {
                    e.abort(); // A call timeout: the socket is closed at once, then the lease ends.
                    e.discard(CloseReason.ERROR);
                }
                done();
            }

            /**
             * The ledger's full walk in the midst of the others' work (each of the pool's steps ends with its
             * invariants whole, and the walk holds the pool's lock), and a snapshot of the counts: under every cap,
             * the lines no longer than max-pending-acquires.
             */
            private void peek() {
                begin("verify and peek", 0);
                Run.this.pool.verify();
                PoolStats stats = Run.this.pool.stats();
                done();
                check(stats.total() <= Run.this.maxConnections, "over max-connections: " + stats);
                for (PoolStats.HostStats h : stats.hosts()) {
                    check(h.total() <= Run.this.caps.get(h.origin()) && h.pending() <= Run.this.maxPending,
                            h.route() + " over its cap or line: " + h);
                }
                Run.this.mostPending.accumulateAndGet(stats.pending(), Math::max);
            }

            private void closePool() {
                begin("close the pool", Run.this.config.shutdownTimeout().toMillis());
                Run.this.closeStarted = true;
                Run.this.pool.close();
                Run.this.closeReturned = true;
                done();
            }

            /** Starts an operation the watchdog times: it must end within its own timeout plus the margin. */
            private void begin(String what, long timeoutMillis) {
                note(what);
                this.doing = what;
                this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis + MARGIN_MILLIS);
            }

            private void done() {
                this.deadline = 0;
            }

            /** Adds what came of the last operation to its note. */
            private void outcome(String what) {
                int last = (this.recentNext - 1) % this.recent.length();
                this.recent.set(last, this.recent.get(last) + " → " + what);
            }

            private void note(String what) {
                this.recent.set(this.recentNext++ % this.recent.length(), "step " + this.step + ": " + what);
            }

            /** The last operations, oldest first. */
            List<String> recent() {
                List<String> ops = new ArrayList<>();
                for (int i = 0; i < this.recent.length(); i++) {
                    String op = this.recent.get((this.recentNext + i) % this.recent.length());
                    if (op != null) {
                        ops.add(op);
                    }
                }
                return ops;
            }

            private <T> T pick(List<T> list) {
                return list.get(this.random.nextInt(list.size()));
            }

            @Override
            public String toString() {
                return "w" + this.index;
            }
        }
    }

    private static <T> Set<T> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /**
     * Counts each route's connections and the pool's as the pool reports them, and fails the run when one exceeds
     * its cap: opens and closes come from the pool under its lock, connects under way from the connector, after the
     * pool reserved their slot and before it gives the slot back or opens the connection. Each is counted within the
     * span the pool counts it, so these counts never exceed the pool's own; over a cap here is over a cap there. It
     * also counts the connections reported opened and closed, and the leases reported granted, ended and refused, for
     * the quiet check. Thread-safe.
     */
    private static final class EventCounts implements PoolListener {

        private final Run run;
        private final Map<Origin, int[]> live = new HashMap<>();
        private final Map<Origin, Integer> most = new HashMap<>();
        private int total;
        private int mostTotal;
        private String broken;
        /** Connections reported opened and closed. */
        private long opened;
        private long closed;
        /** Leases reported granted, ended, and refused. */
        private long acquired;
        private long released;
        private long acquireFailed;

        EventCounts(Run run) {
            this.run = run;
        }

        @Override
        public synchronized void connectionOpened(Origin origin, InetAddress address) {
            this.opened++;
            count(origin, 1);
        }

        @Override
        public synchronized void connectionClosed(Origin origin, CloseReason reason, long ageNanos) {
            this.closed++;
            count(origin, -1);
        }

        @Override
        public synchronized void acquired(Origin origin, long waitNanos, boolean reused) {
            this.acquired++;
        }

        @Override
        public synchronized void released(Origin origin, long heldNanos) {
            this.released++;
        }

        @Override
        public synchronized void acquireFailed(Origin origin) {
            this.acquireFailed++;
        }

        synchronized void connecting(Origin origin, int delta) {
            count(origin, delta);
        }

        private void count(Origin origin, int delta) {
            int n = this.live.computeIfAbsent(origin, o -> new int[1])[0] += delta;
            this.total += delta;
            this.most.merge(origin, n, Math::max);
            this.mostTotal = Math.max(this.mostTotal, this.total);
            Integer cap = this.run.caps.get(origin);
            if (this.broken == null && (cap == null || n > cap || this.total > this.run.maxConnections)) {
                this.broken = origin + " reached " + n + " connections (cap " + cap + "), the pool " + this.total
                        + " (max-connections " + this.run.maxConnections + ")";
            }
        }

        /**
         * At a quiet point: fails when a cap was exceeded, or when the events do not add up to what the workers know
         * — connections opened less closed are the live ones, leases granted less ended are the held ones, and
         * every lease refused for lack of a connection was reported.
         */
        synchronized void check(int live, long granted, int held, long refused) {
            if (this.broken != null) {
                throw new AssertionError("a cap was exceeded: " + this.broken);
            }
            if (this.opened - this.closed != live) {
                throw new AssertionError("the listener heard of " + this.opened + " connections opened and "
                        + this.closed + " closed, with " + live + " live");
            }
            if (this.acquired != granted || this.acquired - this.released != held || this.acquireFailed != refused) {
                throw new AssertionError("the listener heard of " + this.acquired + " leases granted, "
                        + this.released + " ended and " + this.acquireFailed + " refused; the workers were granted "
                        + granted + ", hold " + held + " and were refused " + refused);
            }
        }

        synchronized String maxima() {
            return "most connections at once " + this.most + ", pool " + this.mostTotal;
        }
    }

    /**
     * A connector without sockets: every connect succeeds at once, now and then after a short pause, unless the
     * connecting worker asked for its connect to fail (one in ten of the warm-up's connects fails too). It keeps every transport it opened (until the quiet check
     * has seen it closed twice) and the last few for the server to close. Thread-safe.
     */
    private static final class TestConnector implements Connector {

        static final int RECENT = 16;

        private final EventCounts events;
        final Set<TestTransport> transports = ConcurrentHashMap.newKeySet();
        /** Set by a worker for its next connect; cleared by the connector when it fails that connect. */
        final ThreadLocal<boolean[]> failHere = ThreadLocal.withInitial(() -> new boolean[1]);
        final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicReferenceArray<TestTransport> recent = new AtomicReferenceArray<>(RECENT);
        private final AtomicLong ids = new AtomicLong();
        /** Transports seen closed by the last quiet check, dropped by the next one (after checking them again). */
        private Set<TestTransport> closedBefore = identitySet();

        TestConnector(EventCounts events) {
            this.events = events;
        }

        @Override
        public Transport connect(Route route, AddressLoad load, int connectTimeoutMillis, int readTimeoutMillis)
                throws IOException {
            this.inFlight.incrementAndGet();
            this.events.connecting(route.origin(), 1);
            try {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                if (random.nextInt(5) == 0) {
                    LockSupport.parkNanos(random.nextLong(10_000, 200_000)); // Others run while this one connects.
                }
                boolean[] fail = this.failHere.get();
                boolean warming = Thread.currentThread().getName().startsWith("hotpool-warmup-");
                if (fail[0] || (warming && random.nextInt(10) == 0)) {
                    fail[0] = false;
                    throw new ConnectException("hotpool: cannot connect to " + route.origin() + ": refused (test)",
                            null);
                }
                TestTransport t = new TestTransport(this.ids.incrementAndGet(), route);
                load.add(LOOPBACK, 1);
                this.transports.add(t);
                this.recent.set((int) (t.id % RECENT), t);
                return t;
            }
            finally {
                this.events.connecting(route.origin(), -1);
                this.inFlight.decrementAndGet();
            }
        }

        TestTransport recent(int i) {
            return this.recent.get(i);
        }

        /** Forgets the transports closed at the last quiet check too, having checked them once more. Quiet only. */
        void prune() {
            this.transports.removeAll(this.closedBefore);
            Set<TestTransport> closed = identitySet();
            for (TestTransport t : this.transports) {
                if (t.closes() > 0) {
                    closed.add(t);
                }
            }
            this.closedBefore = closed;
        }
    }

    /** A {@link FakeTransport} the test tells apart: its number, in the order opened, and its route. */
    private static final class TestTransport extends FakeTransport {

        final long id;
        final Route route;

        TestTransport(long id, Route route) {
            super(new InetSocketAddress(LOOPBACK, route.origin().port()));
            this.id = id;
            this.route = route;
        }

        @Override
        public String toString() {
            return "transport " + this.id + " to " + this.route + (closed() ? " (closed)" : "");
        }
    }
}
