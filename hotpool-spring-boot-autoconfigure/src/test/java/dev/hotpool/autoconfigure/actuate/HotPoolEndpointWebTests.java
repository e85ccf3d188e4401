package dev.hotpool.autoconfigure.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.hotpool.HotPool;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user's view: an application with actuator sends HTTPS requests through the injected {@code RestClient},
 * then reads {@code /actuator/hotpool}, {@code /actuator/health} and {@code /actuator/metrics} over HTTP (with the
 * JDK's own client, so those calls do not count as pool traffic).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "hotpool.tls.bundle=test-server", "hotpool.max-conns-per-host=4",
                "management.endpoints.web.exposure.include=health,metrics,hotpool",
                "management.endpoint.health.show-details=always",
                "hotpool.hosts[localhost].max-connections=3", "hotpool.hosts[localhost].idle-timeout=45s",
                "hotpool.hosts[*.example.com].read-timeout=2s",
                "hotpool.hosts[*.example.com].health-check.probe-path=/health?token=s3cr3t-token-value" })
@DirtiesContext // Closes the pool (and its connections) with the class.
class HotPoolEndpointWebTests {

    private static final JsonMapper json = JsonMapper.builder().build();

    private static final String SECRET = "s3cr3t-token-value";

    /** Requests sent through hotpool by this class's tests. */
    private static final AtomicInteger sent = new AtomicInteger();

    private static Path dir;

    private static StubServer server;

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private RestClient.Builder restClientBuilder;

    @Autowired
    private HotPool pool;

    @BeforeAll
    static void startServer() throws IOException {
        TestCertificates certificates = TestCertificates.localhost(KeyType.EC);
        dir = Files.createTempDirectory("hotpool-actuator-test");
        certificates.writeTrustStore(dir.resolve("trust.p12"));
        server = StubServer.https(certificates.serverContext());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            FileSystemUtils.deleteRecursively(dir.toFile());
        }
    }

    @DynamicPropertySource
    static void sslBundle(DynamicPropertyRegistry registry) {
        registry.add("spring.ssl.bundle.jks.test-server.truststore.location",
                () -> dir.resolve("trust.p12").toUri().toString());
        registry.add("spring.ssl.bundle.jks.test-server.truststore.password",
                () -> new String(TestCertificates.PASSWORD));
        registry.add("spring.ssl.bundle.jks.test-server.truststore.type", () -> "PKCS12");
    }

    /**
     * Ten requests, the first of which holds its connection while a nested request runs, so two TLS connections
     * are opened; every request carries a secret in its query string and in a header.
     */
    private void traffic() {
        RestClient restClient = this.restClientBuilder.build();
        String nested = restClient.get().uri(server.uri("/outer?token=" + SECRET)).exchange((request, response) -> {
            sent.incrementAndGet();
            String inner = get(restClient, "/inner");
            response.getBody().readAllBytes();
            return inner;
        });
        assertThat(nested).isEqualTo("/inner?token=" + SECRET);
        for (int i = 0; i < 8; i++) {
            assertThat(get(restClient, "/" + i)).isEqualTo("/" + i + "?token=" + SECRET);
        }
    }

    private static String get(RestClient restClient, String path) {
        sent.incrementAndGet();
        return restClient.get()
            .uri(server.uri(path + "?token=" + SECRET))
            .header("Authorization", "Bearer " + SECRET)
            .header("Cookie", "session=" + SECRET)
            .retrieve()
            .body(String.class);
    }

    private String authority() {
        return "localhost:" + server.port();
    }

    @Test
    void endpointShowsEveryPartConsistentWithTheTraffic() throws Exception {
        traffic();

        JsonNode hotpool = read("/actuator/hotpool");

        assertThat(hotpool.propertyNames()).containsExactly("config", "connections", "requests", "handshakes",
                "closed", "hosts", "healthCheck", "tls");
        assertThat(server.connectionsAccepted()).isGreaterThanOrEqualTo(2);
        assertThat(hotpool.path("handshakes").path("total").asLong()).isEqualTo(server.connectionsAccepted());
        assertThat(hotpool.path("handshakes").path("failed").asLong()).isZero();
        assertThat(hotpool.path("handshakes").path("latency").path("count").asLong())
            .isEqualTo(server.connectionsAccepted());
        assertThat(hotpool.path("handshakes").path("latency").propertyNames()).contains("meanMillis", "maxMillis",
                "p50Millis", "p99Millis");

        JsonNode requests = hotpool.path("requests");
        assertThat(requests.path("total").asLong()).isEqualTo(sent.get()).isEqualTo(server.requestsServed());
        assertThat(requests.path("succeeded").asLong()).isEqualTo(sent.get());
        assertThat(requests.path("failed").asLong()).isZero();
        assertThat(requests.path("retried").asLong()).isZero();
        double expectedReuse = (sent.get() - server.connectionsAccepted()) / (double) sent.get();
        assertThat(requests.path("reuseRatio").asDouble()).isEqualTo(expectedReuse);

        JsonNode connections = hotpool.path("connections");
        assertThat(connections.propertyNames()).contains("total", "active", "idle", "pending", "max");
        assertThat(connections.path("total").asInt()).isEqualTo(this.pool.stats().total());
        assertThat(connections.path("active").asInt()).isZero();
        assertThat(connections.path("pending").asInt()).isZero();
        assertThat(connections.path("max").asInt()).isEqualTo(100);
        assertThat(connections.path("created").asLong()).isEqualTo(this.pool.stats().created());

        assertThat(hotpool.path("closed").propertyNames()).containsExactly("idle-timeout", "max-lifetime",
                "max-requests", "server-closed", "stale", "unhealthy", "ejected", "evicted", "error", "shutdown");

        JsonNode host = hotpool.path("hosts").path(authority());
        assertThat(host.path("requests").asLong()).isEqualTo(sent.get());
        assertThat(host.path("connections").asInt()).isEqualTo(this.pool.connections(origin()).size());
        JsonNode address = host.path("addresses").get(0);
        assertThat(address.propertyNames()).containsExactly("address", "connections", "ejected", "ejectedUntil",
                "consecutiveFailures");
        assertThat(address.path("address").asString()).isEqualTo("127.0.0.1");
        assertThat(address.path("connections").asInt()).isEqualTo(host.path("connections").asInt());
        assertThat(address.path("ejected").asBoolean()).isFalse();
        assertThat(address.path("ejectedUntil").isNull()).isTrue();

        assertThat(hotpool.path("healthCheck").propertyNames()).contains("lastRunAt", "lastDurationMillis", "checked",
                "closed", "warmed", "nextRunAt");
        assertThat(hotpool.path("healthCheck").path("nextRunAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        JsonNode tls = hotpool.path("tls");
        assertThat(tls.path("provider").asString()).isEqualTo("bc");
        assertThat(tls.path("profiles").path("default").path("ja4").asString()).startsWith("t13");
        assertThat(tls.path("profiles").path("default").path("ja3").asString()).isNotEmpty();

        JsonNode config = hotpool.path("config");
        assertThat(config.path("maxConnsPerHost").asInt()).isEqualTo(4);
        assertThat(config.path("idleTimeoutMillis").asLong()).isEqualTo(60_000);
        assertThat(config.path("healthCheckIntervalMillis").asLong()).isEqualTo(30_000);
        assertThat(config.path("tls").path("trust").asString()).isEqualTo("test-server");
    }

    @Test
    void endpointShowsEachHostPatternsEffectiveValuesAndTheValuesThatApplyToEachHost() throws Exception {
        traffic();

        JsonNode hotpool = read("/actuator/hotpool");

        JsonNode patterns = hotpool.path("config").path("hosts");
        assertThat(patterns.propertyNames()).containsExactly("localhost", "*.example.com");
        JsonNode localhost = patterns.path("localhost");
        assertThat(localhost.propertyNames()).containsExactly("pattern", "maxConnections", "idleTimeoutMillis",
                "maxLifetimeMillis", "minIdle", "tlsProfile", "probePath", "readTimeoutMillis",
                "connectTimeoutMillis");
        assertThat(localhost.path("maxConnections").asInt()).isEqualTo(3);
        assertThat(localhost.path("idleTimeoutMillis").asLong()).isEqualTo(45_000);
        assertThat(localhost.path("maxLifetimeMillis").asLong()).as("the pool's").isEqualTo(300_000);
        assertThat(localhost.path("readTimeoutMillis").asLong()).as("the pool's").isEqualTo(30_000);
        assertThat(localhost.path("tlsProfile").isNull()).isTrue();
        JsonNode wildcard = patterns.path("*.example.com");
        assertThat(wildcard.path("maxConnections").asInt()).as("the pool's max-conns-per-host").isEqualTo(4);
        assertThat(wildcard.path("readTimeoutMillis").asLong()).isEqualTo(2_000);
        assertThat(wildcard.path("probePath").asString()).as("without its query").isEqualTo("/health");
        assertThat(hotpool.toString()).doesNotContain(SECRET);

        JsonNode row = hotpool.path("hosts").path(authority());
        assertThat(row.path("connections").asInt()).isEqualTo(this.pool.connections(origin()).size());
        assertThat(row.path("settings").path("pattern").asString()).isEqualTo("localhost");
        assertThat(row.path("settings").path("maxConnections").asInt()).isEqualTo(3);
        assertThat(row.path("settings").path("idleTimeoutMillis").asLong()).isEqualTo(45_000);
        JsonNode detail = read("/actuator/hotpool/" + authority());
        assertThat(detail.path("settings")).isEqualTo(row.path("settings"));
    }

    @Test
    void hostDetailHasOneRowPerConnection() throws Exception {
        traffic();

        JsonNode host = read("/actuator/hotpool/" + authority());

        assertThat(host.path("host").asString()).isEqualTo(authority());
        assertThat(host.path("origins").get(0).asString()).isEqualTo("https://" + authority());
        JsonNode rows = host.path("connections");
        assertThat(rows.size()).isEqualTo(this.pool.connections(origin()).size()).isGreaterThanOrEqualTo(2);
        JsonNode row = rows.get(0);
        // The keys of the first release first, unchanged; then what HTTP/2 added (null for an HTTP/1.1 connection).
        assertThat(row.propertyNames()).containsExactly("id", "address", "state", "ageMillis", "idleMillis",
                "requests", "profile", "protocol", "cipher", "applicationProtocol", "streams", "streamLimit");
        assertThat(row.path("applicationProtocol").asString()).isEqualTo("http/1.1");
        assertThat(row.path("streams").isNull()).isTrue();
        assertThat(row.path("streamLimit").isNull()).isTrue();
        assertThat(row.path("address").asString()).startsWith("127.0.0.1:");
        assertThat(row.path("state").asString()).isEqualTo("idle");
        assertThat(row.path("profile").asString()).isEqualTo("default");
        assertThat(row.path("protocol").asString()).startsWith("TLSv1.");
        assertThat(row.path("cipher").asString()).startsWith("TLS_");
        List<String> shown = new ArrayList<>();
        for (JsonNode r : rows) {
            shown.add(r.path("id").asLong() + ":" + r.path("requests").asInt());
        }
        assertThat(shown).isEqualTo(this.pool.connections(origin()).stream().map((c) -> c.id() + ":" + c.requests())
            .toList());
    }

    @Test
    void anUnknownHostIsNotFound() throws Exception {
        assertThat(send(HttpRequest.newBuilder(actuator("/actuator/hotpool/unknown.example:443")).GET()).statusCode())
            .isEqualTo(404);
    }

    @Test
    void evictClosesTheIdleConnectionsOfOneHostOrOfAll() throws Exception {
        traffic();
        int idle = this.pool.stats().idle();
        long evictedBefore = read("/actuator/hotpool").path("closed").path("evicted").asLong();
        assertThat(idle).isGreaterThanOrEqualTo(2);

        JsonNode none = post("{\"host\":\"unknown.example:443\"}");
        assertThat(none.path("evicted").asInt()).isZero();
        JsonNode one = post("{\"host\":\"" + authority() + "\"}");
        assertThat(one.path("host").asString()).isEqualTo(authority());
        assertThat(one.path("evicted").asInt()).isEqualTo(idle);

        JsonNode after = read("/actuator/hotpool");
        assertThat(after.path("connections").path("idle").asInt()).isZero();
        assertThat(after.path("closed").path("evicted").asLong()).isEqualTo(evictedBefore + idle);

        traffic();
        JsonNode all = post(null);
        assertThat(all.path("host").isNull()).isTrue();
        assertThat(all.path("evicted").asInt()).isEqualTo(2);
        assertThat(this.pool.stats().idle()).isZero();
    }

    @Test
    void healthShowsHotpoolUpWithItsCounts() throws Exception {
        traffic();

        JsonNode hotpool = read("/actuator/health").path("components").path("hotpool");

        assertThat(hotpool.path("status").asString()).isEqualTo("UP");
        assertThat(hotpool.path("details").path("connections").asInt()).isEqualTo(this.pool.stats().total());
        assertThat(hotpool.path("details").path("requests").asLong()).isEqualTo(sent.get());
        assertThat(hotpool.path("details").propertyNames()).contains("active", "idle", "pending", "maxConnections",
                "hosts", "failedRequests");
    }

    @Test
    void metersAgreeWithTheEndpoint() throws Exception {
        traffic();

        JsonNode hotpool = read("/actuator/hotpool");

        assertThat(measurement("hotpool.connections.created", "pool:hotpool", "COUNT"))
            .isEqualTo(hotpool.path("connections").path("created").asDouble());
        assertThat(measurement("hotpool.connections.closed", "reason:evicted", "COUNT"))
            .isEqualTo(hotpool.path("closed").path("evicted").asDouble());
        assertThat(measurement("hotpool.tls.handshake", "outcome:success", "COUNT"))
            .isEqualTo(hotpool.path("handshakes").path("total").asDouble());
        assertThat(measurement("hotpool.connections.acquire", "pool:hotpool", "COUNT")).isEqualTo(sent.get());
        assertThat(measurement("hotpool.connections.usage", "pool:hotpool", "COUNT")).isEqualTo(sent.get());
        assertThat(measurement("hotpool.connections", "state:idle", "VALUE"))
            .isEqualTo(hotpool.path("connections").path("idle").asDouble());
        assertThat(measurement("hotpool.connections", "state:active", "VALUE")).isZero();
        assertThat(measurement("hotpool.connections.max", "pool:hotpool", "VALUE"))
            .isEqualTo(hotpool.path("connections").path("max").asDouble());
        assertThat(measurement("hotpool.connections.timeout", "pool:hotpool", "COUNT")).isZero();
        assertThat(measurement("hotpool.address.ejections", "pool:hotpool", "COUNT")).isZero();
    }

    @Test
    void noQueryStringHeaderOrCookieIsShown() throws Exception {
        traffic();

        List<String> bodies = new ArrayList<>();
        for (String path : List.of("/actuator/hotpool", "/actuator/hotpool/" + authority(), "/actuator/health")) {
            bodies.add(send(HttpRequest.newBuilder(actuator(path)).GET()).body());
        }

        assertThat(bodies).allSatisfy((body) -> assertThat(body).doesNotContain(SECRET, "token", "Bearer",
                "session"));
    }

    private dev.hotpool.Origin origin() {
        return dev.hotpool.Origin.of(server.uri("/"));
    }

    private double measurement(String meter, String tag, String statistic) throws Exception {
        JsonNode metric = read("/actuator/metrics/" + meter + "?tag=" + tag);
        for (JsonNode m : metric.path("measurements")) {
            if (m.path("statistic").asString().equals(statistic)) {
                return m.path("value").asDouble();
            }
        }
        throw new AssertionError("no " + statistic + " in " + metric);
    }

    private JsonNode read(String path) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(actuator(path)).GET());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private JsonNode post(String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(actuator("/actuator/hotpool"));
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        else {
            // No body: the content type is still needed, as the operation takes an (optional) argument.
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = send(request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return this.http.send(request.header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI actuator(String path) {
        return URI.create("http://localhost:" + this.port + path);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApplication {

    }
}
