package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.HealthCheckReport;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Origin;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestClock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The background health check and warm-up, driven by calling run() with an injected clock. */
class HealthCheckerTests {

    private final TestClock clock = new TestClock();
    private StubServer server;
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server);

    private String get(String path) throws IOException {
        try (HotResponse response = this.pool.execute(HotRequest.get(this.server.uri(path)))) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private HotPoolConfig.Builder config() {
        return HotPoolConfig.builder().clock(this.clock);
    }

    @Test
    void expiredIdleConnectionsAreClosedByTheCheckBeforeAnyLease() throws Exception {
        this.server = StubServer.http();
        this.pool = new HotPool(config().idleTimeout(Duration.ofSeconds(30)).build());
        get("/");
        this.clock.advance(Duration.ofSeconds(31));

        HealthCheckReport report = this.pool.runHealthCheck();

        assertThat(report.closed()).containsEntry(CloseReason.IDLE_TIMEOUT, 1);
        assertThat(report.checked()).isZero();
        assertThat(this.pool.stats().total()).isZero();
        Await.until(() -> this.server.openConnections() == 0);
        assertThat(this.pool.lastHealthCheck()).isEqualTo(report);
    }

    @Test
    void idleConnectionClosedByTheServerIsFoundAndClosed() throws Exception {
        this.server = StubServer.http((req, ex) -> {
            ex.respond(200, "ok");
            if (req.target().equals("/then-close")) {
                ex.close();
            }
        });
        this.pool = new HotPool(config().maxConnsPerHost(2).build());
        HotResponse first = this.pool.execute(HotRequest.get(this.server.uri("/then-close")));
        HotResponse second = this.pool.execute(HotRequest.get(this.server.uri("/stays")));
        first.body().readAllBytes();
        second.body().readAllBytes();
        Await.until(() -> this.server.openConnections() == 1);

        HealthCheckReport report = this.pool.runHealthCheck();

        assertThat(report.checked()).isEqualTo(2);
        assertThat(report.closed()).containsEntry(CloseReason.STALE, 1);
        assertThat(this.pool.stats().idle()).isEqualTo(1);
        assertThat(get("/again")).isEqualTo("ok");
        assertThat(this.server.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void probeAnswering500Or403ClosesTheConnectionAnd200KeepsIt() throws Exception {
        AtomicInteger probeStatus = new AtomicInteger(200);
        this.server = StubServer.http((req, ex) -> {
            if (req.target().equals("/health")) {
                ex.raw("HTTP/1.1 " + probeStatus.get() + " X\r\nContent-Length: 0\r\n\r\n");
            }
            else {
                ex.respond(200, "ok");
            }
        });
        this.pool = new HotPool(config().healthCheckProbePath("/health").build());
        get("/");

        HealthCheckReport ok = this.pool.runHealthCheck();
        assertThat(ok.checked()).isEqualTo(1);
        assertThat(ok.closedTotal()).isZero();
        assertThat(this.pool.stats().idle()).isEqualTo(1);

        probeStatus.set(500);
        HealthCheckReport failing = this.pool.runHealthCheck();
        assertThat(failing.closed()).containsEntry(CloseReason.UNHEALTHY, 1);
        assertThat(this.pool.stats().total()).isZero();

        get("/");
        probeStatus.set(403);
        assertThat(this.pool.runHealthCheck().closed()).containsEntry(CloseReason.UNHEALTHY, 1);
        assertThat(this.server.requestLog()).containsExactly("GET /", "HEAD /health", "HEAD /health", "GET /",
                "HEAD /health");
    }

    /**
     * A probe answer followed by bytes nobody asked for (here a whole second response): the connection is closed, not
     * kept, or the next request would read those bytes as its answer. The answer is exactly the client's 8 KiB read
     * buffer, so the extra bytes are still in the socket, not in the buffer, when the probe ends.
     */
    @Test
    void probeAnswerFollowedByUnaskedBytesClosesTheConnection() throws Exception {
        String unasked = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale";
        this.server = StubServer.http((req, ex) -> {
            if (req.target().equals("/health")) {
                ex.raw(headOfExactly(8 * 1024) + unasked);
            }
            else {
                ex.respond(200, "ok");
            }
        });
        this.pool = new HotPool(config().healthCheckProbePath("/health").build());
        get("/");

        HealthCheckReport report = this.pool.runHealthCheck();

        assertThat(report.checked()).isEqualTo(1);
        assertThat(report.closed()).containsEntry(CloseReason.UNHEALTHY, 1);
        assertThat(get("/")).isEqualTo("ok");
        assertThat(this.server.connectionsAccepted()).isEqualTo(2);
    }

    /** A 200 head to a HEAD request of exactly {@code size} bytes, padded with header lines of at most 1 KiB. */
    private static String headOfExactly(int size) {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 X\r\nContent-Length: 0\r\n");
        int left = size - head.length() - 2; // Before the empty line that ends the head.
        for (int line = 0; left > 0; line++) {
            int value = left - 12 > 1024 + 12 ? 1024 : left - 12; // A line: "X-Pad-NN: " (10), value, CRLF (2).
            head.append(String.format("X-Pad-%02d: ", line)).append("p".repeat(value)).append("\r\n");
            left -= 12 + value;
        }
        head.append("\r\n");
        assertThat(head).hasSize(size);
        return head.toString();
    }

    @Test
    void checkKeepsTheIdleTimeOfHealthyConnections() throws Exception {
        this.server = StubServer.http();
        this.pool = new HotPool(config().idleTimeout(Duration.ofSeconds(30)).build());
        get("/");
        this.clock.advance(Duration.ofSeconds(20));
        assertThat(this.pool.runHealthCheck().checked()).isEqualTo(1);
        this.clock.advance(Duration.ofSeconds(11)); // 31 s since last use, though checked 11 s ago.

        assertThat(this.pool.runHealthCheck().closed()).containsEntry(CloseReason.IDLE_TIMEOUT, 1);
    }

    @Test
    void warmHostHasItsMinimumIdleBeforeAnyRequestAndTheFirstRequestPerformsNoHandshake() throws Exception {
        this.server = StubServer.http();
        this.pool = new HotPool(config().warmupHosts(List.of(Origin.of(this.server.uri("/"))))
                .warmupMinIdlePerHost(3).build());

        assertThat(this.pool.awaitWarmup(Duration.ofSeconds(10))).isTrue();

        assertThat(this.pool.stats().idle()).isEqualTo(3);
        Await.until(() -> this.server.connectionsAccepted() == 3);
        try (HotResponse response = this.pool.execute(HotRequest.get(this.server.uri("/first")))) {
            assertThat(response.reused()).isTrue();
        }
        assertThat(this.server.connectionsAccepted()).isEqualTo(3);
        assertThat(this.pool.stats().created()).isEqualTo(3);
    }

    @Test
    void checkTopsWarmHostsBackUp() throws Exception {
        this.server = StubServer.http();
        this.pool = new HotPool(config().warmupHosts(List.of(Origin.of(this.server.uri("/"))))
                .warmupMinIdlePerHost(2).idleTimeout(Duration.ofSeconds(30)).build());
        assertThat(this.pool.awaitWarmup(Duration.ofSeconds(10))).isTrue();
        this.clock.advance(Duration.ofSeconds(31));

        HealthCheckReport report = this.pool.runHealthCheck();

        assertThat(report.closed()).containsEntry(CloseReason.IDLE_TIMEOUT, 2);
        assertThat(report.warmed()).isEqualTo(2);
        assertThat(this.pool.stats().idle()).isEqualTo(2);
        Await.until(() -> this.server.connectionsAccepted() == 4);
    }

    @Test
    void warmingAnUnreachableHostBacksOff() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // Closed again: connections to it are refused.
        }
        this.pool = new HotPool(config().warmupHosts(List.of(Origin.of("http", "127.0.0.1", port)))
                .warmupMinIdlePerHost(1).build());
        assertThat(this.pool.awaitWarmup(Duration.ofSeconds(10))).isTrue();

        assertThat(this.pool.runHealthCheck().warmFailures()).isZero(); // In backoff: not tried again yet.
        this.clock.advance(Duration.ofSeconds(2));
        assertThat(this.pool.runHealthCheck().warmFailures()).isEqualTo(1);
        this.clock.advance(Duration.ofSeconds(2)); // The second backoff (2 s) is over.
        assertThat(this.pool.runHealthCheck().warmFailures()).isEqualTo(1);
        this.clock.advance(Duration.ofSeconds(1)); // Third backoff is 4 s.
        assertThat(this.pool.runHealthCheck().warmFailures()).isZero();
    }

    @Test
    void probingWarmHostsSendsTheProbeOnNewConnections() throws Exception {
        this.server = StubServer.http();
        this.pool = new HotPool(config().warmupHosts(List.of(Origin.of(this.server.uri("/"))))
                .warmupMinIdlePerHost(1).healthCheckProbePath("/ready").healthCheckProbeMethod("GET").build());
        assertThat(this.pool.awaitWarmup(Duration.ofSeconds(10))).isTrue();
        assertThat(this.server.requestLog()).containsExactly("GET /ready");
        assertThat(this.pool.stats().idle()).isEqualTo(1);
    }
}
