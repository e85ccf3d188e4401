package dev.hotpool.internal.http;

import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.internal.pool.Engine;
import dev.hotpool.internal.pool.InMemoryServer;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes one whole exchange: the server answers the first request with any bytes (then closes, or falls silent, as the
 * first byte of the input says; it also says HEAD or GET and how the bytes arrive), and answers a second request
 * correctly. Invariants: only {@link IOException}s leave hotpool (never an {@code Error} or a
 * {@code RuntimeException}); every read ends (a silent server times out at once here); memory follows the input;
 * nothing stays leased; and the connection carries the second request only when the first answer was framed exactly
 * by the grammar read independently ({@link ReferenceFraming}), was read whole with nothing after it, and gave the
 * caller exactly its body.
 */
class ExchangeFuzzTests {

    private static final byte[] GOOD = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ngood".getBytes(StandardCharsets.ISO_8859_1);

    private static final int[] SLICES = {1, 3, 17, 500, 9000, 100_000};

    private static final InMemoryServer SERVER = new InMemoryServer((c, r) -> null, n -> n);

    private static final HotPoolConfig PLAIN = HotPoolConfig.builder().build();

    private static final HotPoolConfig DECODING = HotPoolConfig.builder().compression(true).build();

    /** One engine per configuration for every run (a new one per run would be most of the work). */
    private static final Engine PLAIN_ENGINE = SERVER.engine(PLAIN);

    private static final Engine DECODING_ENGINE = SERVER.engine(DECODING);

    static {
        try {
            // Loads and initialises what every exchange uses, so that the first input's allocations are its own.
            run(("\u0000HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").getBytes(StandardCharsets.ISO_8859_1), true);
            run(("\u0004HTTP/1.1 200 OK\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), true);
        }
        catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void aConnectionIsReusedOnlyAfterAnExactlyFramedAnswer(byte[] data) throws IOException {
        if (data.length == 0) {
            return;
        }
        FuzzSupport.runAndMeasure(checked -> run(data, checked), data.length, "the exchange");
    }

    private static void run(byte[] data, boolean checked) throws IOException {
        boolean head = (data[0] & 1) != 0;
        boolean closes = (data[0] & 2) != 0;
        boolean compression = (data[0] & 4) != 0;
        int slice = SLICES[((data[0] & 0xff) >>> 3) % SLICES.length];
        byte[] first = Arrays.copyOfRange(data, 1, data.length);
        SERVER.restart((connection, request) -> connection == 1 && request == 1
                ? new InMemoryServer.Answer(first, closes) : new InMemoryServer.Answer(GOOD, false), ready -> slice);
        HotPoolConfig config = compression ? DECODING : PLAIN;
        Engine engine = compression ? DECODING_ENGINE : PLAIN_ENGINE;
        Http1Client client = new Http1Client(config, engine, engine.listener(), engine.outliers());
        byte[] delivered = null;
        try {
            try (HotResponse response = client.execute(HotRequest.builder(head ? "HEAD" : "GET",
                    URI.create("http://fuzz.test/first")).build())) {
                delivered = response.body().readAllBytes();
            }
            catch (IOException expected) {
                // Malformed, truncated or silent: the connection must not be reused (checked below).
            }
            catch (RuntimeException | Error e) {
                throw new AssertionError("a " + e.getClass().getName() + " left hotpool", e);
            }
            try (HotResponse second = client.execute(HotRequest.get(URI.create("http://fuzz.test/second")))) {
                if (!Arrays.equals(second.body().readAllBytes(), "good".getBytes(StandardCharsets.ISO_8859_1))) {
                    throw new AssertionError("the second answer was not read as sent");
                }
            }
            if (engine.stats().leased() != 0) {
                throw new AssertionError("a connection is still leased");
            }
            if (checked && SERVER.requests(1) == 2) {
                ReferenceFraming.Result expected = ReferenceFraming.read(first, head);
                if (expected == null || !expected.reusable() || expected.end() != first.length) {
                    throw new AssertionError("reused a connection after an answer that is not exactly framed"
                            + (expected == null ? "" : " (it ends at " + expected.end() + " of " + first.length + ")"));
                }
                if (!compression && !Arrays.equals(delivered, expected.body())) {
                    throw new AssertionError("delivered a body that is not the one framed");
                }
            }
        }
        finally {
            engine.evictIdle(null);
        }
    }
}
