package dev.hotpool.autoconfigure.actuate;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.Origin;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code hotpool} health contributor against pools on loopback, warm hosts reachable or not. */
class HotPoolHealthIndicatorTests {

    private StubServer server;

    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server);

    @Test
    void upWhileThePoolServesWithItsCountsInTheDetails() {
        this.pool = new HotPool(HotPoolConfig.builder().maxConnections(7).maxConnsPerHost(7).build());

        Health health = new HotPoolHealthIndicator(this.pool).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("connections", 0)
            .containsEntry("maxConnections", 7)
            .containsEntry("requests", 0L)
            .containsKeys("active", "idle", "pending", "hosts", "failedRequests");
    }

    @Test
    void aWarmHostWithItsConnectionsIsUp() throws Exception {
        this.server = StubServer.http();
        this.pool = new HotPool(HotPoolConfig.builder()
            .warmupHosts(List.of(Origin.of(this.server.uri("/"))))
            .warmupMinIdlePerHost(1)
            .build());
        assertThat(this.pool.awaitWarmup(Duration.ofSeconds(10))).isTrue();
        this.pool.runHealthCheck();

        assertThat(new HotPoolHealthIndicator(this.pool).health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aWarmHostWithoutAConnectionAfterAHealthCheckIsDown() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Origin cold = Origin.of("http", "127.0.0.1", closedPort);
        this.pool = new HotPool(HotPoolConfig.builder().warmupHosts(List.of(cold)).warmupMinIdlePerHost(1).build());
        assertThat(this.pool.awaitWarmup(Duration.ofSeconds(10))).isTrue();
        HotPoolHealthIndicator indicator = new HotPoolHealthIndicator(this.pool);
        assertThat(indicator.health().getStatus()).as("warming at startup gets a whole interval").isEqualTo(Status.UP);

        this.pool.runHealthCheck(); // The host is in backoff after the failed start: skipped, still cold.
        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", "warm hosts without a usable connection");
        @SuppressWarnings("unchecked")
        Map<String, String> coldHosts = (Map<String, String>) health.getDetails().get("coldHosts");
        assertThat(coldHosts).containsOnlyKeys("http://127.0.0.1:" + closedPort);
        assertThat(coldHosts.get("http://127.0.0.1:" + closedPort)).startsWith("no connection after a health check");
    }

    @Test
    void downOnceThePoolIsClosed() {
        this.pool = new HotPool();
        this.pool.close();

        Health health = new HotPoolHealthIndicator(this.pool).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", "the pool is closed");
    }
}
