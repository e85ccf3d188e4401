package dev.hotpool.internal.http;

import dev.hotpool.HostSettings;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.internal.pool.Engine;
import dev.hotpool.internal.pool.InMemoryH2Server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes HTTP/2 exchanges the way {@link ExchangeFuzzTests} fuzzes HTTP/1.1 ones, over an in-memory h2c connection
 * ({@link InMemoryH2Server}) with hotpool's real session and reader thread: after a valid SETTINGS, the server answers
 * the first request (a GET, HEAD or POST with a body, as the input says) with any bytes, then closes or falls silent;
 * a second request follows, answered correctly on a new connection, or on the same one (after the fuzzed bytes).
 * Invariants: each request ends with a response whose body reads to its end, or with an {@link IOException} whose
 * message starts with "hotpool:" and whose causes are all {@link IOException}s too (a {@code RuntimeException} caught
 * by the reader thread and wrapped is a finding); nothing waits much past the read timeout; nothing stays leased once
 * the response is closed; no connection stays open once the pool let its idle ones go.
 */
class Http2ExchangeFuzzTests {

    /** An empty SETTINGS frame: the server's valid first frame. */
    private static final byte[] SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};

    /** Short, so that the fuzzer spends its time on inputs rather than on waits for a silent server. */
    private static final int READ_TIMEOUT_MILLIS = 10;

    /** Far beyond what any request here may take; a request past it hangs. */
    private static final long HANG_NANOS = 5_000_000_000L;

    private static final InMemoryH2Server SERVER = new InMemoryH2Server((c, e, s) -> null);

    private static final HotPoolConfig PLAIN = config(false);

    private static final HotPoolConfig DECODING = config(true);

    private static final Engine PLAIN_ENGINE = SERVER.engine(PLAIN);

    private static final Engine DECODING_ENGINE = SERVER.engine(DECODING);

    private static HotPoolConfig config(boolean compression) {
        return HotPoolConfig.builder().compression(compression).readTimeout(Duration.ofMillis(READ_TIMEOUT_MILLIS))
                .host("fuzz.test", HostSettings.builder().protocols(List.of("h2c")).build()).build();
    }

    @FuzzTest(maxDuration = "10m")
    void everyRequestEndsWithAResponseOrAHotpoolError(FuzzedDataProvider data) throws Exception {
        int mode = data.consumeInt(0, 31);
        byte[] frames = data.consumeRemainingAsBytes();
        run(mode, frames);
    }

    static void run(int mode, byte[] frames) throws Exception {
        String method = switch (mode & 3) {
            case 0, 1 -> "GET";
            case 2 -> "HEAD";
            default -> "POST";
        };
        boolean closes = (mode & 4) != 0 || (mode & 16) != 0; // Silent after the bytes for a quarter of the inputs.
        boolean compression = (mode & 8) != 0;
        SERVER.restart((connection, event, stream) -> {
            if (event == 0) {
                return new InMemoryH2Server.Answer(SETTINGS, false);
            }
            if (connection == 1 && event == 1) {
                return new InMemoryH2Server.Answer(frames, closes);
            }
            return new InMemoryH2Server.Answer(good(stream), false);
        });
        Engine engine = compression ? DECODING_ENGINE : PLAIN_ENGINE;
        Http1Client client = new Http1Client(compression ? DECODING : PLAIN, engine, engine.listener(),
                engine.outliers());
        try {
            HotRequest.Builder first = HotRequest.builder(method, URI.create("http://fuzz.test/first"));
            if (method.equals("POST")) {
                first.body("0123456789".getBytes(StandardCharsets.US_ASCII));
            }
            exchange(client, engine, first.build(), null);
            exchange(client, engine, HotRequest.get(URI.create("http://fuzz.test/second")), "good");
        }
        finally {
            engine.evictIdle(null);
        }
        if (SERVER.open() != 0) {
            throw new AssertionError(SERVER.open() + " connection(s) still open after the pool let its idle ones go");
        }
    }

    /** A correct answer on a stream: {@code :status 200} (static table index 8), then DATA {@code good}. */
    private static byte[] good(int stream) {
        byte[] b = new byte[9 + 1 + 9 + 4];
        frameHead(b, 0, 1, 0x1, 0x4, stream);
        b[9] = (byte) 0x88;
        frameHead(b, 10, 4, 0x0, 0x1, stream);
        System.arraycopy("good".getBytes(StandardCharsets.US_ASCII), 0, b, 19, 4);
        return b;
    }

    private static void frameHead(byte[] b, int at, int length, int type, int flags, int stream) {
        b[at] = (byte) (length >>> 16);
        b[at + 1] = (byte) (length >>> 8);
        b[at + 2] = (byte) length;
        b[at + 3] = (byte) type;
        b[at + 4] = (byte) flags;
        b[at + 5] = (byte) (stream >>> 24);
        b[at + 6] = (byte) (stream >>> 16);
        b[at + 7] = (byte) (stream >>> 8);
        b[at + 8] = (byte) stream;
    }

    /**
     * One request: a response read to its end and closed, or a hotpool error; in time, and nothing leased after.
     *
     * @param expected the body it must have when it is answered on a new connection (on the fuzzed one, the fuzzed
     *     bytes may run into the correct answer), or {@code null} for any
     */
    private static void exchange(Http1Client client, Engine engine, HotRequest request, String expected) {
        long start = System.nanoTime();
        try (HotResponse response = client.execute(request)) {
            try (InputStream in = response.body()) {
                byte[] body = in.readAllBytes();
                if (expected != null && !response.reused() && !Arrays.equals(body, expected.getBytes(StandardCharsets.US_ASCII))) {
                    throw new AssertionError(request + " was answered " + new String(body, StandardCharsets.ISO_8859_1));
                }
            }
        }
        catch (IOException e) {
            check(e);
        }
        catch (RuntimeException | Error e) {
            throw new AssertionError("a " + e.getClass().getName() + " left hotpool for " + request, e);
        }
        long took = System.nanoTime() - start;
        if (took > HANG_NANOS) {
            throw new AssertionError(request + " took " + took / 1_000_000 + " ms (read timeout "
                    + READ_TIMEOUT_MILLIS + " ms)");
        }
        if (engine.stats().leased() != 0) {
            throw new AssertionError("still leased after " + request + ": " + engine.stats());
        }
    }

    /** A hotpool error: its message says so, and nothing but I/O went wrong under it. */
    private static void check(IOException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith("hotpool:")) {
            throw new AssertionError("an error without a hotpool message: " + e, e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!(t instanceof IOException)) {
                throw new AssertionError("a " + t.getClass().getName() + " under " + e, e);
            }
        }
    }
}
