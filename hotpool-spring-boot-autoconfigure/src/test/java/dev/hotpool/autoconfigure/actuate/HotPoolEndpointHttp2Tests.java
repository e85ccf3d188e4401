package dev.hotpool.autoconfigure.actuate;

import java.util.List;

import dev.hotpool.ConnectionInfo;
import dev.hotpool.autoconfigure.HotPoolAutoConfiguration;
import dev.hotpool.testsupport.H2TestServer;
import dev.hotpool.testsupport.StubServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /actuator/hotpool/{host:port}} of a host whose connections speak HTTP/2 ({@code h2c} by prior knowledge
 * here) beside one speaking HTTP/1.1: each row says which, and the HTTP/2 one its streams and stream limit.
 */
class HotPoolEndpointHttp2Tests {

    private static final JsonMapper json = JsonMapper.builder().build();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class, HotPoolActuatorAutoConfiguration.class,
                SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
                ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class))
        .withPropertyValues("management.endpoints.web.exposure.include=hotpool", "hotpool.proxy.enabled=false",
                "hotpool.protocols=h2,http/1.1", "hotpool.hosts[127.0.0.1].protocols=h2c");

    @Test
    void eachConnectionRowShowsItsProtocolAndAnHttp2OneItsStreams() throws Exception {
        try (H2TestServer h2 = H2TestServer.h2c(H2TestServer.respond(200, "over h2c"));
                StubServer h1 = StubServer.http()) {
            this.contextRunner.run((context) -> {
                RestClient client = context.getBean(RestClient.Builder.class).build();
                String h2Url = "http://127.0.0.1:" + h2.port() + "/a";
                assertThat(client.get().uri(h2Url).retrieve().body(String.class)).isEqualTo("over h2c");
                assertThat(client.get().uri(h2Url).retrieve().body(String.class)).isEqualTo("over h2c");
                assertThat(client.get().uri(h1.uri("/b")).retrieve().body(String.class)).isEqualTo("/b");
                HotPoolEndpoint endpoint = context.getBean(HotPoolEndpoint.class);

                List<ConnectionInfo> h2Rows = endpoint.host("127.0.0.1:" + h2.port()).connections();
                assertThat(h2Rows).hasSize(1);
                ConnectionInfo row = h2Rows.get(0);
                assertThat(row.applicationProtocol()).isEqualTo("h2");
                assertThat(row.protocol()).isEqualTo("TCP");
                assertThat(row.streams()).isZero();
                assertThat(row.streamLimit()).as("the server's SETTINGS_MAX_CONCURRENT_STREAMS").isEqualTo(100);
                assertThat(row.requests()).isEqualTo(2);
                JsonNode h2Json = json.valueToTree(row);
                assertThat(h2Json.propertyNames()).containsExactly("id", "address", "state", "ageMillis",
                        "idleMillis", "requests", "profile", "protocol", "cipher", "applicationProtocol", "streams",
                        "streamLimit");
                assertThat(h2Json.path("applicationProtocol").asString()).isEqualTo("h2");
                assertThat(h2Json.path("streamLimit").asInt()).isEqualTo(100);

                ConnectionInfo h1Row = endpoint.host("localhost:" + h1.port()).connections().get(0);
                assertThat(h1Row.applicationProtocol()).isEqualTo("http/1.1");
                assertThat(h1Row.streams()).isNull();
                assertThat(h1Row.streamLimit()).isNull();
            });
        }
    }
}
