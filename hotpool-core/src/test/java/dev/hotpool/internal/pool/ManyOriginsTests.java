package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.PoolStats;
import dev.hotpool.net.Resolver;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestClock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crawler's use, on real sockets: thousands of host names (all resolving to the one loopback server), most seen a
 * few times. The pool holds what its live connections need and forgets the rest once they idle out.
 */
class ManyOriginsTests {

    private static final int ORIGINS = 2_000;

    private final TestClock clock = new TestClock();
    private final AtomicInteger lookups = new AtomicInteger();
    private final StubServer server = StubServer.http(StubServer.ECHO_PATH);
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server);

    ManyOriginsTests() throws IOException {
    }

    /** {@code o<i>.crawl.test} is the loopback server; every other name is unknown. */
    private final Resolver resolver = host -> {
        this.lookups.incrementAndGet();
        if (!host.endsWith(".crawl.test")) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.getLoopbackAddress());
    };

    private void get(int origin) throws IOException {
        URI uri = URI.create("http://o" + origin + ".crawl.test:" + this.server.port() + "/page");
        try (HotResponse response = this.pool.execute(HotRequest.get(uri))) {
            assertThat(response.body().readAllBytes()).asString().isEqualTo("/page");
        }
    }

    @Test
    void originsSeenOnceLeaveNoRouteNoRequestCountAndNoDnsAnswerOnceTheirConnectionsIdleOut() throws IOException {
        this.pool = new HotPool(HotPoolConfig.builder().maxConnections(50).maxConnsPerHost(2).maxIdleConns(50)
                .idleTimeout(Duration.ofSeconds(2)).resolver(this.resolver).clock(this.clock).build());
        for (int i = 0; i < ORIGINS; i++) {
            get(i);
        }
        PoolStats during = this.pool.stats();
        assertThat(during.total()).isEqualTo(50);
        assertThat(during.hosts()).hasSize(50);
        assertThat(during.closed().get(CloseReason.EVICTED)).isEqualTo(ORIGINS - 50);
        assertThat(this.server.connectionsAccepted()).isEqualTo(ORIGINS);
        int lookupsDuring = this.lookups.get();
        get(1);
        assertThat(this.lookups.get()).as("an origin whose route went keeps no DNS answer, even before a health check")
                .isEqualTo(lookupsDuring + 1);

        this.clock.advance(Duration.ofSeconds(2));
        this.pool.runHealthCheck();

        PoolStats after = this.pool.stats();
        assertThat(after.total()).isZero();
        assertThat(after.hosts()).isEmpty();
        assertThat(this.pool.traffic().requestsByHost()).isEmpty();
        assertThat(this.pool.traffic().requests()).isEqualTo(ORIGINS + 1);
        int lookupsBefore = this.lookups.get();
        get(0);
        assertThat(this.lookups.get()).as("the forgotten answer is resolved again").isEqualTo(lookupsBefore + 1);
        assertThat(this.pool.stats().hosts()).hasSize(1);
    }

    @Test
    void aHostRevisitedWithinItsIdleTimeoutKeepsItsConnectionItsCountAndItsAnswer() throws IOException {
        this.pool = new HotPool(HotPoolConfig.builder().maxConnections(50).maxConnsPerHost(2)
                .idleTimeout(Duration.ofSeconds(60)).resolver(this.resolver).clock(this.clock).build());
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 10; i++) {
                get(i);
            }
            this.clock.advance(Duration.ofSeconds(1));
            this.pool.runHealthCheck();
        }

        assertThat(this.server.connectionsAccepted()).isEqualTo(10);
        assertThat(this.lookups.get()).isEqualTo(10);
        assertThat(this.pool.traffic().requestsByHost()).hasSize(10).containsValue(3L);
        assertThat(this.pool.stats().hosts()).hasSize(10).allMatch(h -> h.idle() == 1);
    }
}
