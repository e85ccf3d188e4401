package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.internal.pool.ConnectionProbe.Outcome;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.testsupport.TestClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random operations on the engine with multiplexed routes beside ordinary ones, driven by a seeded {@link Random} and
 * the test clock (no threads, no sleeps): leases that become streams, connects that agree to multiplex or not (or to
 * no stream at all), sessions whose limit rises and falls, GOAWAYs on leased, idle and checked connections, streams
 * released and discarded, lifetimes and request limits, health checks, eviction, retirement, warm-up and shutdown.
 * After every step the ledger's invariants are checked over the whole pool, and against what the test holds: a
 * connection the test holds a stream of is LEASED and open (unless it was closed under it), every waiting lease is
 * counted, closed connections have their session and socket closed, and no connection has more streams than its
 * session allowed when they began.
 *
 * <p>On failure the message names the seed and the step; rerun one seed with {@code -Dhotpool.fuzz.seed=N}.
 */
class MultiplexedPoolFuzzTests {

    private static final int SEEDS = Integer.getInteger("hotpool.fuzz.seeds", 300);
    private static final int STEPS = 1_500;
    /** The highest stream limit a session here ever has. */
    private static final int MAX_LIMIT = 5;

    @Test
    void everySeedKeepsTheLedgerBalancedAndNoStreamOutlivesItsConnectionUnseen() {
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

    private static final class Run {

        private final Random random;
        private final TestClock clock = new TestClock();
        private final FakeMultiplexing multiplexing = new FakeMultiplexing();
        private final ConnectionPool pool;
        private final Leaser leaser;
        private final List<Route> routes = new ArrayList<>();
        private final Route warm;
        /** Leases the test holds: connections leased whole, and streams. */
        private final List<Held> held = new ArrayList<>();
        private final List<PoolEntry> connecting = new ArrayList<>();
        private final List<Waiter> waiting = new ArrayList<>();
        private final List<PoolEntry> checking = new ArrayList<>();
        private final List<PoolEntry> seen = new ArrayList<>();
        /** Each multiplexed connection's session, to drive it. */
        private final Map<PoolEntry, FakeMultiplexing.Session> sessions = new IdentityHashMap<>();
        private final int maxRequests;

        Run(long seed) {
            this.random = new Random(seed);
            int maxConnections = 1 + this.random.nextInt(5);
            this.maxRequests = this.random.nextInt(3) == 0 ? 1 + this.random.nextInt(8) : 0;
            HotPoolConfig config = HotPoolConfig.builder().name("mux-fuzz-" + seed).clock(this.clock)
                    .maxConnections(maxConnections)
                    .maxConnsPerHost(1 + this.random.nextInt(maxConnections))
                    .maxIdleConns(this.random.nextInt(maxConnections + 1))
                    .maxPendingAcquires(this.random.nextInt(6))
                    .maxRequestsPerConnection(this.maxRequests)
                    .idleTimeout(Duration.ofSeconds(10))
                    .maxLifetime(Duration.ofSeconds(40))
                    .validateAfterInactivity(Duration.ofSeconds(2))
                    .shutdownTimeout(Duration.ZERO)
                    .build();
            for (String host : List.of("h2.test", "h2b.test", "plain.test")) {
                this.routes.add(Route.of(Origin.of("http", host, 80), null));
            }
            this.warm = Route.of(Origin.of("http", "h2warm.test", 80), null);
            this.routes.add(this.warm);
            this.pool = new ConnectionPool(config, PoolListener.NONE, Set.of(this.warm), RouteTable.OriginGone.NONE,
                    this.multiplexing);
            this.leaser = new Leaser(this.pool, new FakeConnector(), config, this.multiplexing);
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
            if (dice < 52) {
                return end(true);
            }
            if (dice < 56) {
                return end(false);
            }
            if (dice < 60) {
                return giveUp();
            }
            if (dice < 67) {
                return session();
            }
            if (dice < 73) {
                long millis = this.random.nextInt(5) == 0 ? 15_000 : this.random.nextInt(3_000);
                this.clock.advance(Duration.ofMillis(millis));
                return "advance " + millis + " ms";
            }
            if (dice < 83) {
                return healthCheck();
            }
            if (dice < 86) {
                this.pool.upkeep().evictIdle(null);
                return "evict all";
            }
            if (dice < 89) {
                Route r = pick(this.routes);
                this.pool.upkeep().retireAddress(r.origin().host(), r.origin().authority(),
                        FakeTransportAddress.LOOPBACK_80.getAddress(), CloseReason.EJECTED);
                return "retire " + r;
            }
            if (dice < 95) {
                return warmUp();
            }
            if (dice < 96) {
                this.pool.close();
                return "close";
            }
            return "nothing";
        }

        private String admit() {
            Route r = pick(this.routes);
            int kind = this.random.nextInt(6);
            LeaseMode mode = kind == 0 ? LeaseMode.NEW_CONNECTION : kind == 1 ? LeaseMode.NOT_RETRYABLE : LeaseMode.ANY;
            try {
                Admission a = this.pool.admit(r, mode, this.clock.millis());
                if (a instanceof Waiter w) {
                    this.waiting.add(w);
                    return "admit " + r + " " + mode + ": waits";
                }
                take((Held) a);
                return "admit " + r + " " + mode + ": " + a;
            }
            catch (HotPoolException e) {
                return "admit " + r + ": " + e.getMessage();
            }
        }

        private String finishConnect() {
            if (this.connecting.isEmpty()) {
                return "no connect under way";
            }
            PoolEntry e = this.connecting.remove(this.random.nextInt(this.connecting.size()));
            int dice = this.random.nextInt(10);
            if (dice == 0) {
                this.pool.connectFailed(e);
                return "connect failed " + e;
            }
            FakeMultiplexing.Session session = null;
            if (e.route.mayMultiplex() && dice > 1) {
                session = new FakeMultiplexing.Session(e, dice == 2 ? 0 : 1 + this.random.nextInt(4));
                if (dice == 3) {
                    session.goAway(CloseReason.SERVER_CLOSED); // Before the pool has it: a GOAWAY at once.
                }
            }
            try {
                Held h = this.pool.connected(e, new FakeTransport(FakeTransportAddress.LOOPBACK_80), session);
                if (session != null) {
                    this.sessions.put(e, session);
                }
                this.held.add(h);
                return "connected " + e + (session != null ? " limit " + session.streamLimit() : " one at a time");
            }
            catch (HotPoolException refused) {
                assertThat(e.state).isEqualTo(PoolEntry.State.CLOSED);
                return "connected and refused " + e + ": " + refused.getMessage();
            }
        }

        private String end(boolean release) {
            if (this.held.isEmpty()) {
                return "nothing held";
            }
            Held h = this.held.remove(this.random.nextInt(this.held.size()));
            if (release) {
                h.release();
                if (this.random.nextInt(10) == 0 && h instanceof StreamLease) {
                    h.release(); // A second end of a stream is ignored.
                }
                return "release " + h;
            }
            h.discard(CloseReason.ERROR);
            return "discard " + h;
        }

        private String giveUp() {
            if (this.waiting.isEmpty()) {
                return "nobody waits";
            }
            Waiter w = this.waiting.get(this.random.nextInt(this.waiting.size()));
            assertThat(this.pool.cancel(w)).isTrue();
            this.waiting.remove(w);
            return "give up waiting on " + w.route.route();
        }

        private String session() {
            List<PoolEntry> open = new ArrayList<>();
            this.sessions.forEach((e, s) -> {
                if (e.state != PoolEntry.State.CLOSED) {
                    open.add(e);
                }
            });
            if (open.isEmpty()) {
                return "no session";
            }
            PoolEntry e = pick(open);
            FakeMultiplexing.Session s = this.sessions.get(e);
            if (this.random.nextInt(3) == 0) {
                s.goAway(this.random.nextBoolean() ? CloseReason.SERVER_CLOSED : CloseReason.ERROR);
                return "goaway " + e;
            }
            int limit = this.random.nextInt(MAX_LIMIT + 1);
            s.limit(limit);
            return "limit " + limit + " on " + e;
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
            if (!idle.isEmpty()) {
                PoolEntry e = pick(idle);
                if (this.pool.upkeep().beginCheck(e)) {
                    this.checking.add(e);
                    return "begin check " + e;
                }
            }
            return "expire idle";
        }

        private String warmUp() throws Exception {
            PoolEntry reserved = this.pool.upkeep().reserveForWarmup(this.warm);
            if (reserved == null) {
                return "no room to warm";
            }
            this.seen.add(reserved);
            FakeMultiplexing.Session session = new FakeMultiplexing.Session(reserved, 1 + this.random.nextInt(3));
            try {
                Held h = this.pool.connected(reserved, new FakeTransport(FakeTransportAddress.LOOPBACK_80), session);
                this.sessions.put(reserved, session);
                h.release();
                return "warm up " + reserved;
            }
            catch (HotPoolException closed) {
                return "warm up after close";
            }
        }

        /** Grants given to waiters by the last step become the test's leases and connects. */
        private void collectGrants() {
            for (int i = this.waiting.size() - 1; i >= 0; i--) {
                Waiter w = this.waiting.get(i);
                if (w.done) {
                    this.waiting.remove(i);
                    take(w.granted);
                }
            }
        }

        private void take(Held h) {
            PoolEntry e = h.connection();
            this.seen.add(e);
            if (e.state == PoolEntry.State.CONNECTING) {
                this.connecting.add(e);
            }
            else {
                assertThat(e.state).isEqualTo(PoolEntry.State.LEASED);
                this.held.add(h);
            }
        }

        void check() {
            collectGrants();
            this.pool.verify();
            PoolStats stats = this.pool.stats();
            Set<PoolEntry> leasedConnections = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (Held h : this.held) {
                PoolEntry e = h.connection();
                if (h instanceof StreamLease s) {
                    assertThat(e.state).as("the connection of held %s", s)
                            .isIn(PoolEntry.State.LEASED, PoolEntry.State.CLOSED);
                    assertThat(s.ended).as("held %s has not ended", s).isFalse();
                    if (e.state == PoolEntry.State.LEASED) {
                        assertThat(e.streams()).as("streams of %s", e).contains(s);
                        leasedConnections.add(e);
                    }
                }
                else {
                    assertThat(e.state).as("held %s", e).isEqualTo(PoolEntry.State.LEASED);
                    assertThat(e.multiplex()).isNull();
                    leasedConnections.add(e);
                }
            }
            assertThat(stats.leased()).as("leased connections").isEqualTo(leasedConnections.size());
            assertThat(stats.connecting()).as("connecting").isEqualTo(this.connecting.size());
            assertThat(stats.pending()).as("waiting").isEqualTo(this.waiting.size());
            for (PoolEntry e : this.seen) {
                if (e.state == PoolEntry.State.CLOSED && e.transport() != null) {
                    assertThat(((FakeTransport) e.transport()).closed()).as("closed %s has its socket closed", e)
                            .isTrue();
                    FakeMultiplexing.Session s = this.sessions.get(e);
                    assertThat(s == null || s.closes() > 0).as("closed %s has its session closed", e).isTrue();
                }
                if (e.multiplex() != null && e.state != PoolEntry.State.CLOSED) {
                    assertThat(e.streamCount()).as("streams of %s within the highest limit a session had", e)
                            .isLessThanOrEqualTo(MAX_LIMIT);
                    assertThat(this.maxRequests == 0 || e.exchanges() < this.maxRequests || e.draining != null)
                            .as("%s took streams past max-requests-per-connection", e).isTrue();
                }
            }
            this.seen.removeIf(e -> e.state == PoolEntry.State.CLOSED);
            this.sessions.keySet().removeIf(e -> e.state == PoolEntry.State.CLOSED && !this.seen.contains(e)
                    && ((FakeTransport) e.transport()).closed());
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
            for (Held h : this.held) {
                h.release();
            }
            this.pool.close();
            this.pool.verify();
            PoolStats stats = this.pool.stats();
            assertThat(stats.total()).isZero();
            assertThat(stats.pending()).isZero();
            assertThat(stats.hosts()).extracting(PoolStats.HostStats::route)
                    .containsExactly("http://h2warm.test:80");
        }

        private <T> T pick(List<T> list) {
            return list.get(this.random.nextInt(list.size()));
        }
    }
}
