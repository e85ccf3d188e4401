package dev.hotpool.autoconfigure.actuate;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.Origin;
import dev.hotpool.ProxySettings;
import dev.hotpool.autoconfigure.HotPoolAutoConfiguration;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hotpool.proxy.*}: the properties reach the pool, invalid values fail the startup naming the property, and a
 * {@code RestClient} goes through the proxy while the endpoint and the health details name it without its
 * credentials.
 */
class HotPoolProxyTests {

    private static final String PASSWORD = "pr0xy-Pa55word";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class, HotPoolActuatorAutoConfiguration.class,
                SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
                ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class))
        .withPropertyValues("management.endpoints.web.exposure.include=hotpool",
                "management.endpoint.health.show-details=always");

    @Test
    void proxyPropertiesReachThePool() {
        this.contextRunner
            .withPropertyValues("hotpool.proxy.url=http://proxy.internal:3128", "hotpool.proxy.username=svc",
                    "hotpool.proxy.password=" + PASSWORD, "hotpool.proxy.non-proxy-hosts=*.internal,10.0.0.0/8,localhost")
            .run((context) -> {
                ProxySettings proxy = context.getBean(HotPool.class).config().proxy();
                assertThat(proxy.proxy().authority()).isEqualTo("proxy.internal:3128");
                assertThat(proxy.proxy().hasCredentials()).isTrue();
                assertThat(proxy.nonProxyHosts()).containsExactly("*.internal", "10.0.0.0/8", "localhost");
                assertThat(proxy.select(Origin.parse("https://api.internal"))).isNull();
                assertThat(proxy.select(Origin.parse("https://10.1.2.3"))).isNull();
                assertThat(proxy.select(Origin.parse("https://api.example.com"))).isEqualTo(proxy.proxy());
                assertThat(proxy.toString()).doesNotContain(PASSWORD);
            });
    }

    @Test
    void withoutAUrlTheJvmSettingsApplyAndEnabledFalseIgnoresThem() {
        this.contextRunner.run((context) -> assertThat(context.getBean(HotPool.class).config().proxy())
            .isSameAs(ProxySettings.SYSTEM));
        this.contextRunner.withPropertyValues("hotpool.proxy.enabled=false", "hotpool.proxy.url=http://p:1")
            .run((context) -> assertThat(context.getBean(HotPool.class).config().proxy()).isSameAs(ProxySettings.NONE));
        assertThat(HotPoolConfig.DEFAULTS.proxy()).isSameAs(ProxySettings.SYSTEM);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "hotpool.proxy.url=https://proxy.internal:3128 | hotpool.proxy.url ('https://proxy.internal:3128') must use http://",
        "hotpool.proxy.url=proxy.internal:3128 | hotpool.proxy.url ('proxy.internal:3128') must be an absolute URL",
        "hotpool.proxy.url=http://proxy.internal:99999 | hotpool.proxy.url: invalid port 99999 for proxy proxy.internal",
        "hotpool.proxy.url=http://u:p@proxy.internal:3128 | hotpool.proxy.url must not carry credentials",
        "hotpool.proxy.url=http://proxy.internal:3128/path | hotpool.proxy.url ('http://proxy.internal:3128/path') must be http://host[:port] only",
        "hotpool.proxy.password=x | hotpool.proxy.password is set but hotpool.proxy.url is not",
        "hotpool.proxy.username=svc | hotpool.proxy.username is set but hotpool.proxy.url is not",
        "hotpool.proxy.non-proxy-hosts=localhost | hotpool.proxy.non-proxy-hosts is set but hotpool.proxy.url is not",
    })
    void invalidProxySettingsFailStartupNamingTheProperty(String property, String message) {
        this.contextRunner.withPropertyValues(property)
            .run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageStartingWith(message));
    }

    @Test
    void passwordWithoutUsernameAndBadPatternsFailStartupNamingTheProperty() {
        this.contextRunner.withPropertyValues("hotpool.proxy.url=http://p:3128", "hotpool.proxy.password=x")
            .run((context) -> assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessage("hotpool.proxy.password is set but hotpool.proxy.username is not"));
        this.contextRunner.withPropertyValues("hotpool.proxy.url=http://p:3128",
                "hotpool.proxy.non-proxy-hosts=localhost,10.0.0.0/33")
            .run((context) -> assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageStartingWith("hotpool.proxy.non-proxy-hosts[1] ('10.0.0.0/33') is neither"));
        this.contextRunner.withPropertyValues("hotpool.proxy.url=http://p")
            .run((context) -> assertThat(context.getBean(HotPool.class).config().proxy().proxy().port())
                .as("port 80 when omitted").isEqualTo(80));
    }

    @Test
    void restClientGoesThroughTheProxyAndTheEndpointAndHealthNameItWithoutCredentials() throws Exception {
        try (TestProxy proxy = TestProxy.start().requireCredentials("svc", PASSWORD);
                StubServer server = StubServer.http()) {
            this.contextRunner
                .withPropertyValues("hotpool.proxy.url=" + proxy.url(), "hotpool.proxy.username=svc",
                        "hotpool.proxy.password=" + PASSWORD)
                .run((context) -> {
                    RestClient client = context.getBean(RestClient.Builder.class).build();
                    for (int i = 0; i < 3; i++) {
                        assertThat(client.get().uri(server.uri("/via-proxy")).retrieve().body(String.class))
                            .isEqualTo("/via-proxy");
                    }
                    assertThat(proxy.forwardedRequests()).isEqualTo(3);
                    assertThat(proxy.connectionsAccepted()).isEqualTo(1);

                    String authority = "127.0.0.1:" + proxy.port();
                    HotPoolEndpoint endpoint = context.getBean(HotPoolEndpoint.class);
                    HotPoolEndpoint.PoolDescriptor all = endpoint.hotpool();
                    HotPoolEndpoint.HostDescriptor host = all.hosts().get("localhost:" + server.port());
                    assertThat(host.proxies()).containsExactly(authority);
                    assertThat(all.config().proxy().proxy()).isEqualTo(authority);
                    assertThat(all.config().proxy().credentials()).isTrue();
                    HotPoolEndpoint.HostDetailDescriptor detail = endpoint.host("localhost:" + server.port());
                    assertThat(detail.proxies()).containsExactly(authority);
                    assertThat(detail.connections()).hasSize(1);
                    Health health = ((HealthIndicator) context.getBean("hotpoolHealthIndicator")).health();
                    assertThat(health.getDetails()).containsEntry("proxies", java.util.Set.of(authority));

                    JsonMapper json = JsonMapper.builder().build();
                    String shown = json.writeValueAsString(all) + json.writeValueAsString(detail)
                            + json.writeValueAsString(health.getDetails()) + context.getBean(HotPool.class)
                            + context.getBean(HotPool.class).config();
                    String token = Base64.getEncoder()
                        .encodeToString(("svc:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
                    assertThat(shown).contains(authority).doesNotContain(PASSWORD).doesNotContain(token)
                        .doesNotContain("\"svc\"");
                });
        }
    }

    @Test
    void directHostsCarryNoProxy() throws Exception {
        try (StubServer server = StubServer.http()) {
            this.contextRunner.withPropertyValues("hotpool.proxy.enabled=false").run((context) -> {
                RestClient client = context.getBean(RestClient.Builder.class).build();
                assertThat(client.get().uri(server.uri("/direct")).retrieve().body(String.class)).isEqualTo("/direct");
                HotPoolEndpoint.PoolDescriptor all = context.getBean(HotPoolEndpoint.class).hotpool();
                assertThat(all.hosts().get("localhost:" + server.port()).proxies()).isNull();
                assertThat(((HealthIndicator) context.getBean("hotpoolHealthIndicator")).health().getDetails())
                    .doesNotContainKey("proxies");
                assertThat(all.config().proxy().source()).isEqualTo("none");
            });
        }
    }
}
