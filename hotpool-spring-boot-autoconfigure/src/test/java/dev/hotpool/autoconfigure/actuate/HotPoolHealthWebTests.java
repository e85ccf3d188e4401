package dev.hotpool.autoconfigure.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.hotpool.HotPool;
import dev.hotpool.testsupport.StubServer;
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
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /actuator/health} over HTTP: the {@code hotpool} contributor is UP while the pool serves, DOWN once closed. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.show-details=always" })
@DirtiesContext // The test closes the pool: the context must not be reused.
class HotPoolHealthWebTests {

    private static final JsonMapper json = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private RestClient.Builder restClientBuilder;

    @Autowired
    private HotPool pool;

    @Test
    void hotpoolIsUpWhileThePoolServesAndDownOnceItIsClosed() throws Exception {
        try (StubServer server = StubServer.http()) {
            assertThat(this.restClientBuilder.build().get().uri(server.uri("/up")).retrieve().body(String.class))
                .isEqualTo("/up");

            HttpResponse<String> up = get("/actuator/health/hotpool");
            assertThat(up.statusCode()).isEqualTo(200);
            JsonNode upBody = json.readTree(up.body());
            assertThat(upBody.path("status").asString()).isEqualTo("UP");
            assertThat(upBody.path("details").path("requests").asLong()).isEqualTo(1);
            assertThat(upBody.path("details").path("idle").asInt()).isEqualTo(1);

            this.pool.close();

            HttpResponse<String> down = get("/actuator/health/hotpool");
            assertThat(down.statusCode()).isEqualTo(503);
            JsonNode downBody = json.readTree(down.body());
            assertThat(downBody.path("status").asString()).isEqualTo("DOWN");
            assertThat(downBody.path("details").path("reason").asString()).isEqualTo("the pool is closed");
            assertThat(downBody.path("details").path("connections").asInt()).isZero();
            assertThat(get("/actuator/health").statusCode()).isEqualTo(503);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
            .header("Accept", "application/json")
            .GET()
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApplication {

    }
}
