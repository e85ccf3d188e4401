package dev.hotpool.internal.http;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.testsupport.Choices;
import dev.hotpool.testsupport.ResponseShape;
import dev.hotpool.testsupport.ShapeServer;
import dev.hotpool.testsupport.StreamContract;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A property test of the response body streams over a real loopback connection: thousands of seeded random
 * sequences of {@code InputStream} calls ({@link StreamContract}) on random bodies in every framing
 * ({@link ResponseShape}), some after a redirect, side by side with a model of the same bytes; and the connection's
 * fate seen by the server: held while the message has not ended, back in the pool exactly when the body was read to
 * its end or cheaply drained at close, closed otherwise. A failure prints its seed; {@code -Dhotpool.body.seed=N}
 * reruns that sequence first, {@code -Dhotpool.body.sequences=N} runs more.
 */
class ResponseBodyContractTests {

    private final ShapeServer server;

    private HotPool pool;

    ResponseBodyContractTests() throws IOException {
        this.server = new ShapeServer("302 Found");
    }

    @AfterEach
    void stop() {
        if (this.pool != null) {
            this.pool.close();
        }
        this.server.close();
    }

    @Test
    void randomCallsOnRandomBodiesKeepInputStreamsContractAndGiveTheConnectionBackExactlyWhenTheyShould()
            throws Exception {
        HotPoolConfig config = ResponseShape.contractConfig().build();
        this.pool = new HotPool(config);
        long base = Long.getLong("hotpool.body.seed", System.nanoTime());
        int sequences = Integer.getInteger("hotpool.body.sequences", 2500);
        Map<ResponseShape.Kind, Integer> kinds = new EnumMap<>(ResponseShape.Kind.class);
        for (int i = 0; i < sequences; i++) {
            long seed = base + i;
            ResponseShape shape = ResponseShape.random(Choices.seeded(seed));
            try {
                runOne(seed, shape, config.drainLimit());
            }
            catch (AssertionError | IOException | RuntimeException e) {
                throw new AssertionError("body contract broken with -Dhotpool.body.seed=" + seed + " (" + shape + "): "
                        + e.getMessage(), e);
            }
            kinds.merge(shape.kind(), 1, Integer::sum);
        }
        assertThat(kinds).as("every framing was tried").hasSize(ResponseShape.Kind.values().length);
    }

    private void runOne(long seed, ResponseShape shape, int drainLimit) throws IOException {
        Choices calls = Choices.seeded(~seed);
        String id = Long.toString(seed);
        HotRequest request = HotRequest.builder(shape.method(), this.server.serve(id, shape, calls.chance(10))).build();
        StreamContract.Outcome outcome;
        try (HotResponse response = this.pool.execute(request)) {
            outcome = StreamContract.run(response.body(), shape.body(), shape.markSupported(), calls, 40);
            if (!outcome.closed()) {
                assertThat(this.pool.stats().leased()).as("leased after " + outcome.ops())
                        .isEqualTo(shape.heldAfter(outcome) ? 1 : 0);
            }
        }
        assertThat(this.pool.stats().leased()).as("leased after close").isZero();
        try (HotResponse after = this.pool.execute(HotRequest.get(this.server.after(id)))) {
            assertThat(after.body().readAllBytes()).asString().isEqualTo("after");
        }
        assertThat(this.server.afterOnTheSameConnection(id))
                .as("the next request on the same connection, after " + outcome.ops()).isEqualTo(shape.reusedAfter(outcome, drainLimit));
        this.server.forget(id);
    }
}
