package dev.hotpool.http;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.RequestBody;
import dev.hotpool.UnansweredRequestException;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that cannot be retried (POST without an {@code Idempotency-Key}, a body that cannot be replayed) is not
 * written on a connection the server has already closed at its own idle timeout: past
 * {@code validate-non-retryable-after-inactivity} the connection is checked for end of stream first. Real sockets; a
 * server that closes each connection idle for 300 ms, one caller pausing 270 to 330 ms between requests.
 */
class NonRetryableRequestValidationTests {

    private static final Duration SERVER_IDLE_TIMEOUT = Duration.ofMillis(300);

    /** Pauses straddling the server's idle timeout, clear of it by 15 ms or more (the race within is not ours). */
    private static final long[] PAUSES_MILLIS = {270, 315, 285, 330};

    private StubServer server;
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server);

    private void start(HotPoolConfig.Builder config) throws IOException {
        this.server = StubServer.http((req, ex) -> ex.respond(200, req.method() + " " + req.bodyText().length()));
        this.server.idleTimeout(SERVER_IDLE_TIMEOUT);
        this.pool = new HotPool(config.build());
    }

    /** Request i of a series: in turn a replayable POST, a one-shot POST, a one-shot PUT; none carries a key. */
    private HotRequest request(int i) {
        byte[] body = "{\"order\":1}".getBytes(StandardCharsets.UTF_8);
        return switch (i % 3) {
            case 0 -> HotRequest.builder("POST", this.server.uri("/orders")).body(body).build();
            case 1 -> HotRequest.builder("POST", this.server.uri("/orders")).body(oneShot(body)).build();
            default -> HotRequest.builder("PUT", this.server.uri("/orders/1")).body(oneShot(body)).build();
        };
    }

    /** Sends {@code n} requests, pausing between them; returns the failures, in order. */
    private List<IOException> sendPausing(int n, long[] pausesMillis) throws InterruptedException {
        List<IOException> failures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                Thread.sleep(pausesMillis[i % pausesMillis.length]);
            }
            try (HotResponse response = this.pool.execute(request(i))) {
                assertThat(response.status()).isEqualTo(200);
                response.body().readAllBytes();
            }
            catch (IOException e) {
                failures.add(e);
            }
        }
        return failures;
    }

    @Test
    void requestsThatCannotBeRetriedAreNotSentOnConnectionsTheServerClosedAtItsIdleTimeout() throws Exception {
        start(HotPoolConfig.builder()); // Defaults: validate-non-retryable-after-inactivity 50 ms.

        List<IOException> failures = sendPausing(40, PAUSES_MILLIS);

        assertThat(failures).isEmpty();
        assertThat(this.server.requestsServed()).isEqualTo(40);
        // Every pause past the server's timeout found its connection closed, and took a new one.
        assertThat(this.pool.stats().closed().get(CloseReason.STALE)).isGreaterThanOrEqualTo(10);
    }

    @Test
    void withTheShorterCheckOffSuchRequestsFailOnConnectionsTheServerClosed() throws Exception {
        start(HotPoolConfig.builder().validateNonRetryableAfterInactivity(Duration.ofSeconds(2)));

        List<IOException> failures = sendPausing(8, new long[] {330});

        assertThat(failures).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(e -> assertThat(e).isInstanceOf(UnansweredRequestException.class));
    }

    @Test
    void withRetriesOffEvenAGetIsCheckedAfterTheShorterIdleTime() throws Exception {
        start(HotPoolConfig.builder().retryEnabled(false));

        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                Thread.sleep(330);
            }
            try (HotResponse response = this.pool.execute(HotRequest.get(this.server.uri("/")))) {
                assertThat(response.status()).isEqualTo(200);
                response.body().readAllBytes();
            }
        }

        assertThat(this.pool.stats().closed().get(CloseReason.STALE)).isEqualTo(3);
    }

    private static RequestBody oneShot(byte[] bytes) {
        return new RequestBody() {
            @Override
            public long contentLength() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(bytes);
            }

            @Override
            public boolean repeatable() {
                return false;
            }
        };
    }
}
