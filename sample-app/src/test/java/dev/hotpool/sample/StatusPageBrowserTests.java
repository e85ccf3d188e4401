package dev.hotpool.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page in a real browser: headless Chromium loads {@code /} from the running application, its script
 * reads {@code /actuator/hotpool}, and the rendered DOM has one row per live connection, with the pool's ids and
 * states, under the upstream's host, next to the address table and the profile's JA4; and the charts of the last
 * minutes (uPlot, from the app's {@code /history}) are drawn, per host too, their last point showing the endpoint's
 * counts.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.upstream.port=0", "hotpool.health-check-interval=1h" })
class StatusPageBrowserTests {

    private static final Pattern CONNECTION_ROW = Pattern
        .compile("<tr class=\"conn\" data-id=\"(\\d+)\" data-state=\"(\\w+)\"[^>]*>");

    /** A chart's element: {@code <div class="chart…" id="…" …>}. */
    private static final Pattern CHART = Pattern.compile("<div class=\"chart[^\"]*\" id=\"([^\"]+)\"[^>]*>");

    private static final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    private int port;

    @Autowired
    private PoolHistory history;

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

    @Test
    void chartsOfTheLastMinutesAreDrawnAndTheirLastPointIsTheEndpointsCounts(@TempDir Path userDataDir)
            throws Exception {
        HeadlessChromium chromium = HeadlessChromium.installed();
        assertThat(this.pool.awaitWarmup(Duration.ofSeconds(30))).isTrue();
        RestClient app = this.restClientBuilder.baseUrl("http://localhost:" + this.port).build();
        for (int i = 0; i < 5; i++) {
            app.get().uri("/aggregate").retrieve().toBodilessEntity();
        }
        // The traffic is over: wait for a sample that saw all of it, then for one more (the page opens late).
        long requests = this.pool.traffic().requests();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(this.history.latest() != null && this.history.latest().requests() == requests
                && this.history.after(0).stream().filter((s) -> s.requests() == requests).count() >= 2)) {
            assertThat(System.nanoTime()).as("a sample with every request").isLessThan(deadline);
            Thread.sleep(100);
        }
        int samplesBefore = this.history.after(0).size();

        String dom = chromium.dumpDom("http://localhost:" + this.port + "/", userDataDir, 3000);
        JsonNode endpoint = endpoint("/actuator/hotpool");

        assertThat(dom).doesNotContain("Cannot read the history").doesNotContain("uPlot did not load");
        java.util.Map<String, String> charts = new java.util.LinkedHashMap<>();
        Matcher chart = CHART.matcher(dom);
        while (chart.find()) {
            charts.put(chart.group(1), chart.group());
        }
        String host = "localhost:" + this.upstream.port();
        assertThat(charts).containsKeys("chart-requests", "chart-connections", "chart-handshakes", "chart-acquire",
                "host-chart-" + host);
        for (String tag : charts.values()) {
            assertThat(Integer.parseInt(attribute(tag, "data-series-pixels"))).as("series drawn: " + tag)
                .isPositive();
            assertThat(last(tag).path("points").asInt()).as("the minutes before the page opened")
                .isGreaterThanOrEqualTo(samplesBefore);
        }

        JsonNode connections = last(charts.get("chart-connections"));
        JsonNode counts = endpoint.path("connections");
        assertThat(connections.path("leased").asInt()).isEqualTo(counts.path("active").asInt());
        assertThat(connections.path("idle").asInt()).isEqualTo(counts.path("idle").asInt()).isPositive();
        assertThat(connections.path("connecting").asInt()).isEqualTo(counts.path("connecting").asInt());
        assertThat(connections.path("waiting").asInt()).isEqualTo(counts.path("pending").asInt());
        assertThat(last(charts.get("chart-requests")).path("total").asLong())
            .isEqualTo(endpoint.path("requests").path("total").asLong()).isEqualTo(requests);
        assertThat(last(charts.get("chart-handshakes")).path("total").asLong())
            .isEqualTo(endpoint.path("handshakes").path("total").asLong());
        JsonNode perHost = last(charts.get("host-chart-" + host));
        assertThat(perHost.path("idle").asInt()).isEqualTo(endpoint.path("hosts").path(host).path("idle").asInt());
        assertThat(perHost.path("leased").asInt())
            .isEqualTo(endpoint.path("hosts").path(host).path("active").asInt());
    }

    private static String attribute(String tag, String name) {
        Matcher m = Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(tag);
        assertThat(m.find()).as(name + " in " + tag).isTrue();
        return m.group(1).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static JsonNode last(String tag) {
        return json.readTree(attribute(tag, "data-last"));
    }

    /** Read with the JDK's client, so that it is no request of the pool's. */
    private JsonNode endpoint(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }
}
