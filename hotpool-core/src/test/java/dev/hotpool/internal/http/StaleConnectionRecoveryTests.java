package dev.hotpool.internal.http;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.RequestBody;
import dev.hotpool.UnansweredRequestException;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.OneShotBody;
import dev.hotpool.testsupport.StubServer;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A reused connection that fails before any response byte is recovered by one retry on a new connection,
 * when the request is safe to send twice; otherwise the caller is told it may have been processed.
 */
class StaleConnectionRecoveryTests {

    /** Answers the first request of each connection; drops the connection on the second without answering. */
    private static final StubServer.Handler DROPS_SECOND_REQUEST = (req, ex) -> {
        if (req.onConnection() == 1) {
            ex.respond(200, req.method() + " conn-" + req.connection());
        }
        else {
            ex.close();
        }
    };

    private StubServer server;
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server);

    private void start(StubServer.Handler handler, HotPoolConfig.Builder config) throws IOException {
        this.server = StubServer.http(handler);
        this.pool = new HotPool(config.build());
    }

    private String send(HotRequest request) throws IOException {
        try (HotResponse response = this.pool.execute(request)) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private HotRequest post(String... header) {
        HotRequest.Builder b = HotRequest.builder("POST", this.server.uri("/orders")).body("{}".getBytes());
        for (int i = 0; i < header.length; i += 2) {
            b.header(header[i], header[i + 1]);
        }
        return b.build();
    }

    @Test
    void getOnAConnectionClosedWithoutAnswerIsRetriedOnceOnANewConnection() throws Exception {
        start(DROPS_SECOND_REQUEST, HotPoolConfig.builder());
        assertThat(send(HotRequest.get(this.server.uri("/")))).isEqualTo("GET conn-1");

        assertThat(send(HotRequest.get(this.server.uri("/")))).isEqualTo("GET conn-2");

        assertThat(this.server.requestsServed()).isEqualTo(3);
        assertThat(this.pool.stats().closed().get(CloseReason.STALE)).isEqualTo(1);
    }

    @Test
    void postIsNeverRetriedAndTheMessageSaysItMayHaveBeenProcessed() throws Exception {
        start(DROPS_SECOND_REQUEST, HotPoolConfig.builder());
        assertThat(send(post())).isEqualTo("POST conn-1");

        assertThatThrownBy(() -> send(post()))
                .isInstanceOf(UnansweredRequestException.class)
                .hasMessage("hotpool: http://localhost:" + this.server.port() + " closed a reused connection after "
                        + "POST http://localhost:" + this.server.port() + "/orders was sent and before any response "
                        + "arrived; the server may or may not have processed it. Not retried: POST is not "
                        + "idempotent; send an Idempotency-Key header to allow a retry");

        assertThat(this.server.requestsServed()).isEqualTo(2);
        assertThat(this.pool.stats().total()).isZero(); // The failed connection was not pooled.
        assertThat(send(post())).isEqualTo("POST conn-2");
    }

    @Test
    void postWithAnIdempotencyKeyIsRetried() throws Exception {
        start(DROPS_SECOND_REQUEST, HotPoolConfig.builder());
        assertThat(send(post("Idempotency-Key", "k-1"))).isEqualTo("POST conn-1");

        assertThat(send(post("Idempotency-Key", "k-2"))).isEqualTo("POST conn-2");
    }

    @Test
    void bodyThatCannotBeReplayedIsNotRetried() throws Exception {
        start(DROPS_SECOND_REQUEST, HotPoolConfig.builder());
        assertThat(send(HotRequest.get(this.server.uri("/")))).isEqualTo("GET conn-1");
        RequestBody oneShot = OneShotBody.of("{}".getBytes());
        assertThatThrownBy(() -> send(HotRequest.builder("PUT", this.server.uri("/")).body(oneShot).build()))
                .isInstanceOf(UnansweredRequestException.class)
                .hasMessageEndingWith("Not retried: its body cannot be replayed");
    }

    @Test
    void retriesCanBeSwitchedOff() throws Exception {
        start(DROPS_SECOND_REQUEST, HotPoolConfig.builder().retryEnabled(false));
        assertThat(send(HotRequest.get(this.server.uri("/")))).isEqualTo("GET conn-1");
        assertThatThrownBy(() -> send(HotRequest.get(this.server.uri("/"))))
                .isInstanceOf(UnansweredRequestException.class)
                .hasMessageEndingWith("Not retried: retries are off (hotpool.retry.enabled=false)");
    }

    @Test
    void serverClosingIdleConnectionsAfter200msFailsNoRequestMadeAfterEachClose() throws Exception {
        start((req, ex) -> ex.respond(200, "ok"), HotPoolConfig.builder());
        this.server.idleTimeout(Duration.ofMillis(200));
        for (int i = 0; i < 5; i++) {
            assertThat(send(HotRequest.get(this.server.uri("/")))).isEqualTo("ok");
            Await.until(() -> this.server.openConnections() == 0); // The server's own idle timeout closed it.
        }
        assertThat(this.server.connectionsAccepted()).isEqualTo(5);
    }

    @Test
    void poolRecoversFromAServerRestartWithoutOperatorAction() throws Exception {
        StubServer.Handler ok = (req, ex) -> ex.respond(200, "ok");
        start(ok, HotPoolConfig.builder());
        int port = this.server.port();
        int connections = 0;
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 10; i++) {
                assertThat(send(HotRequest.get(this.server.uri("/")))).isEqualTo("ok");
            }
            connections += this.server.connectionsAccepted();
            this.server.close(); // Every kept-alive connection dies; a new process takes the port.
            this.server = StubServer.on(InetAddress.getLoopbackAddress(), port, null, ok);
        }
        assertThat(send(HotRequest.get(this.server.uri("/")))).isEqualTo("ok");
        assertThat(connections + this.server.connectionsAccepted()).isEqualTo(4);
        assertThat(this.pool.stats().closed().get(CloseReason.STALE)).isEqualTo(3);
    }
}
