package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.HostSettings;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.internal.pool.ConnectionProbe.Outcome;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.testsupport.TestClock;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random operations on the engine, driven by a seeded {@link Random} and the test clock: no threads, no sleeps, so a
 * failing seed fails the same way every time. Each step is one of the engine's locked steps — admit a lease (which
 * takes an idle connection, reserves a slot, or queues a waiter), finish or fail a connect, release, discard, give up
 * waiting, move the clock, check idle connections (begun and ended at different steps), evict, retire an address,
 * warm up, close — on routes some of which have their own cap and timeouts ({@code hotpool.hosts}: an exact
 * pattern, and a wildcard), and after every step the ledger's invariants are checked over the whole pool, together
 * with what the test itself holds: its leases, its connects under way and its waiters, and the caps and lifetimes
 * it expects per host.
 *
 * <p>On failure the message names the seed and the step; rerun one seed with {@code -Dhotpool.fuzz.seed=N}.
 */
class ConnectionPoolFuzzTests {

    private static final int SEEDS = 300;
    private static final int STEPS = 1_500;
    private static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 80);

    @Test
    void everySeedKeepsTheLedgerBalancedAndLosesNoConnection() {
        String only = System.getProperty("hotpool.fuzz.seed");
        if (only != null) {
            run(Long.parseLong(only));
            return;
        }
        for (long seed = 1; seed <= SEEDS; seed++) {
            run(seed);
        }
    }

    private static void run(long seed) {
        Run run = new Run(seed);
        int step = 0;
        String op = "setup";
        try {
            for (step = 1; step <= STEPS; step++) {
                op = run.step();
                run.check();
            }
            op = "drain";
            run.drain();
        }
        catch (Throwable t) {
            throw new AssertionError("seed " + seed + " failed at step " + step + " (" + op + "); rerun with "
                    + "-Dhotpool.fuzz.seed=" + seed + ": " + t, t);
        }
    }

    /** One seeded run: a pool with random limits and what the test holds of it. */
    private static final class Run {

        private final Random random;
        private final TestClock clock = new TestClock();
        private final ConnectionPool pool;
        private final Leaser leaser;
        private final List<Route> routes = new ArrayList<>();
        private final Route warm;
        /** Connections the test has leased. */
        private final List<PoolEntry> leased = new ArrayList<>();
        /** Slots reserved for the test, whose connect is "under way". */
        private final List<PoolEntry> connecting = new ArrayList<>();
        private final List<Waiter> waiting = new ArrayList<>();
        /** Connections the test is checking, begun but not ended. */
        private final List<PoolEntry> checking = new ArrayList<>();
        /** Every entry the test has seen, to check that closed ones have their transport closed. */
        private final List<PoolEntry> seen = new ArrayList<>();

        /** The cap and lifetime (ms) the test expects per host name, worked out here, not by the pool. */
        private final java.util.Map<String, int[]> expected = new java.util.HashMap<>();

        Run(long seed) {
            this.random = new Random(seed);
            int maxConnections = 1 + this.random.nextInt(6);
            int perHost = 1 + this.random.nextInt(maxConnections);
            int capA = 1 + this.random.nextInt(maxConnections);
            int capSub = 1 + this.random.nextInt(maxConnections);
            int lifetimeSub = 10 + this.random.nextInt(30);
            HotPoolConfig config = HotPoolConfig.builder().name("fuzz-" + seed).clock(this.clock)
                    .maxConnections(maxConnections)
                    .maxConnsPerHost(perHost)
                    .maxIdleConns(this.random.nextInt(maxConnections + 1))
                    .maxPendingAcquires(this.random.nextInt(4))
                    .idleTimeout(Duration.ofSeconds(10))
                    .maxLifetime(Duration.ofSeconds(40))
                    .validateAfterInactivity(Duration.ofSeconds(2))
                    .shutdownTimeout(Duration.ZERO)
                    .host("a.test", HostSettings.builder().maxConnections(capA)
                            .idleTimeout(Duration.ofSeconds(1 + this.random.nextInt(10))).build())
                    .host("*.sub.test", HostSettings.builder().maxConnections(capSub)
                            .maxLifetime(Duration.ofSeconds(lifetimeSub)).build())
                    .build();
            this.expected.put("a.test", new int[] {capA, 40_000});
            this.expected.put("b.test", new int[] {perHost, 40_000});
            this.expected.put("warm.test", new int[] {perHost, 40_000});
            this.expected.put("x.sub.test", new int[] {capSub, lifetimeSub * 1_000});
            this.expected.put("y.deep.sub.test", new int[] {capSub, lifetimeSub * 1_000});
            for (String host : List.of("a.test", "b.test", "x.sub.test", "y.deep.sub.test")) {
                this.routes.add(Route.of(Origin.of("http", host, 80), null));
            }
            this.routes.add(Route.of(Origin.of("http", "a.test", 8080), null)); // Same host, another route.
            this.warm = Route.of(Origin.of("http", "warm.test", 80), null);
            this.routes.add(this.warm);
            this.pool = new ConnectionPool(config, PoolListener.NONE, Set.of(this.warm),
                    RouteTable.OriginGone.NONE);
            this.leaser = new Leaser(this.pool, new FakeConnector(), config);
        }

        String step() throws Exception {
            collectGrants();
            int dice = this.random.nextInt(100);
            if (dice < 25) {
                return admit();
            }
            if (dice < 35) {
                return finishConnect();
            }
            if (dice < 50) {
                return end(true);
            }
            if (dice < 58) {
                return end(false);
            }
            if (dice < 63) {
                return giveUp();
            }
            if (dice < 73) {
                long millis = this.random.nextInt(5) == 0 ? 15_000 : this.random.nextInt(3_000);
                this.clock.advance(Duration.ofMillis(millis));
                return "advance " + millis + " ms";
            }
            if (dice < 83) {
                return healthCheck();
            }
            if (dice < 87) {
                Route r = pick(this.routes);
                boolean all = this.random.nextBoolean();
                this.pool.upkeep().evictIdle(all ? null : r.origin());
                return "evict " + (all ? "all" : r);
            }
            if (dice < 90) {
                Route r = pick(this.routes);
                this.pool.upkeep().retireAddress(r.origin().host(), r.origin().authority(), REMOTE.getAddress(),
                        CloseReason.EJECTED);
                return "retire " + r;
            }
            if (dice < 96) {
                PoolEntry w = (PoolEntry) this.leaser.openForWarmup(this.warm, 1_000, 1_000);
                if (w != null) {
                    this.seen.add(w);
                    this.leased.add(w);
                }
                return "warm up";
            }
            if (dice < 97) {
                this.pool.close();
                return "close";
            }
            return "nothing";
        }

        private String admit() {
            Route r = pick(this.routes);
            int kind = this.random.nextInt(5);
            LeaseMode mode = kind == 0 ? LeaseMode.NEW_CONNECTION : kind == 1 ? LeaseMode.NOT_RETRYABLE : LeaseMode.ANY;
            try {
                Admission a = this.pool.admit(r, mode, this.clock.millis());
                if (a instanceof Waiter w) {
                    this.waiting.add(w);
                    return "admit " + r + " " + mode + ": waits";
                }
                take((PoolEntry) a);
                return "admit " + r + " " + mode + ": " + ((PoolEntry) a).state;
            }
            catch (HotPoolException e) { // Also AcquireTimeoutException: the line is full.
                return "admit " + r + ": " + e.getMessage();
            }
        }

        private String finishConnect() {
            if (this.connecting.isEmpty()) {
                return "no connect under way";
            }
            PoolEntry e = this.connecting.remove(this.random.nextInt(this.connecting.size()));
            if (this.random.nextInt(4) == 0) {
                this.pool.connectFailed(e);
                return "connect failed " + e;
            }
            try {
                this.leased.add(this.pool.connected(e, new FakeTransport(REMOTE)));
                return "connected " + e;
            }
            catch (HotPoolException closed) {
                assertThat(e.state).isEqualTo(PoolEntry.State.CLOSED);
                return "connected after close " + e;
            }
        }

        private String end(boolean release) {
            if (this.leased.isEmpty()) {
                return "nothing leased";
            }
            PoolEntry e = this.leased.remove(this.random.nextInt(this.leased.size()));
            if (release) {
                if (this.random.nextInt(4) == 0) {
                    e.keepAliveHint(this.random.nextInt(5_000));
                }
                e.release();
                if (this.random.nextInt(10) == 0 && e.state != PoolEntry.State.LEASED) {
                    e.release(); // A second end of a connection no longer leased (not handed over) is ignored.
                }
                return "release " + e;
            }
            e.discard(CloseReason.ERROR);
            return "discard " + e;
        }

        private String giveUp() {
            if (this.waiting.isEmpty()) {
                return "nobody waits";
            }
            Waiter w = this.waiting.get(this.random.nextInt(this.waiting.size()));
            assertThat(this.pool.cancel(w)).isTrue(); // Grants were collected before this step.
            this.waiting.remove(w);
            return "give up waiting on " + w.route.route();
        }

        private String healthCheck() {
            if (!this.checking.isEmpty() && this.random.nextBoolean()) {
                PoolEntry e = this.checking.remove(this.random.nextInt(this.checking.size()));
                Outcome outcome = Outcome.values()[this.random.nextInt(3) == 0 ? 1 + this.random.nextInt(2) : 0];
                this.pool.upkeep().endCheck(e, outcome);
                return "end check " + e + " " + outcome;
            }
            List<PoolEntry> idle = this.pool.upkeep().idleForCheck(this.clock.millis(),
                    new EnumMap<>(CloseReason.class));
            if (!idle.isEmpty() && this.checking.isEmpty()) {
                PoolEntry e = pick(idle);
                if (this.pool.upkeep().beginCheck(e)) {
                    this.checking.add(e);
                    return "begin check " + e;
                }
            }
            return "expire idle";
        }

        /** Grants given to waiters by the last step become the test's leases and connects. */
        private void collectGrants() {
            for (int i = this.waiting.size() - 1; i >= 0; i--) {
                Waiter w = this.waiting.get(i);
                if (w.done) {
                    this.waiting.remove(i);
                    take(((PoolEntry) w.granted));
                }
            }
        }

        private void take(PoolEntry e) {
            this.seen.add(e);
            if (e.state == PoolEntry.State.CONNECTING) {
                this.connecting.add(e);
            }
            else {
                assertThat(e.state).isEqualTo(PoolEntry.State.LEASED);
                this.leased.add(e);
            }
        }

        /** The ledger's own walk, plus what the test holds against the pool's counts. */
        void check() {
            collectGrants();
            this.pool.verify();
            PoolStats stats = this.pool.stats();
            assertThat(stats.leased()).as("leased").isEqualTo(this.leased.size());
            assertThat(stats.connecting()).as("connecting").isEqualTo(this.connecting.size());
            assertThat(stats.pending()).as("waiting").isEqualTo(this.waiting.size());
            for (PoolEntry e : this.leased) {
                assertThat(e.state).as("held %s", e).isEqualTo(PoolEntry.State.LEASED);
                assertThat(((FakeTransport) e.transport()).closed()).as("held %s is open", e).isFalse();
            }
            for (PoolEntry e : this.checking) {
                assertThat(e.state).as("%s under check is left alone", e).isEqualTo(PoolEntry.State.CHECKING);
            }
            for (PoolEntry e : this.seen) {
                if (e.state == PoolEntry.State.CLOSED && e.transport() != null) {
                    assertThat(((FakeTransport) e.transport()).closed()).as("closed %s has its socket closed", e)
                            .isTrue();
                }
            }
            this.seen.removeIf(e -> e.state == PoolEntry.State.CLOSED);
            for (PoolStats.HostStats h : stats.hosts()) {
                assertThat(h.total()).as("connections of %s under its own cap", h.route())
                        .isLessThanOrEqualTo(this.expected.get(h.origin().host())[0]);
            }
            for (PoolEntry e : this.seen) {
                if (e.transport() != null) {
                    long lifetime = this.expected.get(e.origin().host())[1];
                    assertThat(e.lifetimeDeadline - e.createdAt).as("lifetime of %s", e)
                            .isBetween((long) (lifetime * 0.975) - 1, lifetime);
                }
            }
        }

        /** Gives everything back and closes the pool: nothing may be left but the warm route, empty. */
        void drain() {
            collectGrants();
            for (Waiter w : this.waiting) {
                this.pool.cancel(w);
            }
            collectGrants();
            for (PoolEntry e : this.checking) {
                this.pool.upkeep().endCheck(e, Outcome.HEALTHY);
            }
            for (PoolEntry e : this.connecting) {
                this.pool.connectFailed(e);
            }
            for (PoolEntry e : this.leased) {
                e.release();
            }
            this.pool.close();
            this.pool.verify();
            PoolStats stats = this.pool.stats();
            assertThat(stats.total()).isZero();
            assertThat(stats.pending()).isZero();
            assertThat(stats.hosts()).extracting(PoolStats.HostStats::route).containsExactly("http://warm.test:80");
        }

        private <T> T pick(List<T> list) {
            return list.get(this.random.nextInt(list.size()));
        }
    }
}
