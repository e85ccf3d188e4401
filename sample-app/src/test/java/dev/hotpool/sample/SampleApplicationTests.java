package dev.hotpool.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.hotpool.HotPool;
import dev.hotpool.spring.HotPoolClientHttpRequestFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a newcomer runs it: the embedded HTTPS upstream answers through the pool, {@code /demo} shows hot
 * calls opening no connection (counted on the server too), the aggregator's parallel calls reuse connections, and
 * the actuator answers. The health check is pushed out of the test's way so the counts are the test's own.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.upstream.port=0", "hotpool.health-check-interval=1h" })
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @LocalServerPort
    private int port;

    @Autowired
    private RestClient.Builder restClientBuilder;

    @Autowired
    private RestClient upstreamRestClient;

    @Autowired
    private RestTemplate upstreamRestTemplate;

    @Autowired
    private EmbeddedUpstream upstream;

    @Autowired
    private UpstreamProperties upstreamProperties;

    @Autowired
    private HotPool pool;

    private RestClient app;

    @BeforeEach
    void setUp() throws InterruptedException {
        this.app = this.restClientBuilder.baseUrl("http://localhost:" + this.port).build();
        assertThat(this.pool.awaitWarmup(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void callsTheEmbeddedUpstreamOverTlsOnTheWarmConnections() {
        assertThat(this.upstreamProperties.getUrl()).isEqualTo("https://localhost:" + this.upstream.port());
        assertThat(this.upstream.port()).isNotEqualTo(EmbeddedUpstream.DEFAULT_PORT).isPositive();
        long accepted = this.upstream.connectionsAccepted();
        String profile = this.upstreamRestClient.get().uri("/api/profile").retrieve().body(String.class);
        assertThat(profile).contains("Ada Lovelace");
        // Warm-up had connected (and probed /health); the call took one of those connections.
        assertThat(accepted).isGreaterThanOrEqualTo(2);
        assertThat(this.upstream.connectionsAccepted()).isEqualTo(accepted);
    }

    @Test
    void demoShowsHotCallsMakeNoNewConnection() {
        Map<String, Object> demo = this.app.get().uri("/demo").retrieve().body(JSON);
        assertThat(demo).containsEntry("called", this.upstreamProperties.getUrl() + "/api/profile");
        Map<String, Object> cold = map(demo.get("cold"));
        Map<String, Object> hot = map(demo.get("hot"));
        assertThat(map(cold.get("counts"))).containsEntry("newConnections", 1)
            .containsEntry("handshakes", 1)
            .containsEntry("upstreamConnectionsAccepted", 1);
        assertThat(hot).containsEntry("calls", PoolDemo.HOT_CALLS);
        assertThat(map(hot.get("counts"))).containsEntry("newConnections", 0)
            .containsEntry("handshakes", 0)
            .containsEntry("upstreamConnectionsAccepted", 0);
        assertThat(((Number) cold.get("medianMillis")).doubleValue()).isPositive();
        assertThat(((Number) hot.get("medianMillis")).doubleValue()).isPositive();
    }

    @Test
    void aggregatorFansOutOverAFewKeptAliveConnections() {
        long accepted = this.upstream.connectionsAccepted();
        long answered = this.upstream.requestsAnswered();
        int pages = 30;
        for (int i = 0; i < pages; i++) {
            Map<String, Object> page = this.app.get().uri("/aggregate").retrieve().body(JSON);
            List<Map<String, Object>> parts = list(page.get("parts"));
            assertThat(parts).extracting((part) -> part.get("path"))
                .containsExactly("/api/profile", "/api/orders", "/api/recommendations");
            assertThat(parts).allSatisfy((part) -> assertThat(part).containsEntry("status", 200));
        }
        assertThat(this.upstream.requestsAnswered() - answered).isEqualTo(3L * pages);
        // Three calls at a time: at most three connections were ever needed, and warm-up had made two.
        assertThat(this.upstream.connectionsAccepted() - accepted).isLessThanOrEqualTo(1);
    }

    @Test
    void anHttpInterfaceOfTheUpstreamGroupRunsOnTheWarmConnections() {
        long accepted = this.upstream.connectionsAccepted();
        long leases = this.pool.stats().leases();

        Map<String, Object> profile = this.app.get().uri("/profile").retrieve().body(JSON);

        assertThat(profile).containsEntry("name", "Ada Lovelace");
        assertThat(this.pool.stats().leases()).isGreaterThan(leases);
        assertThat(this.upstream.connectionsAccepted()).as("no new connection").isEqualTo(accepted);
    }

    @Test
    void restClientAndRestTemplateRunOnHotpool() {
        assertThat(this.upstreamRestTemplate.getRequestFactory()).isInstanceOf(HotPoolClientHttpRequestFactory.class);
        long leases = this.pool.stats().leases();
        assertThat(this.upstreamRestTemplate.getForObject("/api/orders", String.class)).contains("o-1001");
        assertThat(this.upstreamRestClient.get().uri("/api/orders").retrieve().body(String.class)).contains("o-1002");
        assertThat(this.pool.stats().leases() - leases).isEqualTo(2);
    }

    @Test
    void actuatorShowsThePoolAndItsHealth() {
        Map<String, Object> hotpool = this.app.get().uri("/actuator/hotpool").retrieve().body(JSON);
        assertThat(map(hotpool.get("hosts"))).containsKey("localhost:" + this.upstream.port());
        assertThat(map(map(hotpool.get("tls")).get("profiles"))).containsKey("modern");
        Map<String, Object> host = this.app.get()
            .uri("/actuator/hotpool/localhost:" + this.upstream.port())
            .retrieve()
            .body(JSON);
        assertThat(list(host.get("connections"))).isNotEmpty()
            .allSatisfy((connection) -> assertThat(connection).containsEntry("protocol", "TLSv1.3")
                .containsEntry("profile", "modern"));
        Map<String, Object> health = this.app.get().uri("/actuator/health").retrieve().body(JSON);
        assertThat(health).containsEntry("status", "UP");
        assertThat(map(map(health.get("components")).get("hotpool"))).containsEntry("status", "UP");
        Map<String, Object> meter = this.app.get()
            .uri("/actuator/metrics/hotpool.connections")
            .retrieve()
            .body(JSON);
        assertThat(meter).containsEntry("name", "hotpool.connections");
    }

    @Test
    void logsWhereToLookOnStartup(CapturedOutput output) {
        String app = "http://localhost:" + this.port;
        assertThat(output).contains("it calls https://localhost:" + this.upstream.port() + " (its embedded upstream)")
            .contains("status page:  " + app + "/")
            .contains(app + "/actuator/hotpool")
            .contains(app + "/actuator/health")
            .contains(app + "/actuator/metrics/hotpool.connections");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
