package dev.hotpool.autoconfigure;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

import dev.hotpool.EffectiveHostSettings;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.testsupport.StubServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code hotpool.hosts.<pattern>.*}: bound (bracket notation for patterns with dots), mapped onto the pool's
 * per-host settings, and each value that would break a pool-wide limit failing the startup with a message, and a
 * failure analysis, naming the host's property and the pool's.
 */
class HotPoolHostsPropertiesTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class, HttpClientAutoConfiguration.class,
                ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class));

    @Test
    void everyPerHostPropertyIsBoundAndMappedAndTheMostSpecificPatternApplies() {
        this.contextRunner
            .withPropertyValues("hotpool.max-conns-per-host=8", "hotpool.read-timeout=20s",
                    "hotpool.hosts[api.example.com].max-connections=4",
                    "hotpool.hosts[api.example.com].idle-timeout=15s",
                    "hotpool.hosts[api.example.com].max-lifetime=2m", "hotpool.hosts[api.example.com].min-idle=2",
                    "hotpool.hosts[api.example.com].tls.profile=modern",
                    "hotpool.hosts[api.example.com].health-check.probe-path=/health",
                    "hotpool.hosts[api.example.com].read-timeout=3s",
                    "hotpool.hosts[api.example.com].protocols=h2, http/1.1",
                    "hotpool.hosts[api.example.com].connect-timeout=1s",
                    "hotpool.hosts[*.example.com].max-connections=6", "hotpool.hosts[*.example.com].read-timeout=9s",
                    "hotpool.hosts[*.eu.example.com].max-connections=2",
                    // min-idle warms https://api.example.com:443: keep it on loopback (nothing listens there).
                    "hotpool.addresses[api.example.com]=127.0.0.1")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                HotPoolConfig config = context.getBean(HotPool.class).config();
                assertThat(config.hosts()).containsOnlyKeys("api.example.com", "*.example.com", "*.eu.example.com");
                assertThat(config.hostSettings("api.example.com")).isEqualTo(new EffectiveHostSettings(
                        "api.example.com", 4, Duration.ofSeconds(15), Duration.ofMinutes(2), 2, "modern", "/health",
                        Duration.ofSeconds(3), Duration.ofSeconds(1), List.of("h2", "http/1.1")));
                EffectiveHostSettings web = config.hostSettings("web.example.com");
                assertThat(web.pattern()).isEqualTo("*.example.com");
                assertThat(web.maxConnections()).isEqualTo(6);
                assertThat(web.readTimeout()).isEqualTo(Duration.ofSeconds(9));
                assertThat(web.idleTimeout()).as("the pool's").isEqualTo(Duration.ofSeconds(60));
                assertThat(config.hostSettings("fr.eu.example.com").maxConnections()).isEqualTo(2);
                assertThat(config.hostSettings("example.org").maxConnections()).isEqualTo(8);
                assertThat(config.hostSettings("example.org").readTimeout()).isEqualTo(Duration.ofSeconds(20));
                assertThat(config.warmOrigins()).extracting(Object::toString)
                    .containsExactly("https://api.example.com:443");
            });
    }

    @Test
    void aHostsReadTimeoutIsTheDefaultOfRestClientRequestsToItAndSpringHttpClientsReadTimeoutWins() throws Exception {
        try (StubServer slow = StubServer.http((request, exchange) -> {
            try {
                Thread.sleep(500);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            exchange.respond(200, "late");
        })) {
            this.contextRunner.withPropertyValues("hotpool.hosts[localhost].read-timeout=100ms").run((context) -> {
                RestClient restClient = context.getBean(RestClient.Builder.class).build();
                assertThatExceptionOfType(ResourceAccessException.class)
                    .isThrownBy(() -> restClient.get().uri(slow.uri("/")).retrieve().body(String.class))
                    .withRootCauseInstanceOf(SocketTimeoutException.class)
                    .withMessageContaining("within 100 ms (read timeout)");
            });
            this.contextRunner
                .withPropertyValues("hotpool.hosts[localhost].read-timeout=100ms", "spring.http.clients.read-timeout=5s")
                .run((context) -> {
                    RestClient restClient = context.getBean(RestClient.Builder.class).build();
                    assertThat(restClient.get().uri(slow.uri("/")).retrieve().body(String.class)).isEqualTo("late");
                });
        }
    }

    @Test
    void aHostsCapAboveMaxConnectionsFailsTheStartupNamingBothProperties() {
        fails("hotpool.hosts[api.example.com].max-connections (200) must not exceed hotpool.max-connections (100)",
                "Update hotpool.hosts[api.example.com].max-connections and/or hotpool.max-connections",
                "hotpool.hosts[api.example.com].max-connections=200");
    }

    @Test
    void aHostsIdleTimeoutAboveItsEffectiveLifetimeFailsTheStartup() {
        fails("hotpool.hosts[api.example.com].idle-timeout (PT10M) must not exceed hotpool.max-lifetime (PT5M)",
                "Update hotpool.hosts[api.example.com].idle-timeout and/or hotpool.max-lifetime",
                "hotpool.hosts[api.example.com].idle-timeout=10m");
        fails("hotpool.idle-timeout (PT1M) must not exceed hotpool.hosts[*.example.com].max-lifetime (PT30S)",
                "Update hotpool.idle-timeout and/or hotpool.hosts[*.example.com].max-lifetime",
                "hotpool.hosts[*.example.com].max-lifetime=30s");
    }

    @Test
    void aHostsMinIdleAboveItsCapOrOnAWildcardFailsTheStartup() {
        fails("hotpool.hosts[api.example.com].min-idle (5) must not exceed "
                + "hotpool.hosts[api.example.com].max-connections (4)",
                "Update hotpool.hosts[api.example.com].min-idle and/or hotpool.hosts[api.example.com].max-connections",
                "hotpool.hosts[api.example.com].min-idle=5", "hotpool.hosts[api.example.com].max-connections=4");
        fails("hotpool.hosts[api.example.com].min-idle (11) must not exceed hotpool.max-conns-per-host (10)", null,
                "hotpool.hosts[api.example.com].min-idle=11");
        fails("hotpool.hosts[*.example.com].min-idle (1) cannot be set on a wildcard pattern", null,
                "hotpool.hosts[*.example.com].min-idle=1");
    }

    @Test
    void anUnknownTlsProfileOrAMalformedPatternFailsTheStartup() {
        fails("hotpool.hosts[api.example.com].tls.profile (fast) names no TLS profile of the pool; the profiles are "
                + "default, modern, compatible, browser-like (the built-in ones and those of hotpool.tls.profiles)",
                "Update hotpool.hosts[api.example.com].tls.profile and/or hotpool.tls.profiles",
                "hotpool.hosts[api.example.com].tls.profile=fast");
        fails("hotpool.hosts[api.*.com] is not a host pattern", null, "hotpool.hosts[api.*.com].max-connections=1");
        fails("hotpool.hosts[api.example.com].health-check.probe-path (health) must start with /", null,
                "hotpool.hosts[api.example.com].health-check.probe-path=health");
    }

    @Test
    void aDottedPatternWithoutBracketsOrAMisspeltSettingFailsTheStartupInsteadOfBeingIgnored() {
        fails("hotpool.hosts.api.example.com.max-connections is not a per-host setting: a host pattern with dots needs "
                + "the bracket notation: hotpool.hosts[api.example.com].max-connections", null,
                "hotpool.hosts.api.example.com.max-connections=4");
        fails("hotpool.hosts[api.example.com].max-conections is not a per-host setting; the settings of a host "
                + "pattern are max-connections, idle-timeout, max-lifetime, min-idle, tls.profile, "
                + "health-check.probe-path, read-timeout, connect-timeout", null,
                "hotpool.hosts[api.example.com].max-conections=4");
        this.contextRunner.withPropertyValues("hotpool.hosts.localhost.max-connections=3",
                "hotpool.hosts.localhost.tls.profile=modern")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(HotPool.class).config().hostSettings("localhost").maxConnections())
                    .isEqualTo(3);
            });
    }

    private void fails(String message, String action, String... properties) {
        this.contextRunner.withPropertyValues(properties).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
            FailureAnalysis analysis = new HotPoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).startsWith("Invalid hotpool configuration: " + message);
            if (action != null) {
                assertThat(analysis.getAction()).startsWith(action + " in your application's configuration");
            }
        });
    }
}
