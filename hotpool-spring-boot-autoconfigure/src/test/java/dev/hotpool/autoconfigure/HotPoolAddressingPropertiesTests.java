package dev.hotpool.autoconfigure;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.testsupport.StubServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the addressing properties: static address pools, DNS refresh, outlier ejection, the access
 * policy and local addresses reach the pool, and invalid values fail the startup by name.
 */
class HotPoolAddressingPropertiesTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class, SslAutoConfiguration.class,
                HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
                RestClientAutoConfiguration.class));

    @Test
    void addressingPropertiesReachThePool() {
        this.contextRunner
            .withPropertyValues("hotpool.addresses[api.example.com]=127.0.0.2,127.0.0.3",
                    "hotpool.dns.refresh-interval=1m", "hotpool.outlier.consecutive-failures=5",
                    "hotpool.outlier.eject-on-status=403,429", "hotpool.outlier.base-ejection-time=10s",
                    "hotpool.outlier.max-ejection-time=2m", "hotpool.outlier.max-ejection-percent=30",
                    "hotpool.access.allow=*.example.com,10.0.0.0/8", "hotpool.access.deny=bad.example.com",
                    "hotpool.access.block-private-networks=true", "hotpool.local-addresses=127.0.0.5")
            .run((context) -> {
                HotPoolConfig config = context.getBean(HotPool.class).config();
                assertThat(config.staticAddresses()).containsEntry("api.example.com", List.of("127.0.0.2", "127.0.0.3"));
                assertThat(config.dnsRefreshInterval()).isEqualTo(Duration.ofMinutes(1));
                assertThat(config.outlier().consecutiveFailures()).isEqualTo(5);
                assertThat(config.outlier().ejectOnStatus()).containsExactlyInAnyOrder(403, 429);
                assertThat(config.outlier().baseEjectionTime()).isEqualTo(Duration.ofSeconds(10));
                assertThat(config.outlier().maxEjectionTime()).isEqualTo(Duration.ofMinutes(2));
                assertThat(config.outlier().maxEjectionPercent()).isEqualTo(30);
                assertThat(config.accessPolicy().check("bad.example.com", InetAddress.getByName("203.0.113.7"))
                    .rule()).isEqualTo("deny entry bad.example.com");
                assertThat(config.accessPolicy().check("x.example.com", InetAddress.getByName("127.0.0.1"))
                    .allowed()).isFalse();
                assertThat(config.localAddresses().addresses()).extracting(InetAddress::getHostAddress)
                    .containsExactly("127.0.0.5");
            });
    }

    @Test
    void restClientReachesAHostThroughItsStaticAddressPool() throws Exception {
        try (StubServer server = StubServer.on(InetAddress.getByName("127.0.0.2"), 0, null, StubServer.ECHO_PATH)) {
            this.contextRunner.withPropertyValues("hotpool.addresses[api.test]=127.0.0.2").run((context) -> {
                RestClient client = context.getBean(RestClient.Builder.class).build();
                assertThat(client.get().uri("http://api.test:" + server.port() + "/via-static-pool").retrieve()
                    .body(String.class)).isEqualTo("/via-static-pool");
            });
        }
    }

    @Test
    void invalidAccessEntryFailsStartupNamingIt() {
        this.contextRunner.withPropertyValues("hotpool.access.deny=10.0.0.0/8,10.0.0.0/33")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessage("hotpool.access.deny[1] ('10.0.0.0/33') is neither a host pattern nor a CIDR range"));
    }

    @Test
    void addressThatIsNotAnIpFailsStartupNamingTheHost() {
        this.contextRunner.withPropertyValues("hotpool.addresses[api.example.com]=127.0.0.2,not-an-ip")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessage("hotpool.addresses[api.example.com] entry 'not-an-ip' is not an IP address"));
    }

    @Test
    void localAddressThatCannotBeBoundFailsStartup() {
        this.contextRunner.withPropertyValues("hotpool.local-addresses=203.0.113.7")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .hasStackTraceContaining("hotpool.local-addresses[0] (203.0.113.7) cannot be bound on this machine"));
    }

    @Test
    void outlierSettingsAreValidatedByName() {
        this.contextRunner.withPropertyValues("hotpool.outlier.max-ejection-percent=150")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessage("hotpool.outlier.max-ejection-percent (150) must be from 0 to 100"));
    }
}
