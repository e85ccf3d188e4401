package dev.hotpool.internal.http;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.UnansweredRequestException;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.OneShotBody;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestClock;

import java.io.IOException;
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
 * server that closes each connection idle for 300 ms, one caller pausing 270 to 330 ms between requests. The pauses
 * are on the pool's clock, a test clock: a pause moves it, and a pause past the server's idle timeout ends with the
 * server closing its idle connection (the test waits until it has), as the server's own timer would have meanwhile.
 */
class NonRetryableRequestValidationTests {

    private static final Duration SERVER_IDLE_TIMEOUT = Duration.ofMillis(300);

    /** Pauses straddling the server's idle timeout. */
    private static final long[] PAUSES_MILLIS = {270, 315, 285, 330};

    private final TestClock clock = new TestClock();
    private StubServer server;
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server);

    private void start(HotPoolConfig.Builder config) throws IOException {
        this.server = StubServer.http((req, ex) -> ex.respond(200, req.method() + " " + req.bodyText().length()));
        this.pool = new HotPool(config.clock(this.clock).build());
    }

    /**
     * The caller pauses: the pool's clock moves on by {@code millis}, and when that is past the server's idle timeout
     * the server closes its idle connection (the one connection a caller sending one request at a time keeps open).
     */
    private void pause(long millis) {
        this.clock.advance(Duration.ofMillis(millis));
        if (millis >= SERVER_IDLE_TIMEOUT.toMillis()) {
            this.server.dropConnections();
            Await.until(() -> this.server.openConnections() == 0);
        }
    }

    /** Request i of a series: in turn a replayable POST, a one-shot POST, a one-shot PUT; none carries a key. */
    private HotRequest request(int i) {
        byte[] body = "{\"order\":1}".getBytes(StandardCharsets.UTF_8);
        return switch (i % 3) {
            case 0 -> HotRequest.builder("POST", this.server.uri("/orders")).body(body).build();
            case 1 -> HotRequest.builder("POST", this.server.uri("/orders")).body(OneShotBody.of(body)).build();
            default -> HotRequest.builder("PUT", this.server.uri("/orders/1")).body(OneShotBody.of(body)).build();
        };
    }

    /** Sends {@code n} requests, pausing between them; returns the failures, in order. */
    private List<IOException> sendPausing(int n, long[] pausesMillis) {
        List<IOException> failures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                pause(pausesMillis[i % pausesMillis.length]);
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
        // The first pause past the server's timeout found its connection closed (STALE); from then on the pool knows
        // the server's limit, and a connection idle near it is closed before such a request (IDLE_TIMEOUT).
        assertThat(closed(CloseReason.STALE)).isGreaterThanOrEqualTo(1);
        assertThat(closed(CloseReason.STALE) + closed(CloseReason.IDLE_TIMEOUT)).isGreaterThanOrEqualTo(10);
    }

    @Test
    void onceTheServerWasSeenClosingIdleConnectionsRequestsPausingJustShortOfItsTimeoutTakeNewConnections()
            throws Exception {
        start(HotPoolConfig.builder());

        // The first pause is past the timeout (the pool learns it); the others end 2 to 12 ms short of it: the server
        // has not closed the idle connection yet, but a request on it would race the server's close.
        List<IOException> failures = sendPausing(21, new long[] {288, 350, 292, 296, 298, 290});

        assertThat(failures).isEmpty();
        assertThat(this.server.requestsServed()).isEqualTo(21);
        assertThat(closed(CloseReason.IDLE_TIMEOUT)).as("closed near the server's limit").isGreaterThanOrEqualTo(15);
    }

    private long closed(CloseReason reason) {
        return this.pool.stats().closed().get(reason);
    }

    @Test
    void withTheShorterCheckOffTheFirstSuchRequestFailsOnAConnectionTheServerClosedAndTheNextOnesDoNot()
            throws Exception {
        start(HotPoolConfig.builder().validateNonRetryableAfterInactivity(Duration.ofSeconds(2)));

        List<IOException> failures = sendPausing(8, new long[] {330});

        // Unchecked, the first goes out on the closed connection; that close teaches the pool the server's limit.
        assertThat(failures).singleElement().isInstanceOf(UnansweredRequestException.class);
        assertThat(closed(CloseReason.IDLE_TIMEOUT)).isEqualTo(5); // Requests 4 to 8; the 3rd found no idle one.
    }

    @Test
    void withRetriesOffEvenAGetIsCheckedAfterTheShorterIdleTime() throws Exception {
        start(HotPoolConfig.builder().retryEnabled(false));

        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                pause(330);
            }
            try (HotResponse response = this.pool.execute(HotRequest.get(this.server.uri("/")))) {
                assertThat(response.status()).isEqualTo(200);
                response.body().readAllBytes();
            }
        }

        assertThat(closed(CloseReason.STALE)).isEqualTo(1); // The one that taught the pool the server's limit.
        assertThat(closed(CloseReason.IDLE_TIMEOUT)).isEqualTo(2);
    }
}
