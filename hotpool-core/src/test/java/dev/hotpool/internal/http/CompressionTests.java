package dev.hotpool.internal.http;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code hotpool.compression.enabled}: asking for gzip/deflate, decoding as the body streams, and bad encodings. */
class CompressionTests {

    private static final String TEXT = "hotpool ".repeat(2_000);

    private final List<String> acceptEncodings = new CopyOnWriteArrayList<>();

    private final StubServer server = StubServer.http((req, ex) -> {
        this.acceptEncodings.add(String.valueOf(req.header("Accept-Encoding")));
        byte[] body = switch (req.target()) {
            case "/gzip", "/plain-asked" -> gzip(TEXT);
            case "/deflate" -> deflate(TEXT, false);
            case "/raw-deflate" -> deflate(TEXT, true);
            case "/corrupt" -> corrupt(gzip(TEXT));
            default -> TEXT.getBytes(StandardCharsets.UTF_8);
        };
        String coding = switch (req.target()) {
            case "/gzip", "/corrupt", "/plain-asked" -> "gzip";
            case "/deflate", "/raw-deflate" -> "deflate";
            default -> null;
        };
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Length: ").append(body.length)
                .append("\r\n");
        if (coding != null) {
            head.append("Content-Encoding: ").append(coding).append("\r\n");
        }
        ex.raw(head.append("\r\n").toString()).raw(body);
    });

    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server);

    CompressionTests() throws IOException {
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static byte[] deflate(String text, boolean raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static byte[] corrupt(byte[] gzip) {
        byte[] bad = Arrays.copyOf(gzip, gzip.length);
        for (int i = 20; i < bad.length - 8; i += 7) {
            bad[i] ^= 0x5a;
        }
        return bad;
    }

    private HotResponse get(String path, String... headers) throws IOException {
        HotRequest.Builder b = HotRequest.builder("GET", this.server.uri(path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return this.pool.execute(b.build());
    }

    private static String text(HotResponse response) throws IOException {
        return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void gzipAndDeflateInBothFormsAreDecodedWithoutTheirEncodingHeaders() throws IOException {
        this.pool = new HotPool(HotPoolConfig.builder().compression(true).build());
        for (String path : List.of("/gzip", "/deflate", "/raw-deflate")) {
            try (HotResponse response = get(path)) {
                assertThat(text(response)).as(path).isEqualTo(TEXT);
                assertThat(response.header("Content-Encoding")).isNull();
                assertThat(response.header("Content-Length")).isNull();
            }
        }
        assertThat(this.acceptEncodings).containsOnly("gzip, x-gzip, deflate");
        assertThat(this.server.connectionsAccepted()).as("decoded bodies give their connection back").isEqualTo(1);
    }

    @Test
    void aCallersOwnAcceptEncodingGetsTheBodyAsSent() throws IOException {
        this.pool = new HotPool(HotPoolConfig.builder().compression(true).build());
        try (HotResponse response = get("/plain-asked", "Accept-Encoding", "gzip")) {
            assertThat(response.body().readAllBytes()).isEqualTo(gzip(TEXT));
            assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
        }
        assertThat(this.acceptEncodings).containsExactly("gzip");
    }

    @Test
    void offByDefaultNothingIsAskedAndNothingDecoded() throws IOException {
        this.pool = new HotPool();
        try (HotResponse response = get("/gzip")) {
            assertThat(response.body().readAllBytes()).isEqualTo(gzip(TEXT));
        }
        assertThat(this.acceptEncodings).containsExactly("null");
    }

    @Test
    void aCorruptBodyFailsNamingTheOriginDiscardsTheConnectionAndThePoolGoesOn() throws IOException {
        this.pool = new HotPool(HotPoolConfig.builder().compression(true).build());
        try (HotResponse response = get("/corrupt")) {
            assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(MalformedResponseException.class)
                    .hasMessageStartingWith("hotpool: malformed response body from http://localhost:"
                            + this.server.port() + ": its gzip data is corrupt or truncated");
        }
        assertThat(this.pool.stats().total()).isZero();
        try (HotResponse response = get("/gzip")) {
            assertThat(text(response)).isEqualTo(TEXT);
        }
        assertThat(this.server.connectionsAccepted()).isEqualTo(2);
    }
}
