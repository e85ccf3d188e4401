package dev.hotpool.internal.http;

import dev.hotpool.HotPool;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.testsupport.ResponseShape;
import dev.hotpool.testsupport.StubServer;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each {@code InputStream} call, one by one, on every kind of body a caller can get: a {@code Content-Length} body,
 * chunked, delimited by the connection's end, none (HEAD, 204, 304), gzip-decoded, and one reached through a redirect.
 * The property test ({@link ResponseBodyContractTests}) mixes these calls at random; here each has its own example.
 */
class ResponseBodyCallsTests {

    /** 20,000 bytes: more than one read buffer, less than the drain limit. */
    private static final byte[] CONTENT = "0123456789abcdefghij".repeat(1000).getBytes(StandardCharsets.ISO_8859_1);

    enum Kind {
        LENGTH("/length", "GET", CONTENT),
        CHUNKED("/chunked", "GET", CONTENT),
        UNTIL_CLOSE("/until-close", "GET", CONTENT),
        HEAD("/length", "HEAD", new byte[0]),
        NO_CONTENT("/204", "GET", new byte[0]),
        NOT_MODIFIED("/304", "GET", new byte[0]),
        GZIP("/gzip", "GET", CONTENT),
        REDIRECTED("/redirect", "GET", CONTENT);

        final String path;
        final String method;
        final byte[] content;

        Kind(String path, String method, byte[] content) {
            this.path = path;
            this.method = method;
            this.content = content;
        }

        boolean marks() {
            return this != GZIP;
        }
    }

    private static StubServer server;

    private final HotPool pool = new HotPool(ResponseShape.contractConfig().build());

    @BeforeAll
    static void startServer() throws IOException {
        byte[] gzip = gzip(CONTENT);
        server = StubServer.http((req, ex) -> {
            switch (req.target()) {
                case "/length" -> ex.raw("HTTP/1.1 200 OK\r\nContent-Length: " + CONTENT.length + "\r\n\r\n")
                        .raw(req.method().equals("HEAD") ? new byte[0] : CONTENT);
                case "/chunked" -> {
                    ex.raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                    for (int at = 0; at < CONTENT.length; at += 3000) {
                        int n = Math.min(3000, CONTENT.length - at);
                        ex.raw(Integer.toHexString(n) + "\r\n").raw(Arrays.copyOfRange(CONTENT, at, at + n)).raw("\r\n");
                    }
                    ex.raw("0\r\n\r\n");
                }
                case "/until-close" -> {
                    ex.raw("HTTP/1.1 200 OK\r\n\r\n").raw(CONTENT);
                    ex.close();
                }
                case "/204" -> ex.raw("HTTP/1.1 204 No Content\r\n\r\n");
                case "/304" -> ex.raw("HTTP/1.1 304 Not Modified\r\nETag: \"1\"\r\n\r\n");
                case "/gzip" -> ex.raw("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + gzip.length
                        + "\r\n\r\n").raw(gzip);
                case "/redirect" -> ex.raw("HTTP/1.1 302 Found\r\nLocation: /length\r\nContent-Length: 0\r\n\r\n");
                default -> ex.respond(404, "");
            }
        });
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closePool() {
        assertThat(this.pool.stats().leased()).as("every response was closed").isZero();
        this.pool.close();
    }

    private HotResponse get(Kind kind) throws IOException {
        return this.pool.execute(HotRequest.builder(kind.method, server.uri(kind.path)).build());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void markWithIntegerMaxValueKeepsWhatIsReadAndResetReadsItAgain(Kind kind) throws IOException {
        try (HotResponse response = get(kind)) {
            InputStream body = response.body();
            assertThat(body.markSupported()).isEqualTo(kind.marks());
            body.mark(Integer.MAX_VALUE);
            assertThat(body.readAllBytes()).isEqualTo(kind.content);
            if (kind.marks()) {
                body.reset();
                assertThat(body.readNBytes(10)).isEqualTo(Arrays.copyOf(kind.content, Math.min(10, kind.content.length)));
                body.reset();
                assertThat(body.readAllBytes()).isEqualTo(kind.content);
            }
            else {
                assertThatThrownBy(body::reset).isInstanceOf(IOException.class);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMarkIsGivenUpOnceMoreThanItsLimitWasReadAndZeroMeansNothing(Kind kind) throws IOException {
        try (HotResponse response = get(kind)) {
            InputStream body = response.body();
            body.mark(0);
            if (kind.marks()) {
                body.reset(); // Nothing read since: still valid.
            }
            else {
                assertThatThrownBy(body::reset).isInstanceOf(IOException.class);
            }
            body.mark(4);
            byte[] five = body.readNBytes(5);
            if (kind.marks() && five.length == 5) {
                assertThatThrownBy(body::reset).isInstanceOf(IOException.class)
                        .hasMessageContaining("without a valid mark");
            }
            body.mark(-7); // Taken as 0.
            assertThat(body.readNBytes(3)).isEqualTo(Arrays.copyOfRange(kind.content, Math.min(5, kind.content.length),
                    Math.min(8, kind.content.length)));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aZeroLengthReadGivesZeroAndBadBoundsAreRefused(Kind kind) throws IOException {
        try (HotResponse response = get(kind)) {
            InputStream body = response.body();
            byte[] b = new byte[8];
            assertThat(body.read(b, 3, 0)).isZero();
            assertThatThrownBy(() -> body.read(b, -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> body.read(b, 4, 5)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> body.readNBytes(b, 0, 9)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> body.readNBytes(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(body.readAllBytes()).isEqualTo(kind.content);
            assertThat(body.read(b, 0, 0)).isZero();
            assertThat(body.read(b, 0, 8)).isEqualTo(-1);
            assertThat(body.read()).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void skipOfANegativeCountSkipsNothingAndPastTheEndStopsThere(Kind kind) throws IOException {
        try (HotResponse response = get(kind)) {
            InputStream body = response.body();
            assertThat(body.skip(-5)).isZero();
            assertThat(body.skip(0)).isZero();
            assertThat(body.skip(Long.MAX_VALUE)).isEqualTo(kind.content.length);
            assertThat(body.read()).isEqualTo(-1);
            assertThat(body.skip(10)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void skipNBytesSkipsExactlyOrFailsWithEofPastTheEnd(Kind kind) throws IOException {
        try (HotResponse response = get(kind)) {
            InputStream body = response.body();
            body.skipNBytes(-3);
            body.skipNBytes(0);
            if (kind.content.length > 0) {
                body.skipNBytes(7);
                assertThat(body.read()).isEqualTo(kind.content[7] & 0xff);
            }
            assertThatThrownBy(() -> body.skipNBytes(kind.content.length + 1L)).isInstanceOf(EOFException.class);
            assertThat(body.read()).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readNBytesInBothFormsAndTransferToGiveTheRest(Kind kind) throws IOException {
        try (HotResponse response = get(kind)) {
            InputStream body = response.body();
            int first = Math.min(3, kind.content.length);
            assertThat(body.readNBytes(3)).isEqualTo(Arrays.copyOf(kind.content, first));
            byte[] b = new byte[12];
            int n = body.readNBytes(b, 2, 10);
            assertThat(Arrays.copyOfRange(b, 2, 2 + n))
                    .isEqualTo(Arrays.copyOfRange(kind.content, first, Math.min(first + 10, kind.content.length)));
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            assertThat(body.transferTo(rest)).isEqualTo(Math.max(0, kind.content.length - first - n));
            assertThat(rest.toByteArray()).isEqualTo(Arrays.copyOfRange(kind.content, first + n, kind.content.length));
            assertThat(body.readNBytes(Integer.MAX_VALUE)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void availableNeverPromisesMoreThanIsLeft(Kind kind) throws IOException {
        try (HotResponse response = get(kind)) {
            InputStream body = response.body();
            int read = 0;
            while (true) {
                int available = body.available();
                assertThat(available).isBetween(0, kind.content.length - read);
                int n = body.read(new byte[Math.max(1, available)]);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            assertThat(read).isEqualTo(kind.content.length);
            assertThat(body.available()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void closingTwiceIsHarmlessAndEveryReadAfterCloseFails(Kind kind) throws IOException {
        HotResponse response = get(kind);
        InputStream body = response.body();
        body.read(new byte[4]);
        body.close();
        body.close();
        response.close();
        assertThatThrownBy(body::read).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> body.read(new byte[4], 0, 4)).isInstanceOf(IOException.class);
        assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> body.readNBytes(1)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> body.skip(1)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> body.transferTo(new ByteArrayOutputStream())).isInstanceOf(IOException.class);
        assertThatThrownBy(body::reset).isInstanceOf(IOException.class);
        assertThat(body.available()).isZero();
        assertThat(body.skip(-1)).isZero();
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }
}
