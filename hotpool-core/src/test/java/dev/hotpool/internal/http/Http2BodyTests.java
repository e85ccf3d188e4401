package dev.hotpool.internal.http;

import dev.hotpool.HostSettings;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Http2Settings;
import dev.hotpool.testsupport.H2ResponseShape;
import dev.hotpool.testsupport.H2ShapeServer;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Examples of what {@link Http2ResponseBodyContractTests} found, each on its own: against a server that keeps
 * hotpool's smallest windows (65,535 bytes for a stream and for the connection) strictly, the padding of DATA frames
 * and the bytes of a stream closed before its end are given back, or the connection stalls; a stream whose response
 * has ended goes back without a read of its end; mark and reset work as on HTTP/1.1 (RestClient's one-byte peek).
 */
class Http2BodyTests {

    private final H2ShapeServer server;

    private final HotPool pool;

    Http2BodyTests() throws IOException {
        this.server = new H2ShapeServer();
        this.pool = new HotPool(HotPoolConfig.builder().readTimeout(Duration.ofSeconds(3))
                .staticAddresses(Map.of("localhost", List.of("127.0.0.1")))
                .host("localhost", HostSettings.builder().protocols(List.of("h2c")).build())
                .http2(Http2Settings.builder().initialWindowSize(65_535).connectionWindowSize(65_535).build()).build());
    }

    @AfterEach
    void stop() {
        this.pool.close();
        this.server.close();
    }

    private static byte[] content(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 9));
        }
        return b;
    }

    private void afterComesOnTheSameConnection() throws IOException {
        try (HotResponse after = this.pool.execute(HotRequest.get(this.server.after()))) {
            assertThat(after.body().readAllBytes()).asString().isEqualTo("after");
        }
        assertThat(this.pool.stats().created()).isEqualTo(1);
        assertThat(this.server.problems()).isEmpty();
    }

    @Test
    void paddingIsGivenBackToTheStreamsWindowAsReadBytesAre() throws IOException {
        // 400 frames of one byte and 255 of padding: 102,800 bytes of window for 400 bytes of body.
        byte[] body = content(400);
        try (HotResponse r = this.pool.execute(HotRequest.get(this.server.serve("padded",
                H2ResponseShape.of(body, 1, 255))))) {
            assertThat(r.body().readAllBytes()).isEqualTo(body);
        }
        afterComesOnTheSameConnection();
    }

    @Test
    void theBytesOfAStreamClosedBeforeItsEndAreGivenBackToTheConnectionsWindow() throws IOException {
        byte[] body = content(200_000);
        for (int i = 0; i < 3; i++) {
            try (HotResponse r = this.pool.execute(HotRequest.get(this.server.serve("big" + i,
                    H2ResponseShape.of(body, 13_107, -1))))) { // Five frames fill the window.
                InputStream in = r.body();
                assertThat(in.read()).isEqualTo(body[0] & 0xff);
                // Wait until the server has filled the connection's window: what the body holds unread.
                long until = System.nanoTime() + 3_000_000_000L;
                while (in.available() < 65_535 - 1 && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                assertThat(in.available()).isEqualTo(65_535 - 1);
            }
            assertThat(this.pool.stats().leased()).isZero();
        }
        afterComesOnTheSameConnection();
    }

    @Test
    void aStreamWhoseResponseEndedGoesBackWithoutAReadOfItsEnd() throws IOException {
        try (HotResponse r = this.pool.execute(HotRequest.get(this.server.serve("204",
                H2ResponseShape.empty(H2ResponseShape.Kind.NO_CONTENT, 0))))) {
            assertThat(r.status()).isEqualTo(204);
            assertThat(this.pool.stats().leased()).isZero();
        }
        try (HotResponse r = this.pool.execute(HotRequest.builder("HEAD", this.server.serve("head",
                H2ResponseShape.empty(H2ResponseShape.Kind.HEAD, 5000))).build())) {
            assertThat(r.header("content-length")).isEqualTo("5000");
            assertThat(this.pool.stats().leased()).isZero();
        }
        byte[] body = content(1000);
        try (HotResponse r = this.pool.execute(HotRequest.get(this.server.serve("exact",
                H2ResponseShape.of(body, 1000, -1))))) {
            assertThat(r.body().readNBytes(999)).isEqualTo(Arrays.copyOf(body, 999));
            assertThat(this.pool.stats().leased()).isEqualTo(1);
            assertThat(r.body().read()).isEqualTo(body[999] & 0xff);
            assertThat(this.pool.stats().leased()).as("its END_STREAM came with its last byte").isZero();
            assertThat(r.body().read()).isEqualTo(-1);
        }
        afterComesOnTheSameConnection();
    }

    @Test
    void aPeekedByteIsReadAgainAfterResetAsRestClientDoes() throws IOException {
        byte[] body = content(70_000);
        try (HotResponse r = this.pool.execute(HotRequest.get(this.server.serve("peek",
                H2ResponseShape.of(body, 10_000, -1))))) {
            InputStream in = r.body();
            assertThat(in.markSupported()).isTrue();
            in.mark(1);
            assertThat(in.read()).isEqualTo(body[0] & 0xff);
            in.reset();
            in.mark(Integer.MAX_VALUE);
            assertThat(in.readNBytes(30_000)).isEqualTo(Arrays.copyOf(body, 30_000));
            in.reset();
            assertThat(in.readAllBytes()).isEqualTo(body);
            assertThat(this.pool.stats().leased()).isZero();
            in.reset(); // The mark holds what was read since, also after the end.
            assertThat(in.readNBytes(5)).isEqualTo(Arrays.copyOf(body, 5));
            in.mark(2);
            in.readNBytes(3);
            assertThatThrownBy(in::reset).isInstanceOf(IOException.class).hasMessageContaining("without a valid mark");
        }
        afterComesOnTheSameConnection();
    }
}
