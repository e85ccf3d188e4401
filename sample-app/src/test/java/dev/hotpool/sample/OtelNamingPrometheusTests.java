package dev.hotpool.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.hotpool.HotPool;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hotpool.metrics.naming=otel} as Prometheus scrapes it: the OpenTelemetry names and attributes, with the
 * warm connections to the embedded upstream counted idle under {@code server.address} / {@code server.port}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.upstream.port=0", "hotpool.health-check-interval=1h", "hotpool.metrics.naming=otel",
                "management.prometheus.metrics.export.enabled=true" })
class OtelNamingPrometheusTests {

    @LocalServerPort
    private int port;

    @Autowired
    private HotPool pool;

    @Autowired
    private EmbeddedUpstream upstream;

    @Test
    void openConnectionsAreScrapedWithTheSemanticConventionsNames() throws Exception {
        assertThat(this.pool.awaitWarmup(Duration.ofSeconds(30))).isTrue();
        String scrape = scrapeShowingTheWarmConnections();

        int idle = this.pool.stats().idle();
        assertThat(idle).isPositive();
        assertThat(scrape).contains("http_client_open_connections{http_connection_state=\"idle\",pool=\"hotpool\","
                + "server_address=\"localhost\",server_port=\"" + this.upstream.port() + "\"} " + idle + ".0")
            .contains("http_client_open_connections{http_connection_state=\"active\",pool=\"hotpool\","
                + "server_address=\"localhost\",server_port=\"" + this.upstream.port() + "\"} 0.0")
            // protocol: what the connection agreed; the embedded upstream (the JDK's HttpsServer) has no ALPN.
            .contains("hotpool_connect_seconds_count{outcome=\"success\",pool=\"hotpool\",protocol=\"none\","
                + "server_address=\"localhost\"")
            .doesNotContain(",state=\"idle\"")
            .doesNotContain("host=\"");
        assertThat(scrape).as("leases waiting keep hotpool's name").containsPattern("hotpool_connections\\{pool=\"hotpool\",server_address=\"localhost\","
                + "server_port=\"\\d+\",state=\"pending\"\\} 0.0");
    }

    /**
     * A scrape whose idle gauge counts the warm connections: the gauges read a snapshot of the pool at most a second
     * old, which may have been taken before the warm-up ended; scrapes again until a fresh one shows them (10 s at
     * most, then the last scrape).
     */
    private String scrapeShowingTheWarmConnections() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://localhost:" + this.port + "/actuator/prometheus")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String scrape = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
            String idle = "http_client_open_connections{http_connection_state=\"idle\",pool=\"hotpool\","
                    + "server_address=\"localhost\",server_port=\"" + this.upstream.port() + "\"} "
                    + this.pool.stats().idle() + ".0";
            if (scrape.contains(idle) || System.nanoTime() - deadline > 0) {
                return scrape;
            }
            Thread.sleep(50);
        }
    }
}
