package dev.hotpool.sample;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.hotpool.ConnectionInfo;
import dev.hotpool.Header;
import dev.hotpool.HotPool;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Origin;
import dev.hotpool.internal.http2.Frame;
import dev.hotpool.internal.http2.FrameType;
import dev.hotpool.internal.http2.Setting;
import dev.hotpool.testsupport.H2TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page shows both kinds of connection: beside the embedded upstream's HTTP/1.1 ones, an HTTP/2 connection
 * (h2c, to a scripted server that allows 8 streams and holds the first response open after its head) is shown as
 * {@code h2} with its one stream of 8, and its host with its streams in use against their limit.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.upstream.port=0", "hotpool.health-check-interval=1h",
                "hotpool.hosts[127.0.0.1].protocols=h2c" })
class StatusPageHttp2BrowserTests {

    /** A connection row: id, state, HTTP version, and for HTTP/2 its streams and their limit. */
    private static final Pattern ROW = Pattern.compile("<tr class=\"conn\" data-id=\"(\\d+)\" data-state=\"(\\w+)\" "
            + "data-http=\"([^\"]+)\"(?: data-streams=\"(\\d+)\" data-stream-limit=\"(\\d+)\")?>");

    private static final CountDownLatch release = new CountDownLatch(1);

    private static H2TestServer h2;

    @LocalServerPort
    private int port;

    @Autowired
    private HotPool pool;

    @Autowired
    private EmbeddedUpstream upstream;

    @BeforeAll
    static void startHttp2Server() throws IOException {
        h2 = H2TestServer.h2c((peer) -> {
            peer.handshake(List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 8),
                    new Setting(Setting.INITIAL_WINDOW_SIZE, 65535)));
            int held = -1;
            while (held < 0) {
                Frame f = peer.readFrame();
                if (f.type() == FrameType.HEADERS) {
                    peer.readBlock(f);
                    held = f.streamId();
                }
                else if (f.type() == FrameType.SETTINGS && !f.isAck()) {
                    peer.settingsAck();
                }
            }
            peer.headers(held, List.of(new Header(":status", "200")), false);
            try {
                release.await(60, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            peer.data(held, "held".getBytes(StandardCharsets.US_ASCII), true);
            peer.serve((request) -> H2TestServer.Response.of(200, "next"));
        });
    }

    @AfterAll
    static void stopHttp2Server() {
        release.countDown();
        if (h2 != null) {
            h2.close();
        }
    }

    @Test
    void anHttp2ConnectionIsShownAsH2WithItsStreamsBesideTheHttp11Ones(@TempDir Path userDataDir) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.installed();
        assertThat(this.pool.awaitWarmup(Duration.ofSeconds(30))).isTrue();
        URI uri = URI.create("http://127.0.0.1:" + h2.port() + "/held");
        String dom;
        try (HotResponse held = this.pool.execute(HotRequest.get(uri))) {
            assertThat(held.status()).isEqualTo(200);
            List<ConnectionInfo> rows = this.pool.connections(Origin.of(uri));
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).streams()).isEqualTo(1);

            dom = chromium.dumpDom("http://localhost:" + this.port + "/", userDataDir, 3000);

            release.countDown();
            try (InputStream body = held.body()) {
                assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("held");
            }
        }

        int h2Rows = 0;
        int h1Rows = 0;
        Matcher row = ROW.matcher(dom);
        while (row.find()) {
            if (row.group(3).equals("h2")) {
                h2Rows++;
                assertThat(row.group(1)).isEqualTo(Long.toString(
                        this.pool.connections(Origin.of(uri)).get(0).id()));
                assertThat(row.group(2)).isEqualTo("leased");
                assertThat(row.group(4)).as("streams").isEqualTo("1");
                assertThat(row.group(5)).as("stream limit").isEqualTo("8");
            }
            else {
                h1Rows++;
                assertThat(row.group(3)).isEqualTo("http/1.1");
                assertThat(row.group(4)).as("no streams on HTTP/1.1").isNull();
            }
        }
        assertThat(h2Rows).isEqualTo(1);
        assertThat(h1Rows).as("the embedded upstream's warm connections").isGreaterThanOrEqualTo(2);
        assertThat(dom).contains("data-host=\"127.0.0.1:" + h2.port() + "\"")
            .contains("data-host=\"localhost:" + this.upstream.port() + "\"")
            .contains("<span class=\"meta streams\" data-streams=\"1\" data-stream-limit=\"8\">")
            .contains("1 of 8 streams")
            .doesNotContain("Cannot read the pool");
    }
}
