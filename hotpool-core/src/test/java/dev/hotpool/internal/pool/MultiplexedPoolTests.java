package dev.hotpool.internal.pool;

import dev.hotpool.AcquireTimeoutException;
import dev.hotpool.CloseReason;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.internal.pool.ConnectionProbe.Outcome;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.testsupport.TestClock;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine with multiplexed connections: leases are streams of a shared connection, up to its session's limit;
 * connections, not streams, count toward the limits. A fake connector and fake sessions, the test clock, no sockets;
 * every test ends by checking the ledger's invariants.
 */
class MultiplexedPoolTests {

    private static final Route H2 = route("h2.test");
    private static final Route H2B = route("h2b.test");
    private static final Route PLAIN = route("plain.test");

    private final TestClock clock = new TestClock();
    private final FakeConnector connector = new FakeConnector();
    private final FakeMultiplexing multiplexing = new FakeMultiplexing();
    private ConnectionPool pool;
    private Leaser leaser;

    @AfterEach
    void verifyAndClose() {
        if (this.pool != null) {
            this.pool.verify();
            this.pool.close();
            this.pool.verify();
        }
    }

    private void pool(UnaryOperator<HotPoolConfig.Builder> settings) {
        HotPoolConfig config = settings.apply(HotPoolConfig.builder().name("mux").clock(this.clock)
                .shutdownTimeout(Duration.ZERO)).build();
        this.pool = new ConnectionPool(config, PoolListener.NONE, Set.of(), RouteTable.OriginGone.NONE,
                this.multiplexing);
        this.leaser = new Leaser(this.pool, this.connector, config, this.multiplexing);
    }

    private static Route route(String host) {
        return Route.of(Origin.of("http", host, 80), null);
    }

    private Lease lease(Route route) throws IOException {
        return this.leaser.lease(route, LeaseMode.ANY, Duration.ofMillis(50), 1_000, 1_000);
    }

    private StreamLease stream(Route route) throws IOException {
        return (StreamLease) lease(route);
    }

    private Admission admit(Route route) throws HotPoolException {
        return this.pool.admit(route, LeaseMode.ANY, this.clock.millis());
    }

    private PoolStats stats() {
        return this.pool.stats();
    }

    private long closed(CloseReason reason) {
        return stats().closed().get(reason);
    }

    @Test
    void leasesAreStreamsOfOneConnectionUpToItsLimitAndConnectionsNotStreamsCount() throws IOException {
        this.multiplexing.limit(3);
        pool(b -> b.maxConnsPerHost(1));
        StreamLease first = stream(H2);
        StreamLease second = stream(H2);
        StreamLease third = stream(H2);

        assertThat(second.entry).isSameAs(first.entry);
        assertThat(third.entry).isSameAs(first.entry);
        assertThat(first.reused()).isFalse();
        assertThat(second.reused()).isTrue();
        assertThat(first.multiplex()).isSameAs(this.multiplexing.last());
        assertThat(this.connector.attempts()).isEqualTo(1);
        assertThat(stats().total()).isEqualTo(1);
        assertThat(stats().leased()).isEqualTo(1);
        assertThat(stats().leases()).isEqualTo(3);
        assertThatThrownBy(() -> lease(H2)).isInstanceOf(AcquireTimeoutException.class)
                .hasMessageContaining("h2.test")
                .hasMessageContaining("HTTP/2 streams 3 of 3 on 1 connection")
                .hasMessageContaining("SETTINGS_MAX_CONCURRENT_STREAMS");

        second.release();
        assertThat(stream(H2).entry).isSameAs(first.entry);
        assertThat(first.entry.exchanges()).isEqualTo(4);
    }

    @Test
    void aReleasedStreamGoesToTheOldestWaiterAndTheConnectionIdlesOnlyWhenItHasNoStream() throws IOException {
        this.multiplexing.limit(2);
        pool(b -> b.maxConnsPerHost(1));
        StreamLease a = stream(H2);
        StreamLease b = stream(H2);
        Waiter first = (Waiter) admit(H2);
        Waiter second = (Waiter) admit(H2);

        a.release();
        assertThat(first.done).isTrue();
        assertThat(((StreamLease) first.granted).entry).isSameAs(b.entry);
        assertThat(second.done).isFalse();
        this.pool.verify();

        b.release();
        assertThat(second.done).isTrue();
        ((StreamLease) first.granted).release();
        assertThat(stats().idle()).isZero();
        ((StreamLease) second.granted).release();
        assertThat(stats().idle()).isEqualTo(1);
        assertThat(stats().leased()).isZero();

        b.release(); // A second end of a stream is ignored.
        assertThat(stats().idle()).isEqualTo(1);
        assertThat(stream(H2).entry).isSameAs(a.entry);
    }

    @Test
    void aBurstOnAColdRouteWaitsForTheConnectUnderWayAndSharesIt() throws IOException {
        pool(b -> b.maxConnsPerHost(10));
        PoolEntry reserved = (PoolEntry) admit(H2);
        List<Waiter> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            burst.add((Waiter) admit(H2));
        }
        assertThat(stats().connecting()).isEqualTo(1);
        this.pool.verify();

        Held first = this.pool.connected(reserved, new FakeTransport(FakeTransportAddress.LOOPBACK_80),
                this.multiplexing.open(H2.origin(), null, reserved, 1_000));

        assertThat(first).isInstanceOf(StreamLease.class);
        for (Waiter w : burst) {
            assertThat(w.done).isTrue();
            assertThat(((StreamLease) w.granted).entry).isSameAs(reserved);
        }
        assertThat(stats().total()).isEqualTo(1);
        assertThat(reserved.streamCount()).isEqualTo(6);
    }

    @Test
    void whenTheConnectUnderWaySpeaksOneExchangeAtATimeItsWaitersGetRoomForTheirOwn() throws IOException {
        pool(b -> b.maxConnsPerHost(3));
        PoolEntry reserved = (PoolEntry) admit(H2);
        Waiter one = (Waiter) admit(H2);
        Waiter two = (Waiter) admit(H2);
        Waiter three = (Waiter) admit(H2);

        assertThat(this.pool.connected(reserved, new FakeTransport(FakeTransportAddress.LOOPBACK_80), null))
                .isSameAs(reserved);

        assertThat(((PoolEntry) one.granted).state).isEqualTo(PoolEntry.State.CONNECTING);
        assertThat(((PoolEntry) two.granted).state).isEqualTo(PoolEntry.State.CONNECTING);
        assertThat(three.done).isFalse(); // The route's cap: 3 connections.
        this.pool.verify();
        this.pool.connectFailed((PoolEntry) one.granted);
        assertThat(three.done).isTrue();

        // Learned: the next burst on this route does not wait for connects.
        this.pool.connected((PoolEntry) two.granted, new FakeTransport(FakeTransportAddress.LOOPBACK_80), null);
        this.pool.connected((PoolEntry) three.granted, new FakeTransport(FakeTransportAddress.LOOPBACK_80), null);
        reserved.release();
        assertThat(lease(H2)).isSameAs(reserved);
    }

    @Test
    void aSecondConnectionOpensOnlyWhenEveryOneIsFullAndStreamsGatherOnTheOldest() throws IOException {
        this.multiplexing.limit(2);
        pool(b -> b.maxConnsPerHost(4));
        StreamLease a1 = stream(H2);
        StreamLease a2 = stream(H2);
        StreamLease b1 = stream(H2);
        assertThat(b1.entry).isNotSameAs(a1.entry);
        assertThat(this.connector.attempts()).isEqualTo(2);

        a1.release();
        StreamLease next = stream(H2);
        assertThat(next.entry).isSameAs(a1.entry); // The oldest with a free slot, not the emptier newer one.
        b1.release();
        assertThat(stats().idle()).isEqualTo(1);
        a2.release();
        next.release();
        assertThat(stream(H2).entry).isSameAs(a1.entry); // Both idle: the last used, as for any idle connection.
    }

    @Test
    void aGoAwayDrainsTheConnectionItsStreamsFinishAndNewLeasesOpenAnother() throws IOException {
        pool(b -> b.maxConnsPerHost(2));
        StreamLease a = stream(H2);
        StreamLease b = stream(H2);
        FakeMultiplexing.Session session = this.multiplexing.last();

        session.goAway(CloseReason.SERVER_CLOSED);
        StreamLease c = stream(H2);
        assertThat(c.entry).isNotSameAs(a.entry);
        assertThat(this.connector.attempts()).isEqualTo(2);

        a.release();
        assertThat(a.entry.state).isEqualTo(PoolEntry.State.LEASED);
        b.release();
        assertThat(a.entry.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(closed(CloseReason.SERVER_CLOSED)).isEqualTo(1);
        assertThat(this.connector.opened().get(0).closed()).isTrue();
        assertThat(session.closes()).isEqualTo(1);
    }

    @Test
    void aGoAwayOnAnIdleConnectionClosesItAtOnceAndAWaiterAtTheCapGetsRoom() throws IOException {
        this.multiplexing.limit(1);
        pool(b -> b.maxConnsPerHost(1));
        StreamLease a = stream(H2);
        Waiter waiter = (Waiter) admit(H2);
        this.multiplexing.last().goAway(CloseReason.SERVER_CLOSED);
        assertThat(waiter.done).isFalse(); // The draining connection still counts toward the cap.

        a.release();
        assertThat(a.entry.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(waiter.done).isTrue();
        assertThat(((PoolEntry) waiter.granted).state).isEqualTo(PoolEntry.State.CONNECTING);
        this.pool.connectFailed((PoolEntry) waiter.granted);

        StreamLease b = stream(H2);
        b.release();
        this.multiplexing.last().goAway(CloseReason.SERVER_CLOSED);
        assertThat(b.entry.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(stats().total()).isZero();
    }

    @Test
    void aLimitThatGrowsGivesWaitersTheirStreams() throws IOException {
        this.multiplexing.limit(1);
        pool(b -> b.maxConnsPerHost(1));
        StreamLease a = stream(H2);
        Waiter w1 = (Waiter) admit(H2);
        Waiter w2 = (Waiter) admit(H2);

        this.multiplexing.last().limit(2);
        assertThat(w1.done).isTrue();
        assertThat(w2.done).isFalse();
        this.multiplexing.last().limit(10);
        assertThat(w2.done).isTrue();
        assertThat(a.entry.streamCount()).isEqualTo(3);
    }

    @Test
    void aLimitThatShrinksBelowTheOpenStreamsLetsThemFinishAndGrantsNoneUntilBelowIt() throws IOException {
        this.multiplexing.limit(3);
        pool(b -> b.maxConnsPerHost(1));
        StreamLease a = stream(H2);
        StreamLease b = stream(H2);
        StreamLease c = stream(H2);
        this.multiplexing.last().limit(1);
        Waiter w = (Waiter) admit(H2);

        a.release();
        b.release();
        assertThat(w.done).isFalse();
        c.release();
        assertThat(w.done).isTrue();
    }

    @Test
    void aNewConnectionThatAllowsNoStreamFailsItsLeaseByNameAndFreesTheSlot() throws IOException {
        this.multiplexing.limit(0);
        pool(b -> b.maxConnsPerHost(1));

        assertThatThrownBy(() -> lease(H2)).isInstanceOf(HotPoolException.class)
                .hasMessageContaining("http://h2.test:80")
                .hasMessageContaining("SETTINGS_MAX_CONCURRENT_STREAMS");
        assertThat(stats().total()).isZero();
        assertThat(this.connector.opened().get(0).closed()).isTrue();

        this.multiplexing.limit(5);
        assertThat(stream(H2).entry.streamCount()).isEqualTo(1);
    }

    @Test
    void aSessionThatFailsToStartClosesItsSocketAndGivesTheSlotBack() throws IOException {
        pool(b -> b.maxConnsPerHost(1));
        this.multiplexing.failNext(1);

        assertThatThrownBy(() -> lease(H2)).isInstanceOf(HotPoolException.class).hasMessageContaining("did not start");
        assertThat(this.connector.opened().get(0).aborts()).isEqualTo(1);
        assertThat(stats().total()).isZero();
        assertThat(stream(H2)).isNotNull();
    }

    @Test
    void maxRequestsPerConnectionCountsStreamsAndDrainsAfterTheLast() throws IOException {
        pool(b -> b.maxConnsPerHost(2).maxRequestsPerConnection(3));
        StreamLease a = stream(H2);
        stream(H2).release();
        StreamLease c = stream(H2);
        StreamLease d = stream(H2);
        assertThat(d.entry).isNotSameAs(a.entry);

        a.release();
        c.release();
        assertThat(a.entry.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(closed(CloseReason.MAX_REQUESTS)).isEqualTo(1);
    }

    @Test
    void pastItsLifetimeAConnectionTakesNoNewStreamAndClosesAfterItsLast() throws IOException {
        pool(b -> b.maxConnsPerHost(2).idleTimeout(Duration.ofSeconds(5)).maxLifetime(Duration.ofSeconds(10)));
        StreamLease a = stream(H2);
        this.clock.advance(Duration.ofSeconds(11));

        StreamLease b = stream(H2);
        assertThat(b.entry).isNotSameAs(a.entry);
        a.release();
        assertThat(a.entry.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(closed(CloseReason.MAX_LIFETIME)).isEqualTo(1);
    }

    @Test
    void discardingAStreamClosesItsConnectionOnceAndTheOtherStreamsEndQuietly() throws IOException {
        pool(b -> b.maxConnsPerHost(1));
        StreamLease a = stream(H2);
        StreamLease b = stream(H2);

        a.discard(CloseReason.ERROR);
        assertThat(a.entry.state).isEqualTo(PoolEntry.State.CLOSED);
        b.release();
        b.discard(CloseReason.ERROR);
        assertThat(closed(CloseReason.ERROR)).isEqualTo(1);
        assertThat(stats().total()).isZero();
        assertThat(stream(H2).entry).isNotSameAs(a.entry);
    }

    @Test
    void theHealthCheckPingsAnIdleMultiplexedConnectionInsteadOfReadingItsSocket() throws IOException {
        pool(b -> b.maxConnsPerHost(1));
        StreamLease a = stream(H2);
        a.release();
        FakeMultiplexing.Session session = this.multiplexing.last();

        List<PoolEntry> idle = this.pool.upkeep().idleForCheck(this.clock.millis(), new EnumMap<>(CloseReason.class));
        assertThat(idle).containsExactly(a.entry);
        assertThat(this.pool.upkeep().beginCheck(a.entry)).isTrue();
        Waiter waiter = (Waiter) admit(H2); // Checking: not leased meanwhile; the lease waits for it.
        Outcome outcome = ConnectionProbe.LIVENESS.check(a.entry);
        assertThat(outcome).isEqualTo(Outcome.HEALTHY);
        assertThat(session.pings()).isEqualTo(1);
        assertThat(this.pool.upkeep().endCheck(a.entry, outcome)).isNull();
        assertThat(((StreamLease) waiter.granted).entry).isSameAs(a.entry);
        ((StreamLease) waiter.granted).release();

        session.stopAnsweringPings();
        assertThat(this.pool.upkeep().beginCheck(a.entry)).isTrue();
        outcome = ConnectionProbe.LIVENESS.check(a.entry);
        assertThat(outcome).isEqualTo(Outcome.DEAD);
        assertThat(this.pool.upkeep().endCheck(a.entry, outcome)).isEqualTo(CloseReason.STALE);
        assertThat(session.closes()).isEqualTo(1);
    }

    @Test
    void aGoAwayDuringAHealthCheckClosesTheConnectionWhenTheCheckEnds() throws IOException {
        pool(b -> b.maxConnsPerHost(1));
        StreamLease a = stream(H2);
        a.release();
        assertThat(this.pool.upkeep().beginCheck(a.entry)).isTrue();
        this.multiplexing.last().goAway(CloseReason.SERVER_CLOSED);
        assertThat(a.entry.state).isEqualTo(PoolEntry.State.CHECKING);

        assertThat(this.pool.upkeep().endCheck(a.entry, Outcome.HEALTHY)).isEqualTo(CloseReason.SERVER_CLOSED);
        assertThat(stats().total()).isZero();
    }

    @Test
    void retiringTheAddressOfALeasedMultiplexedConnectionStopsNewStreamsAndClosesItAfterItsLast() throws IOException {
        pool(b -> b.maxConnsPerHost(2));
        StreamLease a = stream(H2);
        this.pool.upkeep().retireAddress("h2.test", "h2.test:80", FakeTransportAddress.LOOPBACK_80.getAddress(),
                CloseReason.EJECTED);
        StreamLease b = stream(H2);
        assertThat(b.entry).isNotSameAs(a.entry);

        a.release();
        assertThat(a.entry.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(closed(CloseReason.EJECTED)).isEqualTo(1);
    }

    @Test
    void theGlobalLimitCountsMultiplexedConnectionsAndWarmUpOpensOneThatIdles() throws IOException {
        this.multiplexing.limit(2);
        pool(b -> b.maxConnections(2).maxConnsPerHost(2));
        Held warm = this.leaser.openForWarmup(H2, 1_000, 1_000);
        assertThat(warm).isInstanceOf(StreamLease.class);
        warm.release();
        assertThat(stats().idle()).isEqualTo(1);

        StreamLease a = stream(H2);
        StreamLease b = stream(H2);
        assertThat(b.entry).isSameAs(((StreamLease) warm).entry);
        Lease plain = lease(PLAIN);
        assertThat(plain).isInstanceOf(PoolEntry.class);
        assertThat(stats().total()).isEqualTo(2);
        assertThatThrownBy(() -> lease(H2B)).isInstanceOf(AcquireTimeoutException.class);
        a.release();
        b.release();
        assertThat(stream(H2B).entry.route.route()).isEqualTo(H2B); // The idle one was evicted for room.
        assertThat(closed(CloseReason.EVICTED)).isEqualTo(1);
        plain.release();
    }

    @Test
    void closingThePoolWaitsForTheLastStreamAndClosesTheSessionWithItsSocket() throws IOException {
        pool(b -> b.maxConnsPerHost(1));
        StreamLease a = stream(H2);
        StreamLease b = stream(H2);
        FakeMultiplexing.Session session = this.multiplexing.last();
        this.pool.close(); // shutdown-timeout 0: streams still open are aborted, then counted when they end.

        a.release();
        assertThat(a.entry.state).isEqualTo(PoolEntry.State.LEASED);
        b.release();
        assertThat(a.entry.state).isEqualTo(PoolEntry.State.CLOSED);
        assertThat(closed(CloseReason.SHUTDOWN)).isEqualTo(1);
        assertThat(session.closes()).isEqualTo(1);
    }
}
