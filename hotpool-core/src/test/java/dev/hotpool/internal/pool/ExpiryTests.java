package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestClock;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Idle timeout, max lifetime, the Keep-Alive hint and the liveness check, driven by an injected clock. */
class ExpiryTests {

    private final TestClock clock = new TestClock();
    private StubServer server;
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server);

    private String get(URI uri) throws IOException {
        try (HotResponse response = this.pool.execute(HotRequest.get(uri))) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void start(StubServer.Handler handler, HotPoolConfig.Builder config) throws IOException {
        this.server = StubServer.http(handler);
        this.pool = new HotPool(config.clock(this.clock).build());
    }

    @Test
    void idleConnectionPastIdleTimeoutIsClosedOnNextLease() throws Exception {
        start((req, ex) -> ex.respond(200, "conn-" + req.connection()),
                HotPoolConfig.builder().idleTimeout(Duration.ofSeconds(60)));
        assertThat(get(this.server.uri("/"))).isEqualTo("conn-1");
        this.clock.advance(Duration.ofSeconds(59));
        assertThat(get(this.server.uri("/"))).isEqualTo("conn-1");

        this.clock.advance(Duration.ofSeconds(60));

        assertThat(get(this.server.uri("/"))).isEqualTo("conn-2");
        assertThat(this.pool.stats().closed().get(CloseReason.IDLE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void connectionPastMaxLifetimeIsClosedEvenWhenBusy() throws Exception {
        start((req, ex) -> ex.respond(200, "conn-" + req.connection()),
                HotPoolConfig.builder().maxLifetime(Duration.ofMinutes(5)).idleTimeout(Duration.ofMinutes(5)));
        assertThat(get(this.server.uri("/"))).isEqualTo("conn-1");
        for (int i = 0; i < 4; i++) {
            this.clock.advance(Duration.ofSeconds(70)); // Never idle long, but 4m40s old: within the 2.5% jitter.
            assertThat(get(this.server.uri("/"))).isEqualTo("conn-1");
        }

        this.clock.advance(Duration.ofSeconds(21)); // 5m01s old.

        assertThat(get(this.server.uri("/"))).isEqualTo("conn-2");
        assertThat(this.pool.stats().closed().get(CloseReason.MAX_LIFETIME)).isEqualTo(1);
    }

    @Test
    void serverKeepAliveHintShortensTheIdleDeadline() throws Exception {
        start((req, ex) -> ex.respond(200, "conn-" + req.connection(), "Keep-Alive: timeout=5, max=100"),
                HotPoolConfig.builder().idleTimeout(Duration.ofSeconds(60)));
        assertThat(get(this.server.uri("/"))).isEqualTo("conn-1");
        this.clock.advance(Duration.ofMillis(3900));
        assertThat(get(this.server.uri("/"))).isEqualTo("conn-1");

        this.clock.advance(Duration.ofMillis(4100)); // Past 5 s minus the one-second margin.

        assertThat(get(this.server.uri("/"))).isEqualTo("conn-2");
        assertThat(this.pool.stats().closed().get(CloseReason.IDLE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void connectionClosedByTheServerWhileIdleIsFoundByTheLivenessCheck() throws Exception {
        CountDownLatch serverClosed = new CountDownLatch(1);
        start((req, ex) -> {
            ex.respond(200, "conn-" + req.connection());
            if (req.connection() == 1) {
                ex.close(); // Silently: no Connection: close header.
                serverClosed.countDown();
            }
        }, HotPoolConfig.builder().validateAfterInactivity(Duration.ofSeconds(2)));
        assertThat(get(this.server.uri("/"))).isEqualTo("conn-1");
        assertThat(serverClosed.await(10, TimeUnit.SECONDS)).isTrue();
        Await.until(() -> this.server.openConnections() == 0);

        this.clock.advance(Duration.ofSeconds(3));

        assertThat(get(this.server.uri("/"))).isEqualTo("conn-2");
        assertThat(this.pool.stats().closed().get(CloseReason.STALE)).isEqualTo(1);
    }

    @Test
    void connectionUsedWithinValidateAfterInactivityIsNotChecked() throws Exception {
        start((req, ex) -> ex.respond(200, "conn-" + req.connection()),
                HotPoolConfig.builder().validateAfterInactivity(Duration.ofSeconds(2)));
        for (int i = 0; i < 5; i++) {
            assertThat(get(this.server.uri("/"))).isEqualTo("conn-1");
            this.clock.advance(Duration.ofSeconds(1));
        }
        this.clock.advance(Duration.ofSeconds(5));
        assertThat(get(this.server.uri("/"))).isEqualTo("conn-1"); // Checked, found alive, reused.
        assertThat(this.pool.stats().closedTotal()).isZero();
    }
}
