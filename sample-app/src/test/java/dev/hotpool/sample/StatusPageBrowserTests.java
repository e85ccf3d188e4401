package dev.hotpool.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.hotpool.ConnectionInfo;
import dev.hotpool.HotPool;
import dev.hotpool.PoolStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page in a real browser: headless Chromium loads {@code /} from the running application, its script
 * reads {@code /actuator/hotpool}, and the rendered DOM has one row per live connection, with the pool's ids and
 * states, under the upstream's host, next to the address table and the profile's JA4.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.upstream.port=0", "hotpool.health-check-interval=1h" })
class StatusPageBrowserTests {

    private static final Pattern CONNECTION_ROW = Pattern
        .compile("<tr class=\"conn\" data-id=\"(\\d+)\" data-state=\"(\\w+)\">");

    @LocalServerPort
    private int port;

    @Autowired
    private HotPool pool;

    @Autowired
    private EmbeddedUpstream upstream;

    @Autowired
    private RestClient.Builder restClientBuilder;

    @Test
    void rendersARowPerLiveConnection(@TempDir Path userDataDir) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.installed();
        assertThat(this.pool.awaitWarmup(Duration.ofSeconds(30))).isTrue();
        RestClient app = this.restClientBuilder.baseUrl("http://localhost:" + this.port).build();
        app.get().uri("/aggregate").retrieve().toBodilessEntity();
        app.get().uri("/aggregate").retrieve().toBodilessEntity();

        List<String> expected = new ArrayList<>();
        for (PoolStats.HostStats host : this.pool.stats().hosts()) {
            for (ConnectionInfo connection : this.pool.connections(host.origin())) {
                expected.add(connection.id() + ":" + connection.state());
            }
        }
        assertThat(expected).hasSizeGreaterThanOrEqualTo(2);

        String dom = chromium.dumpDom("http://localhost:" + this.port + "/", userDataDir, 3000);

        List<String> rendered = new ArrayList<>();
        Matcher row = CONNECTION_ROW.matcher(dom);
        while (row.find()) {
            rendered.add(row.group(1) + ":" + row.group(2));
        }
        assertThat(rendered).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(dom).contains("data-host=\"localhost:" + this.upstream.port() + "\"")
            .contains("data-address=\"127.0.0.1\"")
            .contains("<tr data-profile=\"modern\">")
            .contains("t13d0307h1_")
            .doesNotContain("Cannot read the pool");
    }
}
