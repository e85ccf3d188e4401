package dev.hotpool.internal.pool;

import dev.hotpool.AcquireTimeoutException;
import dev.hotpool.CloseReason;
import dev.hotpool.ConnectException;
import dev.hotpool.HostSettings;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.internal.pool.ConnectionProbe.Outcome;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.TaskThreads;
import dev.hotpool.testsupport.TestClock;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine on its own: a fake connector and the test clock, no sockets, no sleeps. Every test ends by checking the
 * ledger's invariants over the whole pool.
 */
class ConnectionPoolTests {

    private static final Route A = route("a.test");
    private static final Route B = route("b.test");
    private static final Route C = route("c.test");
    private static final Route D = route("d.test");

    private final TestClock clock = new TestClock();
    private final FakeConnector connector = new FakeConnector();
    /** Runs the leases that wait in line (see {@link #leaseInBackground}). */
    private final TaskThreads threads = new TaskThreads("background-lease");
    /** The origins whose last route the pool removed, in order. */
    private final List<String> gone = new java.util.ArrayList<>();
    private ConnectionPool pool;
    private Leaser leaser;

    @AfterEach
    void verifyAndClose() {
        try {
            if (this.pool != null) {
                this.pool.verify();
                this.pool.close();
                this.pool.verify();
            }
        }
        finally {
            this.threads.close();
        }
    }

    private ConnectionPool pool(UnaryOperator<HotPoolConfig.Builder> settings) {
        return pool(settings, Set.of());
    }

    private ConnectionPool pool(UnaryOperator<HotPoolConfig.Builder> settings, Set<Route> warm) {
        HotPoolConfig config = settings.apply(HotPoolConfig.builder().name("engine").clock(this.clock)
                .shutdownTimeout(Duration.ZERO)).build();
        this.pool = new ConnectionPool(config, PoolListener.NONE, warm,
                (origin, lastToHost) -> this.gone.add(origin + (lastToHost ? " (host)" : "")));
        this.leaser = new Leaser(this.pool, this.connector, config);
        return this.pool;
    }

    private static Route route(String host) {
        return Route.of(Origin.of("http", host, 80), null);
    }

    private PoolEntry lease(Route route) throws IOException {
        return lease(route, LeaseMode.ANY);
    }

    private PoolEntry lease(Route route, LeaseMode mode) throws IOException {
        return (PoolEntry) this.leaser.lease(route, mode, Duration.ofSeconds(5), 1_000, 1_000);
    }

    /** A lease on another thread, which may wait in line. */
    private CompletableFuture<PoolEntry> leaseInBackground(Route route) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return lease(route);
            }
            catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, this.threads);
    }

    private Admission admit(Route route) throws HotPoolException {
        return this.pool.admit(route, LeaseMode.ANY, this.clock.millis());
    }

    private List<String> routes() {
        return this.pool.stats().hosts().stream().map(PoolStats.HostStats::route).toList();
    }

    private long closed(CloseReason reason) {
        return this.pool.stats().closed().get(reason);
    }

    @Test
    void idleConnectionsAreReusedNewestFirst() throws IOException {
        pool(b -> b.maxConnsPerHost(3));
        PoolEntry a = lease(A);
        PoolEntry b = lease(A);
        PoolEntry c = lease(A);
        a.release();
        b.release();
        c.release();

        assertThat(lease(A)).isSameAs(c);
        assertThat(lease(A)).isSameAs(b);
        assertThat(this.connector.attempts()).isEqualTo(3);
        assertThat(c.reused()).isTrue();
    }

    @Test
    void aLeaseAtThePerHostLimitWaitsAndAReleaseHandsTheConnectionStraightToTheOldestWaiter() throws IOException {
        pool(b -> b.maxConnsPerHost(1));
        PoolEntry held = lease(A);
        Waiter first = (Waiter) admit(A);
        Waiter second = (Waiter) admit(A);
        assertThat(this.pool.stats().pending()).isEqualTo(2);

        held.release();
        assertThat(first.done).isTrue();
        assertThat(((PoolEntry) first.granted)).isSameAs(held);
        assertThat(second.done).isFalse();
        assertThat(this.pool.stats().idle()).isZero();
        assertThat(this.pool.stats().leased()).isEqualTo(1);
        this.pool.verify();

        held.release();
        assertThat(((PoolEntry) second.granted)).isSameAs(held);
        assertThat(this.connector.attempts()).isEqualTo(1);
    }

    @Test
    void aWaiterThatGivesUpLeavesTheLineAndTheRouteGoesWithItsLastConnection() throws IOException {
        pool(b -> b.maxConnsPerHost(1));
        PoolEntry held = lease(A);
        Waiter waiter = (Waiter) admit(A);

        assertThat(this.pool.cancel(waiter)).isTrue();
        assertThat(this.pool.stats().pending()).isZero();
        held.discard(CloseReason.ERROR);

        assertThat(routes()).isEmpty();
        assertThat(this.pool.cancel(waiter)).isFalse();
    }

    @Test
    void atTheGlobalLimitTheLeastRecentlyUsedIdleConnectionOfThePoolMakesRoomForAnotherRoute() throws IOException {
        pool(b -> b.maxConnections(3).maxConnsPerHost(3));
        for (Route r : List.of(A, B, C)) {
            lease(r).release();
            this.clock.advance(Duration.ofMillis(10));
        }
        FakeTransport oldest = this.connector.opened().get(0);

        lease(D);

        assertThat(oldest.closed()).isTrue();
        assertThat(closed(CloseReason.EVICTED)).isEqualTo(1);
        assertThat(routes()).containsExactlyInAnyOrder("http://b.test:80", "http://c.test:80", "http://d.test:80");
        assertThat(this.pool.stats().total()).isEqualTo(3);
    }

    @Test
    void routesWaitingForRoomUnderTheGlobalLimitAreServedInTheOrderTheyBeganToWait() throws IOException {
        pool(b -> b.maxConnections(2).maxConnsPerHost(2));
        PoolEntry a1 = lease(A);
        PoolEntry a2 = lease(A);
        Waiter b = (Waiter) admit(B);
        Waiter c = (Waiter) admit(C);

        a1.discard(CloseReason.ERROR);
        assertThat(b.done).isTrue();
        assertThat(((PoolEntry) b.granted).state).isEqualTo(PoolEntry.State.CONNECTING);
        assertThat(((PoolEntry) b.granted).route.route()).isEqualTo(B);
        assertThat(c.done).isFalse();
        this.pool.verify();

        a2.release(); // Idle while C waits for room: closed at once to make it.
        assertThat(c.done).isTrue();
        assertThat(((PoolEntry) c.granted).route.route()).isEqualTo(C);
        assertThat(closed(CloseReason.EVICTED)).isEqualTo(1);
        this.pool.connected(((PoolEntry) b.granted), new FakeTransport(this.connector.last().remote()));
        this.pool.connectFailed(((PoolEntry) c.granted));
        assertThat(routes()).containsExactly("http://b.test:80");
    }

    @Test
    void aFailedConnectGivesItsSlotToTheNextWaiterAndLeavesNothingWhenNoneWaits() throws IOException {
        pool(b -> b.maxConnsPerHost(1));
        PoolEntry reserved = (PoolEntry) admit(A);
        Waiter waiter = (Waiter) admit(A);

        this.pool.connectFailed(reserved);
        assertThat(waiter.done).isTrue();
        assertThat(((PoolEntry) waiter.granted).state).isEqualTo(PoolEntry.State.CONNECTING);
        this.pool.connectFailed(((PoolEntry) waiter.granted));
        assertThat(routes()).isEmpty();

        this.connector.failNext(1);
        assertThatThrownBy(() -> lease(A)).isInstanceOf(ConnectException.class).hasMessageContaining("a.test");
        assertThat(this.pool.stats().total()).isZero();
        assertThat(routes()).isEmpty();
        assertThat(lease(A).reused()).isFalse();
    }

    @Test
    void idleConnectionsPastMaxIdleConnsCloseOldestFirst() throws IOException {
        pool(b -> b.maxIdleConns(2));
        PoolEntry a = lease(A);
        PoolEntry b = lease(B);
        PoolEntry c = lease(C);
        a.release();
        b.release();
        c.release();

        assertThat(a.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(this.pool.stats().idle()).isEqualTo(2);
        assertThat(closed(CloseReason.EVICTED)).isEqualTo(1);
    }

    @Test
    void anIdleConnectionPastItsIdleTimeoutOrItsServersKeepAliveHintIsClosedOnTheNextLease() throws IOException {
        pool(b -> b.idleTimeout(Duration.ofSeconds(10)));
        PoolEntry first = lease(A);
        first.release();
        this.clock.advance(Duration.ofSeconds(10));
        PoolEntry second = lease(A);
        assertThat(second).isNotSameAs(first);
        assertThat(closed(CloseReason.IDLE_TIMEOUT)).isEqualTo(1);

        second.keepAliveHint(1_000);
        second.release();
        this.clock.advance(Duration.ofSeconds(1));
        assertThat(lease(A)).isNotSameAs(second);
        assertThat(closed(CloseReason.IDLE_TIMEOUT)).isEqualTo(2);
    }

    @Test
    void aConnectionPastItsLifetimeIsClosedWhenItComesBack() throws IOException {
        pool(b -> b.maxLifetime(Duration.ofMinutes(1)).idleTimeout(Duration.ofMinutes(1)));
        PoolEntry busy = lease(A);
        this.clock.advance(Duration.ofMinutes(1));
        busy.release();

        assertThat(busy.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(closed(CloseReason.MAX_LIFETIME)).isEqualTo(1);
        assertThat(routes()).isEmpty();
    }

    @Test
    void aConnectionIdleLongerThanValidateAfterInactivityIsReadForLivenessAndDroppedWhenTheServerClosedIt()
            throws IOException {
        pool(b -> b.validateAfterInactivity(Duration.ofSeconds(2)));
        PoolEntry first = lease(A);
        first.release();
        this.connector.last().peerCloses();

        this.clock.advance(Duration.ofSeconds(1));
        assertThat(lease(A)).isSameAs(first); // Within the window: not read, handed out as it is.
        first.release();
        this.clock.advance(Duration.ofSeconds(3));
        PoolEntry second = lease(A);

        assertThat(second).isNotSameAs(first);
        assertThat(second.reused()).isFalse();
        assertThat(closed(CloseReason.STALE)).isEqualTo(1);
    }

    @Test
    void aLeaseThatCannotBeRetriedChecksAConnectionIdleLongerThanTheShorterBound() throws IOException {
        pool(b -> b.validateAfterInactivity(Duration.ofSeconds(2))
                .validateNonRetryableAfterInactivity(Duration.ofMillis(50)));
        PoolEntry first = lease(A);
        first.release();
        this.connector.last().peerCloses();

        this.clock.advance(Duration.ofMillis(50));
        assertThat(lease(A, LeaseMode.NOT_RETRYABLE)).isSameAs(first); // Not past the bound: not read.
        first.release();
        this.clock.advance(Duration.ofMillis(100));
        assertThat(lease(A)).isSameAs(first); // A retryable lease keeps the 2 s rule (and its retry).
        first.release();
        this.clock.advance(Duration.ofMillis(100));
        PoolEntry second = lease(A, LeaseMode.NOT_RETRYABLE);

        assertThat(second).isNotSameAs(first);
        assertThat(second.reused()).isFalse();
        assertThat(closed(CloseReason.STALE)).isEqualTo(1);
    }

    @Test
    void aLeaseThatCannotBeRetriedSkipsAConnectionIdleNearlyAsLongAsItsServerWasSeenToAllow() throws IOException {
        pool(b -> b.validateNonRetryableAfterInactivity(Duration.ofMillis(50)));
        PoolEntry first = lease(A);
        first.release();
        this.connector.last().peerCloses();
        this.clock.advance(Duration.ofMillis(1000));
        PoolEntry second = lease(A, LeaseMode.NOT_RETRYABLE); // Found closed after 1 s idle: the server's limit.
        assertThat(closed(CloseReason.STALE)).isEqualTo(1);
        second.release();

        this.clock.advance(Duration.ofMillis(950)); // Within max(100 ms, a tenth) of 1 s: the server may close it.
        PoolEntry third = lease(A, LeaseMode.NOT_RETRYABLE);
        assertThat(third).isNotSameAs(second);
        assertThat(third.reused()).isFalse();
        assertThat(closed(CloseReason.IDLE_TIMEOUT)).isEqualTo(1);
        third.release();

        this.clock.advance(Duration.ofMillis(850)); // Well short of it: reused.
        assertThat(lease(A, LeaseMode.NOT_RETRYABLE)).isSameAs(third);
        third.release();
        this.clock.advance(Duration.ofMillis(950));
        assertThat(lease(A)).as("a retryable lease keeps it (and its retry)").isSameAs(third);
    }

    @Test
    void theServersObservedIdleLimitIsForgottenOnceAConnectionServedAfterIdlingLonger() throws IOException {
        pool(b -> b.validateNonRetryableAfterInactivity(Duration.ofMillis(50)));
        PoolEntry first = lease(A);
        first.release();
        this.connector.last().peerCloses();
        this.clock.advance(Duration.ofMillis(1000));
        PoolEntry second = lease(A, LeaseMode.NOT_RETRYABLE);
        second.release();

        this.clock.advance(Duration.ofMillis(1500));
        assertThat(lease(A)).isSameAs(second); // A retryable lease, answered after 1.5 s idle: the limit grew.
        second.release();
        this.clock.advance(Duration.ofMillis(950));
        assertThat(lease(A, LeaseMode.NOT_RETRYABLE)).isSameAs(second);
        assertThat(closed(CloseReason.IDLE_TIMEOUT)).isZero();
    }

    @Test
    void aRouteLivesWhileItHasAConnectionAndIsMadeAgainOnItsNextLease() throws IOException {
        pool(b -> b);
        PoolEntry first = lease(A);
        assertThat(routes()).containsExactly("http://a.test:80");
        first.release();
        assertThat(routes()).containsExactly("http://a.test:80");

        assertThat(this.pool.upkeep().evictIdle(A.origin())).isEqualTo(1);
        assertThat(routes()).isEmpty();

        lease(A);
        assertThat(this.pool.stats().hosts()).singleElement()
                .satisfies(h -> assertThat(h.created()).isEqualTo(1))
                .satisfies(h -> assertThat(h.leases()).isEqualTo(1));
    }

    @Test
    void routesToOneHostOnOtherPortsAndSchemesAreTheirOwnAndLeaveOneByOne() throws IOException {
        pool(b -> b);
        Route plain = route("a.test");
        Route otherPort = Route.of(Origin.of("http", "a.test", 8080), null);
        Route secure = Route.of(Origin.of("https", "a.test", 443), dev.hotpool.tls.TlsSettings.defaults());
        PoolEntry p = lease(plain);
        PoolEntry o = lease(otherPort);
        PoolEntry s = lease(secure);
        assertThat(this.pool.upkeep().originsOf("a.test")).hasSize(3);

        o.discard(CloseReason.ERROR);
        assertThat(this.pool.upkeep().originsOf("a.test")).containsExactlyInAnyOrder(plain.origin(), secure.origin());
        p.release();
        assertThat(lease(plain)).isSameAs(p);
        s.discard(CloseReason.ERROR);
        p.discard(CloseReason.ERROR);
        assertThat(routes()).isEmpty();
        assertThat(this.gone).containsExactly("http://a.test:8080", "https://a.test:443", "http://a.test:80 (host)");
    }

    @Test
    void tenThousandOriginsSeenOnceLeaveNoRouteBehindOnceTheirConnectionsIdleOut() throws IOException {
        pool(b -> b.maxConnections(200).maxConnsPerHost(2).maxIdleConns(200).idleTimeout(Duration.ofSeconds(2)));
        for (int i = 0; i < 10_000; i++) {
            lease(route("o" + i + ".test")).release();
        }
        PoolStats during = this.pool.stats();
        assertThat(during.total()).isEqualTo(200);
        assertThat(during.hosts()).hasSize(200);
        assertThat(during.closed().get(CloseReason.EVICTED)).isEqualTo(10_000 - 200);
        this.pool.verify();

        this.clock.advance(Duration.ofSeconds(2));
        Map<CloseReason, Integer> closedNow = new EnumMap<>(CloseReason.class);
        assertThat(this.pool.upkeep().idleForCheck(this.clock.millis(), closedNow)).isEmpty();

        assertThat(closedNow).containsEntry(CloseReason.IDLE_TIMEOUT, 200);
        assertThat(this.pool.stats().total()).isZero();
        assertThat(routes()).isEmpty();
        assertThat(this.connector.opened()).allMatch(FakeTransport::closed);
    }

    @Test
    void aConnectionBeingCheckedIsSkippedByLeasesAndKeepsItsPlaceAndItsIdleTime() throws IOException {
        pool(b -> b.maxConnsPerHost(3));
        PoolEntry older = lease(A);
        PoolEntry newer = lease(A);
        older.release();
        this.clock.advance(Duration.ofMillis(5));
        newer.release();
        long idleSince = newer.idleSince;

        assertThat(this.pool.upkeep().idleForCheck(this.clock.millis(), new EnumMap<>(CloseReason.class)))
                .containsExactly(older, newer);
        assertThat(this.pool.upkeep().beginCheck(newer)).isTrue();
        assertThat(this.pool.stats().idle()).isEqualTo(2);
        PoolEntry leased = lease(A);
        assertThat(leased).isSameAs(older);
        this.pool.verify();

        assertThat(this.pool.upkeep().endCheck(newer, Outcome.HEALTHY)).isNull();
        assertThat(newer.idleSince).isEqualTo(idleSince);
        assertThat(lease(A)).isSameAs(newer);
    }

    @Test
    void aHealthyCheckedConnectionGoesToAWaiterOfItsRouteAndAFailedOneIsClosed() throws IOException {
        pool(b -> b.maxConnsPerHost(1));
        PoolEntry a = lease(A);
        a.release();
        assertThat(this.pool.upkeep().beginCheck(a)).isTrue();
        Waiter waiter = (Waiter) admit(A);

        assertThat(this.pool.upkeep().endCheck(a, Outcome.HEALTHY)).isNull();
        assertThat(((PoolEntry) waiter.granted)).isSameAs(a);
        a.release();

        assertThat(this.pool.upkeep().beginCheck(a)).isTrue();
        assertThat(this.pool.upkeep().endCheck(a, Outcome.DEAD)).isEqualTo(CloseReason.STALE);
        PoolEntry b = lease(A);
        b.release();
        this.pool.upkeep().beginCheck(b);
        assertThat(this.pool.upkeep().endCheck(b, Outcome.UNHEALTHY)).isEqualTo(CloseReason.UNHEALTHY);
        assertThat(routes()).isEmpty();
    }

    @Test
    void aWarmUpTargetIsKeptWhenItHasNoConnectionAndWarmUpNeverEvictsAnotherRoute() throws IOException {
        Route warm = route("warm.test");
        pool(b -> b.maxConnections(2).maxConnsPerHost(2), Set.of(warm));
        assertThat(routes()).containsExactly("http://warm.test:80");

        PoolEntry w = (PoolEntry) this.leaser.openForWarmup(warm, 1_000, 1_000);
        w.release();
        assertThat(this.pool.upkeep().warmCount(warm)).isEqualTo(1);
        lease(A);
        assertThat(this.leaser.openForWarmup(warm, 1_000, 1_000)).isNull(); // Full: no room without evicting.
        this.pool.upkeep().evictIdle(null);
        assertThat(routes()).containsExactlyInAnyOrder("http://warm.test:80", "http://a.test:80");
        assertThat(this.pool.upkeep().warmCount(warm)).isZero();
    }

    @Test
    void aRetiredAddressClosesItsIdleConnectionsNowAndItsLeasedOnesWhenTheyComeBack() throws IOException {
        pool(b -> b.maxConnsPerHost(2));
        PoolEntry idle = lease(A);
        PoolEntry leased = lease(A);
        idle.release();

        int now = this.pool.upkeep().retireAddress("a.test", "a.test:80", InetAddress.getLoopbackAddress(),
                CloseReason.EJECTED);
        assertThat(now).isEqualTo(1);
        assertThat(idle.state).isEqualTo(PoolEntry.State.CLOSED);
        leased.release();
        assertThat(leased.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(closed(CloseReason.EJECTED)).isEqualTo(2);
    }

    @Test
    void newConnectionModeSkipsIdleConnectionsAndClosesTheRoutesOldestAtItsLimit() throws IOException {
        pool(b -> b.maxConnsPerHost(2));
        PoolEntry a = lease(A);
        PoolEntry b = lease(A);
        a.release();
        b.release();

        PoolEntry fresh = lease(A, LeaseMode.NEW_CONNECTION);

        assertThat(fresh).isNotSameAs(a).isNotSameAs(b);
        assertThat(a.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(b.state).isEqualTo(PoolEntry.State.IDLE);
    }

    @Test
    void aFullLineFailsAtOnceAndAnAcquireTimeoutNamesTheRouteAndTheCounts() throws IOException {
        pool(b -> b.maxConnsPerHost(1).maxConnections(4).maxPendingAcquires(1));
        lease(A);
        Waiter waiting = (Waiter) admit(A);
        assertThatThrownBy(() -> admit(A)).isInstanceOf(AcquireTimeoutException.class)
                .hasMessageStartingWith("hotpool: too many leases waiting for http://a.test:80")
                .hasMessageContaining("1 waiting, hotpool.max-pending-acquires=1");
        this.pool.cancel(waiting);

        assertThatThrownBy(() -> this.leaser.lease(A, LeaseMode.ANY, Duration.ofMillis(20), 1_000, 1_000))
                .isInstanceOf(AcquireTimeoutException.class)
                .hasMessageStartingWith("hotpool: no connection to http://a.test:80 within ")
                .hasMessageContaining("per-host 1/1: 1 leased, 0 idle, 0 connecting, 0 waiting; pool 1/4");
        assertThat(this.pool.stats().acquireTimeouts()).isEqualTo(2);
        assertThat(this.pool.stats().pending()).isZero();
    }

    @Test
    void aBlockedLeaseIsWokenByARelease() throws Exception {
        pool(b -> b.maxConnsPerHost(1));
        PoolEntry held = lease(A);
        CompletableFuture<PoolEntry> waiting = leaseInBackground(A);
        Await.until(() -> this.pool.stats().pending() == 1);

        held.release();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isSameAs(held);
        assertThat(held.reused()).isTrue();
    }

    @Test
    void closingThePoolClosesIdleConnectionsAbortsLeasedOnesWakesWaitersAndFailsNewLeases() throws Exception {
        pool(b -> b.maxConnsPerHost(1).maxConnections(3).name("orders"));
        PoolEntry idle = lease(B);
        PoolEntry leased = lease(A);
        idle.release();
        CompletableFuture<PoolEntry> waiting = leaseInBackground(A);
        Await.until(() -> this.pool.stats().pending() == 1);

        this.pool.close();

        assertThat(this.connector.opened().get(0).closed()).isTrue();
        assertThat(this.connector.opened().get(1).aborted()).isTrue();
        String closedMessage = "hotpool: pool 'orders' is closed; no connection to http://a.test:80 can be leased";
        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage(closedMessage);
        assertThatThrownBy(() -> lease(A)).isInstanceOf(HotPoolException.class).hasMessage(closedMessage);
        leased.release();
        assertThat(closed(CloseReason.SHUTDOWN)).isEqualTo(2);
        assertThat(this.pool.stats().total()).isZero();
        assertThat(this.pool.stats().pending()).isZero();
    }

    // ---- per-host settings (hotpool.hosts) ------------------------------------------------------------------

    @Test
    void aHostsOwnCapHoldsWhileAnotherHostUsesThePoolsAndTheTimeoutMessageNamesIt() throws IOException {
        pool(b -> b.maxConnsPerHost(3).maxConnections(10)
                .host("a.test", HostSettings.builder().maxConnections(1).build()));
        lease(A);
        assertThat(admit(A)).isInstanceOf(Waiter.class);
        lease(B);
        lease(B);
        lease(B);
        assertThat(admit(B)).isInstanceOf(Waiter.class);
        assertThatThrownBy(() -> this.leaser.lease(A, LeaseMode.ANY, Duration.ofMillis(20), 1_000, 1_000))
                .isInstanceOf(AcquireTimeoutException.class)
                .hasMessageContaining("per-host 1/1: 1 leased")
                .hasMessageContaining("raise hotpool.hosts[a.test].max-connections or hotpool.max-conns-per-host");
        assertThat(this.pool.stats().total()).isEqualTo(4);
    }

    @Test
    void aHostsOwnIdleTimeoutClosesItsIdleConnectionsOnlyAndAnotherHostKeepsThePools() throws IOException {
        pool(b -> b.idleTimeout(Duration.ofSeconds(60))
                .host("*.test", HostSettings.builder().idleTimeout(Duration.ofSeconds(30)).build())
                .host("a.test", HostSettings.builder().idleTimeout(Duration.ofSeconds(5)).build()));
        Route other = Route.of(Origin.of("http", "other.example", 80), null);
        PoolEntry a = lease(A);
        PoolEntry b = lease(B);
        PoolEntry o = lease(other);
        a.release();
        b.release();
        o.release();
        this.clock.advance(Duration.ofSeconds(5));
        Map<CloseReason, Integer> closedNow = new EnumMap<>(CloseReason.class);
        assertThat(this.pool.upkeep().idleForCheck(this.clock.millis(), closedNow)).containsExactly(b, o);
        assertThat(closedNow).containsExactly(Map.entry(CloseReason.IDLE_TIMEOUT, 1));
        assertThat(a.state).isEqualTo(PoolEntry.State.CLOSED);

        this.clock.advance(Duration.ofSeconds(25)); // b.test falls under *.test: 30 s; other.example: the pool's 60 s.
        assertThat(lease(B)).isNotSameAs(b);
        assertThat(lease(other)).isSameAs(o);
        assertThat(closed(CloseReason.IDLE_TIMEOUT)).isEqualTo(2);
    }

    @Test
    void aHostsOwnLifetimeClosesItsConnectionsWhenTheyComeBackAndNotAnotherHosts() throws IOException {
        pool(b -> b.maxLifetime(Duration.ofMinutes(5)).idleTimeout(Duration.ofSeconds(30))
                .host("a.test", HostSettings.builder().maxLifetime(Duration.ofSeconds(40)).build()));
        PoolEntry a = lease(A);
        PoolEntry b = lease(B);
        assertThat(a.lifetimeDeadline - a.createdAt).isBetween(39_000L, 40_000L);
        assertThat(b.lifetimeDeadline - b.createdAt).isBetween(292_500L, 300_000L);
        this.clock.advance(Duration.ofSeconds(40));
        a.release();
        b.release();

        assertThat(a.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(b.state).isEqualTo(PoolEntry.State.IDLE);
        assertThat(closed(CloseReason.MAX_LIFETIME)).isEqualTo(1);
    }

    @Test
    void aRouteKeepsTheSettingsItWasCreatedWithAndAWarmRouteItsHosts() throws IOException {
        Route warm = route("warm.test");
        pool(b -> b.maxConnsPerHost(4).host("warm.test", HostSettings.builder().maxConnections(2).build()),
                Set.of(warm));
        assertThat(this.pool.upkeep().reserveForWarmup(warm)).isNotNull();
        assertThat(this.pool.upkeep().reserveForWarmup(warm)).isNotNull();
        assertThat(this.pool.upkeep().reserveForWarmup(warm)).as("the host's cap of 2 holds for warm-up").isNull();
        assertThat(this.pool.stats().hosts()).singleElement()
                .satisfies(h -> assertThat(h.connecting()).isEqualTo(2));
        this.pool.close();
        this.pool.verify();
        this.pool = null;
    }
}
