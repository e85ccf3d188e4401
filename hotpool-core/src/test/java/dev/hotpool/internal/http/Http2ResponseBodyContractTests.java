package dev.hotpool.internal.http;

import dev.hotpool.HostSettings;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Http2Settings;
import dev.hotpool.testsupport.Choices;
import dev.hotpool.testsupport.H2ResponseShape;
import dev.hotpool.testsupport.H2ShapeServer;
import dev.hotpool.testsupport.ResponseShape;
import dev.hotpool.testsupport.StreamContract;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property test of {@link ResponseBodyContractTests} over HTTP/2: seeded random sequences of {@code InputStream}
 * calls ({@link StreamContract}) on random HTTP/2 responses ({@link H2ResponseShape}: with and without content-length,
 * ended by the last DATA, an empty DATA or trailers, none, gzip; DATA in random frames, some padded, sometimes after a
 * 103) on {@link Http2Body} and on {@code DecodedBody} over it, side by side with a model of the same bytes. Half of
 * the sequences run on a pool with the smallest windows (65,535 bytes for the stream and the connection), so bodies
 * pass through WINDOW_UPDATEs given as the caller reads; the server keeps the windows strictly, so a window not given
 * back (for bytes read, or discarded after a reset) stalls the next response. The stream is held while its response
 * has not ended and been read, given back at its end or on close, and the connection carries every next request.
 * A failure prints its seed; {@code -Dhotpool.body.seed=N} reruns that sequence first, {@code -Dhotpool.body.sequences=N}
 * runs more.
 */
class Http2ResponseBodyContractTests {

    private final H2ShapeServer server;

    private HotPool wide;

    private HotPool narrow;

    Http2ResponseBodyContractTests() throws IOException {
        this.server = new H2ShapeServer();
    }

    @AfterEach
    void stop() {
        if (this.wide != null) {
            this.wide.close();
        }
        if (this.narrow != null) {
            this.narrow.close();
        }
        this.server.close();
    }

    private static HotPoolConfig config(Http2Settings http2) {
        return ResponseShape.contractConfig().readTimeout(Duration.ofSeconds(10))
                .staticAddresses(Map.of("localhost", List.of("127.0.0.1")))
                .host("localhost", HostSettings.builder().protocols(List.of("h2c")).build()).http2(http2).build();
    }

    @Test
    void randomCallsOnRandomBodiesKeepInputStreamsContractAndGiveTheStreamBackWhenTheyShould() throws Exception {
        this.wide = new HotPool(config(Http2Settings.DEFAULTS));
        this.narrow = new HotPool(config(Http2Settings.builder().initialWindowSize(65_535)
                .connectionWindowSize(65_535).build()));
        long base = Long.getLong("hotpool.body.seed", System.nanoTime());
        int sequences = Integer.getInteger("hotpool.body.sequences", 2000);
        Map<H2ResponseShape.Kind, Integer> kinds = new EnumMap<>(H2ResponseShape.Kind.class);
        for (int i = 0; i < sequences; i++) {
            long seed = base + i;
            H2ResponseShape shape = H2ResponseShape.random(Choices.seeded(seed));
            HotPool pool = (seed & 1) == 0 ? this.wide : this.narrow;
            try {
                runOne(seed, shape, pool);
            }
            catch (AssertionError | IOException | RuntimeException e) {
                throw new AssertionError("HTTP/2 body contract broken with -Dhotpool.body.seed=" + seed + " (" + shape
                        + ", " + (pool == this.wide ? "default" : "smallest") + " windows): " + e.getMessage()
                        + "; the sequence before on this pool: " + (pool == this.wide ? this.lastWide : this.lastNarrow),
                        e);
            }
            kinds.merge(shape.kind(), 1, Integer::sum);
        }
        assertThat(kinds).as("every framing was tried").hasSize(H2ResponseShape.Kind.values().length);
        assertThat(this.server.problems()).isEmpty();
        assertThat(this.wide.stats().created()).as("connections of the pool with default windows").isEqualTo(1);
        assertThat(this.narrow.stats().created()).as("connections of the pool with the smallest windows").isEqualTo(1);
        assertThat(this.server.connectionsAccepted()).isEqualTo(2);
    }

    private String lastWide = "";
    private String lastNarrow = "";

    private void runOne(long seed, H2ResponseShape shape, HotPool pool) throws IOException {
        Choices calls = Choices.seeded(~seed);
        String id = Long.toString(seed);
        HotRequest request = HotRequest.builder(shape.method(), this.server.serve(id, shape)).build();
        StreamContract.Outcome outcome;
        try (HotResponse response = pool.execute(request)) {
            assertThat(response.protocol()).isEqualTo("HTTP/2.0");
            outcome = StreamContract.run(response.body(), shape.body(), shape.markSupported(), calls, 40);
            String last = seed + " " + shape + " " + outcome.ops();
            if (pool == this.wide) {
                this.lastWide = last;
            }
            else {
                this.lastNarrow = last;
            }
            Boolean held = shape.heldAfter(outcome);
            if (!outcome.closed() && held != null) {
                assertThat(pool.stats().leased()).as("leased after " + outcome.ops()).isEqualTo(held ? 1 : 0);
            }
        }
        assertThat(pool.stats().leased()).as("leased after close").isZero();
        try (HotResponse after = pool.execute(HotRequest.get(this.server.after()))) {
            assertThat(after.body().readAllBytes()).asString().isEqualTo("after");
        }
        assertThat(this.server.problems()).as("what the server saw").isEmpty();
        this.server.forget(id);
    }
}
