package dev.hotpool.internal.http;

import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.internal.pool.Engine;
import dev.hotpool.internal.pool.InMemoryServer;
import dev.hotpool.testsupport.Choices;
import dev.hotpool.testsupport.ResponseShape;
import dev.hotpool.testsupport.StreamContract;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the body streams: the fuzz bytes choose a response ({@link ResponseShape}: framing, length, bytes, how they
 * arrive) and a sequence of {@code InputStream} calls on its body ({@link StreamContract}), run over an in-memory
 * connection beside a model of the same bytes; the connection must be held until the message ends and then reused
 * exactly when the body was read to its end or cheaply drained. The property test
 * ({@link ResponseBodyContractTests}) runs the same over loopback with seeded choices.
 */
class ResponseBodyFuzzTests {

    private static final byte[] AFTER = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nafter".getBytes(StandardCharsets.ISO_8859_1);

    private static final InMemoryServer SERVER = new InMemoryServer((c, r) -> null, n -> n);

    private static final HotPoolConfig CONFIG = ResponseShape.contractConfig().build();

    /** One engine for every run (a new one per run would be most of the work). */
    private static final Engine ENGINE = SERVER.engine(CONFIG);

    private static final Http1Client CLIENT = new Http1Client(CONFIG, ENGINE, ENGINE.listener(), ENGINE.outliers());

    @FuzzTest(maxDuration = "10m")
    void randomCallsKeepTheContractAndTheConnectionsFate(FuzzedDataProvider data) throws IOException {
        Choices choices = FuzzSupport.choices(data);
        ResponseShape shape = ResponseShape.random(choices);
        int slice = choices.between(1, 9000);
        SERVER.restart((connection, request) -> connection == 1 && request == 1
                ? new InMemoryServer.Answer(shape.wire(), shape.serverCloses()) : new InMemoryServer.Answer(AFTER, false),
                ready -> slice);
        try {
            StreamContract.Outcome outcome;
            try (HotResponse response = CLIENT.execute(HotRequest.builder(shape.method(),
                    URI.create("http://fuzz.test/seq")).build())) {
                outcome = StreamContract.run(response.body(), shape.body(), shape.markSupported(), choices, 30);
                if (!outcome.closed() && (ENGINE.stats().leased() == 1) != shape.heldAfter(outcome)) {
                    throw new AssertionError("leased " + ENGINE.stats().leased() + " after " + outcome.ops() + " on "
                            + shape);
                }
            }
            if (ENGINE.stats().leased() != 0) {
                throw new AssertionError("still leased after close: " + outcome.ops() + " on " + shape);
            }
            try (HotResponse after = CLIENT.execute(HotRequest.get(URI.create("http://fuzz.test/after")))) {
                if (!new String(after.body().readAllBytes(), StandardCharsets.ISO_8859_1).equals("after")) {
                    throw new AssertionError("the next response was not read as sent");
                }
            }
            boolean reused = SERVER.requests(1) == 2;
            if (reused != shape.reusedAfter(outcome, CONFIG.drainLimit())) {
                throw new AssertionError((reused ? "reused" : "did not reuse") + " the connection after "
                        + outcome.ops() + " on " + shape);
            }
        }
        finally {
            ENGINE.evictIdle(null);
        }
    }
}
