package dev.hotpool.autoconfigure;

import java.util.List;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.Http2Settings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hotpool.protocols}, {@code hotpool.hosts.<pattern>.protocols} and {@code hotpool.http2.*}: bound (comma
 * lists, indexed lists as YAML gives them, sizes with units), mapped onto the pool's settings, and each impossible
 * value or combination failing the startup with a message, and a failure analysis, naming the property.
 */
class HotPoolProtocolsPropertiesTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class, HttpClientAutoConfiguration.class,
                ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class));

    @Test
    void unsetTheProtocolsAreHttp11AndTheHttp2SettingsTheCoresDefaults() {
        this.contextRunner.run((context) -> {
            HotPoolConfig config = context.getBean(HotPool.class).config();
            assertThat(config.protocols()).containsExactly("http/1.1");
            assertThat(config.http2()).isEqualTo(Http2Settings.DEFAULTS);
        });
    }

    @Test
    void protocolsHostProtocolsAndHttp2SettingsAreBoundAndMapped() {
        this.contextRunner
            .withPropertyValues("hotpool.protocols=h2, http/1.1",
                    "hotpool.hosts[orders.internal].protocols[0]=h2c",
                    "hotpool.hosts[orders.internal].protocols[1]=http/1.1",
                    "hotpool.hosts.legacy.protocols=http/1.1",
                    "hotpool.http2.max-concurrent-streams=50", "hotpool.http2.initial-window-size=2MB",
                    "hotpool.http2.connection-window-size=32MB", "hotpool.http2.max-frame-size=32KB",
                    "hotpool.http2.max-header-list-size=16KB", "hotpool.http2.header-table-size=0")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                HotPoolConfig config = context.getBean(HotPool.class).config();
                assertThat(config.protocols()).containsExactly("h2", "http/1.1");
                assertThat(config.hostSettings("orders.internal").protocols()).containsExactly("h2c", "http/1.1");
                assertThat(config.hostSettings("orders.internal").h2c()).isTrue();
                assertThat(config.hostSettings("legacy").http2()).isFalse();
                assertThat(config.hostSettings("api.example.com").http2()).isTrue();
                assertThat(config.http2()).isEqualTo(new Http2Settings(50, 2 << 20, 32 << 20, 32 << 10, 16 << 10, 0));
            });
    }

    @Test
    void impossibleValuesFailTheStartupNamingTheProperty() {
        fails("hotpool.protocols[1] (h2c) is allowed only per host", "hotpool.protocols=h2,h2c");
        fails("hotpool.protocols[1] (spdy/3) is not a protocol hotpool speaks", "hotpool.protocols=h2,spdy/3");
        fails("hotpool.protocols[1] (h2) is listed twice", "hotpool.protocols=h2,h2");
        fails("hotpool.hosts[api.example.com].protocols[0] (quic) is not a protocol hotpool speaks",
                "hotpool.hosts[api.example.com].protocols=quic");
        fails("hotpool.http2.max-frame-size (8192) must be from 16384 to 16777215", "hotpool.http2.max-frame-size=8KB");
        fails("hotpool.http2.initial-window-size (4294967296B) must be at most 2147483647 bytes",
                "hotpool.http2.initial-window-size=4GB");
        fails("hotpool.http2.connection-window-size (1048576) must not be less than hotpool.http2.initial-window-size"
                + " (2097152)", "hotpool.http2.initial-window-size=2MB", "hotpool.http2.connection-window-size=1MB");
        fails("hotpool.http2.max-concurrent-streams (-1) must not be negative",
                "hotpool.http2.max-concurrent-streams=-1");
        fails("hotpool.http2.max-header-list-size (512) must be at least 1024",
                "hotpool.http2.max-header-list-size=512B");
        fails("hotpool.tls.profiles.fast.alpn [h2, http/1.1] offers h2, but hotpool.protocols [http/1.1] does not",
                "hotpool.tls.profiles.fast.alpn=h2,http/1.1", "hotpool.tls.profile=fast");
        fails("hotpool.hosts[orders.internal].protocols has h2c, but the host goes through hotpool.proxy.url"
                + " (proxy.internal:3128)", "hotpool.proxy.url=http://proxy.internal:3128",
                "hotpool.hosts[orders.internal].protocols=h2c");
    }

    @Test
    void aMisspeltHostListIsCaughtAndAnIndexedOneIsNot() {
        fails("hotpool.hosts[api.example.com].protocol is not a per-host setting",
                "hotpool.hosts[api.example.com].protocol=h2");
        fails("hotpool.hosts.api.example.com.protocols is not a per-host setting: a host pattern with dots needs the"
                + " bracket notation: hotpool.hosts[api.example.com].protocols",
                "hotpool.hosts.api.example.com.protocols[0]=h2");
    }

    private void fails(String message, String... properties) {
        this.contextRunner.withPropertyValues(properties).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
            FailureAnalysis analysis = new HotPoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).startsWith("Invalid hotpool configuration: " + message);
        });
    }
}
