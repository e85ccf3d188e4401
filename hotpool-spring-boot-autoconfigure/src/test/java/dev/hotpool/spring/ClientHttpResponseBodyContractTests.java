package dev.hotpool.spring;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import dev.hotpool.HotPool;
import dev.hotpool.testsupport.Choices;
import dev.hotpool.testsupport.ResponseShape;
import dev.hotpool.testsupport.ShapeServer;
import dev.hotpool.testsupport.StreamContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body Spring gets ({@link ClientHttpResponse#getBody()} of hotpool's factory) keeps {@code InputStream}'s whole
 * contract: seeded random call sequences on random bodies in every framing, over loopback, as the core's property test
 * does, and the idioms of Spring's and AssertJ's own code ({@code mark(Integer.MAX_VALUE)}, which Spring's and Boot's
 * request-factory test suites use and which used to end the test JVM with an {@code OutOfMemoryError}).
 */
class ClientHttpResponseBodyContractTests {

    private final HotPool pool = new HotPool(ResponseShape.contractConfig().build());

    private final HotPoolClientHttpRequestFactory factory = new HotPoolClientHttpRequestFactory(this.pool);

    private final ShapeServer server;

    ClientHttpResponseBodyContractTests() throws IOException {
        this.server = new ShapeServer("307 Temporary Redirect");
    }

    @AfterEach
    void stop() {
        this.pool.close();
        this.server.close();
    }

    @Test
    void randomCallsOnGetBodyKeepTheContractAndTheConnectionsFate() throws Exception {
        long base = Long.getLong("hotpool.body.seed", System.nanoTime());
        for (int i = 0; i < Integer.getInteger("hotpool.body.sequences", 400); i++) {
            long seed = base + i;
            ResponseShape shape = ResponseShape.random(Choices.seeded(seed));
            try {
                runOne(seed, shape);
            }
            catch (AssertionError | IOException | RuntimeException e) {
                throw new AssertionError("getBody() contract broken with -Dhotpool.body.seed=" + seed + " (" + shape
                        + "): " + e.getMessage(), e);
            }
        }
    }

    private void runOne(long seed, ResponseShape shape) throws IOException {
        Choices calls = Choices.seeded(~seed);
        String id = Long.toString(seed);
        StreamContract.Outcome outcome;
        try (ClientHttpResponse response = this.factory.createRequest(this.server.serve(id, shape, calls.chance(10)),
                HttpMethod.valueOf(shape.method())).execute()) {
            outcome = StreamContract.run(response.getBody(), shape.body(), shape.markSupported(), calls, 40);
            if (!outcome.closed()) {
                assertThat(this.pool.stats().leased()).isEqualTo(shape.heldAfter(outcome) ? 1 : 0);
            }
        }
        assertThat(this.pool.stats().leased()).isZero();
        try (ClientHttpResponse after = this.factory.createRequest(this.server.after(id), HttpMethod.GET)
                .execute()) {
            assertThat(after.getBody().readAllBytes()).asString().isEqualTo("after");
        }
        assertThat(this.server.afterOnTheSameConnection(id))
                .as("the next request on the same connection, after " + outcome.ops())
                .isEqualTo(shape.reusedAfter(outcome, this.pool.config().drainLimit()));
        this.server.forget(id);
    }

    @Test
    void markWithIntegerMaxValueAsSpringsAndAssertjsCodeDoes() throws IOException {
        byte[] big = "0123456789".repeat(5000).getBytes(StandardCharsets.ISO_8859_1);
        URI redirected = this.server.serve("big", ResponseShape.ofLength(big), true);
        try (ClientHttpResponse response = this.factory.createRequest(redirected, HttpMethod.GET).execute()) {
            InputStream body = response.getBody();
            body.mark(Integer.MAX_VALUE);
            assertThat(body).hasBinaryContent(big);
            body.reset();
            assertThat(body.readAllBytes()).isEqualTo(big);
        }
        RestClient client = RestClient.builder().requestFactory(this.factory).build();
        assertThat(client.get().uri(redirected).retrieve().body(byte[].class)).isEqualTo(big);
        assertThat(this.pool.stats().leased()).isZero();
        assertThat(this.pool.stats().idle()).isEqualTo(1); // Both exchanges and their redirects on one connection.
        assertThat(this.server.connectionsAccepted()).isEqualTo(1);
    }
}
