package dev.hotpool.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.hotpool.HotPool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard in the repository ({@code dashboards/hotpool.json}) against what the sample app really
 * exposes: after traffic, {@code /actuator/prometheus} is scraped and every metric a panel or a variable queries must
 * be there, with every label the query selects, groups by or shows in its legend. A renamed meter or tag breaks this
 * test, not a dashboard. The app runs with its own settings: per-host tags on, the acquire timer's histogram on.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.upstream.port=0", "hotpool.health-check-interval=1h",
                "management.prometheus.metrics.export.enabled=true" })
class GrafanaDashboardTests {

    private static final Path DASHBOARD = Path.of("..", "dashboards", "hotpool.json");

    /** A metric in a query: hotpool's, or OpenTelemetry's names. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:hotpool|http_client)_[a-z_]+)\\b(\\{[^}]*\\})?");

    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"");

    private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");

    private static final Pattern LEGEND = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\}\\}");

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*([a-zA-Z_]+)\\s*\\)");

    /** A sample line of the exposition format: {@code name{label="value",…} value}. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s");

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    private static final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    private int port;

    @Autowired
    private HotPool pool;

    @Autowired
    private RestClient.Builder restClientBuilder;

    /** Per metric name in the scrape: the label names its series carry. */
    private final Map<String, Set<String>> scraped = new HashMap<>();

    @BeforeEach
    void trafficThenScrape() throws Exception {
        assertThat(this.pool.awaitWarmup(Duration.ofSeconds(30))).isTrue();
        RestClient app = this.restClientBuilder.baseUrl("http://localhost:" + this.port).build();
        for (int i = 0; i < 3; i++) {
            app.get().uri("/aggregate").retrieve().toBodilessEntity();
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + this.port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        for (String line : response.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Set<String> labels = this.scraped.computeIfAbsent(m.group(1), (k) -> new HashSet<>());
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.add(l.group(1));
                }
            }
        }
    }

    @Test
    void everyMetricTheDashboardQueriesExistsWithTheLabelsItUses() throws Exception {
        JsonNode dashboard = json.readTree(Files.readString(DASHBOARD));
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asString() + " LEGEND " + target.path("legendFormat").asString());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String query = variable.path("query").path("query").asString();
            Matcher m = LABEL_VALUES.matcher(query);
            if (m.find()) {
                queries.add(m.group(1) + " by (" + m.group(2) + ")");
            }
        }
        assertThat(queries).hasSizeGreaterThanOrEqualTo(20);

        List<String> problems = new ArrayList<>();
        Set<String> metricsUsed = new LinkedHashSet<>();
        for (String query : queries) {
            String expr = query.split(" LEGEND ", 2)[0];
            Set<String> grouped = new HashSet<>();
            Matcher by = BY.matcher(expr);
            while (by.find()) {
                for (String label : by.group(1).split(",")) {
                    grouped.add(label.trim());
                }
            }
            Matcher legend = LEGEND.matcher(query);
            while (legend.find()) {
                grouped.add(legend.group(1));
            }
            Matcher metric = METRIC.matcher(expr);
            int found = 0;
            while (metric.find()) {
                found++;
                String name = metric.group(1);
                metricsUsed.add(name);
                Set<String> labels = this.scraped.get(name);
                if (labels == null) {
                    problems.add(name + " is not in the scrape (query: " + expr + ")");
                    continue;
                }
                Set<String> used = new HashSet<>(grouped);
                if (metric.group(2) != null) {
                    Matcher matcher = MATCHER.matcher(metric.group(2));
                    while (matcher.find()) {
                        used.add(matcher.group(1));
                    }
                }
                used.removeAll(labels);
                if (!used.isEmpty()) {
                    problems.add(name + " has no label " + used + " (it has " + labels + "; query: " + expr + ")");
                }
            }
            if (found == 0) {
                problems.add("no hotpool metric in: " + expr);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(metricsUsed).contains("hotpool_connections", "hotpool_connections_max_connections",
                "hotpool_connections_acquire_seconds_bucket", "hotpool_connections_timeout_total",
                "hotpool_connections_created_connections_total", "hotpool_connections_closed_connections_total",
                "hotpool_connect_seconds_count", "hotpool_tls_handshake_seconds_count",
                "hotpool_address_ejections_total", "hotpool_streams_active", "hotpool_streams_limit",
                "hotpool_streams_wait_seconds_count", "hotpool_streams_wait_seconds_max");
    }

    @Test
    void theCheckWouldCatchARenamedMeterOrTag() {
        assertThat(this.scraped).doesNotContainKey("hotpool_connection_acquire_seconds_count");
        assertThat(this.scraped.get("hotpool_connections")).contains("pool", "host", "state")
            .doesNotContain("address");
        assertThat(this.scraped.get("hotpool_tls_handshake_seconds_count")).contains("outcome", "profile", "host",
                "protocol");
        assertThat(this.scraped.get("hotpool_connect_seconds_count")).contains("outcome", "host", "protocol");
        assertThat(this.scraped.get("hotpool_streams_active")).contains("pool", "host");
    }
}
