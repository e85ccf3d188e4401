package dev.hotpool;

import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Per-host settings ({@code hotpool.hosts.<pattern>.*}): which pattern applies to a host, what its unset values
 * fall back to, and the startup failures, each naming the host's property and the pool's it breaks.
 */
class HostSettingsTests {

    private static HotPoolConfig config(UnaryOperator<HotPoolConfig.Builder> settings) {
        return settings.apply(HotPoolConfig.builder()).build();
    }

    private static HostSettings cap(int n) {
        return HostSettings.builder().maxConnections(n).build();
    }

    @Test
    void anExactNameWinsOverEveryWildcardAndALongerWildcardOverAShorterOne() {
        HotPoolConfig c = config(b -> b.maxConnections(50).host("*.example.com", cap(2))
                .host("*.eu.example.com", cap(3)).host("api.eu.example.com", cap(4)).host("example.com", cap(5)));
        assertThat(c.hostSettings("api.eu.example.com").pattern()).isEqualTo("api.eu.example.com");
        assertThat(c.hostSettings("api.eu.example.com").maxConnections()).isEqualTo(4);
        assertThat(c.hostSettings("web.eu.example.com").pattern()).isEqualTo("*.eu.example.com");
        assertThat(c.hostSettings("a.b.eu.example.com").maxConnections()).isEqualTo(3);
        assertThat(c.hostSettings("www.example.com").pattern()).isEqualTo("*.example.com");
        assertThat(c.hostSettings("example.com").maxConnections()).as("a wildcard does not match its own domain")
                .isEqualTo(5);
        assertThat(c.hostSettings("eu.example.com").pattern()).isEqualTo("*.example.com");
        assertThat(c.hostSettings("example.org").pattern()).isNull();
        assertThat(c.hostSettings("example.org").maxConnections()).isEqualTo(10);
        assertThat(c.hostSettings("notexample.com").pattern()).as("a suffix match is by whole labels").isNull();
        assertThat(c.hostSettings("API.EU.Example.com").pattern()).isEqualTo("api.eu.example.com");
    }

    @Test
    void unsetValuesAreThePoolsAndPatternsDoNotMerge() {
        HotPoolConfig c = config(b -> b.readTimeout(Duration.ofSeconds(7)).healthCheckProbePath("/health")
                .host("*.example.com", HostSettings.builder().connectTimeout(Duration.ofSeconds(1))
                        .tlsProfile("modern").build())
                .host("api.example.com", HostSettings.builder().idleTimeout(Duration.ofSeconds(5))
                        .probePath("/ping").build()));
        EffectiveHostSettings api = c.hostSettings("api.example.com");
        assertThat(api).isEqualTo(new EffectiveHostSettings("api.example.com", 10, Duration.ofSeconds(5),
                Duration.ofMinutes(5), 2, null, "/ping", Duration.ofSeconds(7), Duration.ofSeconds(10),
                List.of("http/1.1")));
        EffectiveHostSettings web = c.hostSettings("web.example.com");
        assertThat(web.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(web.tlsProfile()).isEqualTo("modern");
        assertThat(web.probePath()).isEqualTo("/health");
        assertThat(c.effectiveHostSettings()).containsOnlyKeys("*.example.com", "api.example.com");
        assertThat(c.toBuilder().build().hosts()).isEqualTo(c.hosts());
    }

    @Test
    void aHostsMinIdleWarmsItOnPort443UnlessItsOriginsAreListedInWarmupHosts() {
        HotPoolConfig c = config(b -> b.warmupHosts(List.of(Origin.parse("https://listed.example.com:8443")))
                .host("listed.example.com", HostSettings.builder().minIdle(3).build())
                .host("api.example.com", HostSettings.builder().minIdle(1).build())
                .host("cold.example.com", HostSettings.builder().minIdle(0).build()));
        assertThat(c.warmOrigins()).containsExactly(Origin.parse("https://listed.example.com:8443"),
                Origin.parse("https://api.example.com:443"));
        assertThat(c.hostSettings("listed.example.com").minIdle()).isEqualTo(3);
        assertThat(c.hostSettings("other.example.com").minIdle()).as("warmup.min-idle-per-host").isEqualTo(2);
    }

    @Test
    void eachSettingThatBreaksAPoolWideLimitFailsNamingBothProperties() {
        fails(b -> b.maxConnections(100).host("api.example.com", cap(200)),
                "hotpool.hosts[api.example.com].max-connections (200) must not exceed hotpool.max-connections (100)");
        fails(b -> b.host("api.example.com", cap(0)),
                "hotpool.hosts[api.example.com].max-connections (0) must be greater than 0");
        fails(b -> b.host("api.example.com", HostSettings.builder().idleTimeout(Duration.ofMinutes(10)).build()),
                "hotpool.hosts[api.example.com].idle-timeout (PT10M) must not exceed hotpool.max-lifetime (PT5M)");
        fails(b -> b.host("api.example.com", HostSettings.builder().maxLifetime(Duration.ofSeconds(30)).build()),
                "hotpool.idle-timeout (PT1M) must not exceed hotpool.hosts[api.example.com].max-lifetime (PT30S)");
        fails(b -> b.host("api.example.com", HostSettings.builder().idleTimeout(Duration.ofSeconds(50))
                .maxLifetime(Duration.ofSeconds(40)).build()),
                "hotpool.hosts[api.example.com].idle-timeout (PT50S) must not exceed "
                        + "hotpool.hosts[api.example.com].max-lifetime (PT40S)");
        fails(b -> b.host("api.example.com", HostSettings.builder().minIdle(11).build()),
                "hotpool.hosts[api.example.com].min-idle (11) must not exceed hotpool.max-conns-per-host (10)");
        fails(b -> b.host("api.example.com", HostSettings.builder().minIdle(5).maxConnections(4).build()),
                "hotpool.hosts[api.example.com].min-idle (5) must not exceed "
                        + "hotpool.hosts[api.example.com].max-connections (4)");
        fails(b -> b.warmupHosts(List.of(Origin.parse("https://api.example.com"))).warmupMinIdlePerHost(3)
                .host("api.example.com", cap(2)),
                "hotpool.warmup.min-idle-per-host (3) must not exceed hotpool.hosts[api.example.com].max-connections "
                        + "(2) (the cap of warm host https://api.example.com:443)");
        fails(b -> b.maxIdleConns(3).host("a.example.com", HostSettings.builder().minIdle(2).build())
                .host("b.example.com", HostSettings.builder().minIdle(2).build()),
                "hotpool.hosts[<host>].min-idle and hotpool.warmup.min-idle-per-host add up to 4 idle connections "
                        + "over 2 warm origins, more than hotpool.max-idle-conns (3)");
        fails(b -> b.host("*.example.com", HostSettings.builder().minIdle(1).build()),
                "hotpool.hosts[*.example.com].min-idle (1) cannot be set on a wildcard pattern");
        fails(b -> b.host("api.example.com", HostSettings.builder().tlsProfile("fast").build()),
                "hotpool.hosts[api.example.com].tls.profile (fast) names no TLS profile of the pool; the profiles are "
                        + String.join(", ", TlsProfile.builtIns().keySet()) + " (the built-in ones and those of "
                        + "hotpool.tls.profiles)");
        fails(b -> b.host("api.example.com", HostSettings.builder().probePath("health").build()),
                "hotpool.hosts[api.example.com].health-check.probe-path (health) must start with /");
        fails(b -> b.host("api.example.com", HostSettings.builder().readTimeout(Duration.ZERO).build()),
                "hotpool.hosts[api.example.com].read-timeout (PT0S) must be greater than 0");
        fails(b -> b.host("api.example.com", HostSettings.builder().connectTimeout(Duration.ofSeconds(-1)).build()),
                "hotpool.hosts[api.example.com].connect-timeout (PT-1S) must be greater than 0");
        fails(b -> b.host("api.example.com", cap(2)).host("API.example.com", cap(3)),
                "hotpool.hosts[API.example.com] is configured twice");
    }

    @Test
    void aMalformedPatternFailsNamingItAndWhatAPatternLooksLike() {
        for (String pattern : List.of("", "*", "*example.com", "api.*.com", "api..example.com", "api.example.com.",
                "https://api.example.com", "api.example.com:443", "*.*.example.com", "-api.example.com",
                "cafe.be:443", "*.::1")) {
            fails(b -> b.host(pattern, cap(1)), "hotpool.hosts[" + pattern + "] is not a host pattern: use a host "
                    + "name (api.example.com), an IP address, or *. and a domain for every name under it "
                    + "(*.example.com)");
        }
        HotPoolConfig c = config(b -> b.host("127.0.0.1", cap(1)).host("[::1]", cap(2)).host("::ffff:10.0.0.1", cap(4))
                .host("_srv.example.com", cap(3)));
        assertThat(c.hostSettings("127.0.0.1").maxConnections()).isEqualTo(1);
        assertThat(c.hostSettings(Origin.parse("http://[::1]:80").host()).maxConnections()).isEqualTo(2);
        assertThat(c.hosts()).containsOnlyKeys("127.0.0.1", "::1", "::ffff:10.0.0.1", "_srv.example.com");
    }

    @Test
    void aHostMayNameAConfiguredProfile() {
        TlsProfiles profiles = TlsProfiles.builder().add(TlsProfile.builder("mine").build()).build();
        HotPoolConfig c = config(b -> b.tlsProfiles(profiles)
                .host("api.example.com", HostSettings.builder().tlsProfile("mine").build()));
        assertThat(c.hostSettings("api.example.com").tlsProfile()).isEqualTo("mine");
        assertThat(Map.copyOf(c.hosts())).containsKey("api.example.com");
    }

    private static void fails(UnaryOperator<HotPoolConfig.Builder> settings, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> config(settings)).withMessageStartingWith(message);
    }
}
