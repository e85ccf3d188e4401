package dev.hotpool.autoconfigure;

import dev.hotpool.HotPool;
import dev.hotpool.Http2Settings;
import dev.hotpool.autoconfigure.actuate.HotPoolActuatorAutoConfiguration;
import dev.hotpool.autoconfigure.actuate.HotPoolEndpoint;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfile.Http2Setting;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hotpool.tls.profiles.<name>.http2.*}: bound and mapped onto the profile, shown beside its JA3/JA4 on the
 * actuator endpoint; {@code hotpool.http2.*} sizes replace a profile's only when set; impossible values fail the
 * startup naming the property.
 */
class Http2FingerprintPropertiesTests {

    private static final String CHROME = "1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class,
                HotPoolActuatorAutoConfiguration.class))
        .withPropertyValues("management.endpoints.web.exposure.include=hotpool", "hotpool.protocols=h2, http/1.1");

    @Test
    void aConfiguredProfilesHttp2ValuesAreBoundAndShownBesideItsJa4() {
        this.contextRunner
            .withPropertyValues("hotpool.tls.profile=firefoxish",
                    "hotpool.tls.profiles.firefoxish.http2.settings=1:65536;2:0;4:131072;5:16384",
                    "hotpool.tls.profiles.firefoxish.http2.window-update=12517377",
                    "hotpool.tls.profiles.firefoxish.http2.pseudo-header-order=m,p,a,s")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                HotPool pool = context.getBean(HotPool.class);
                TlsProfile p = pool.config().tlsProfiles().profile("firefoxish");
                assertThat(p.http2Settings()).containsExactly(new Http2Setting(1, 65_536), new Http2Setting(2, 0),
                        new Http2Setting(4, 131_072), new Http2Setting(5, 16_384));
                assertThat(p.http2WindowUpdate()).hasValue(12_517_377);
                assertThat(p.http2PseudoHeaderOrder()).isEqualTo("m,p,a,s");
                HotPoolEndpoint.ProfileDescriptor shown = context.getBean(HotPoolEndpoint.class).hotpool().tls()
                    .profiles().get("firefoxish");
                assertThat(shown.ja4()).startsWith("t13d");
                assertThat(shown.http2()).isEqualTo("1:65536;2:0;4:131072;5:16384|12517377|0|m,p,a,s")
                    .isEqualTo(pool.tlsFingerprints().get("firefoxish").http2());
            });
    }

    @Test
    void unsetHttp2SizesLeaveBrowserLikeAloneAndSetOnesReplaceItsValues() {
        this.contextRunner.withPropertyValues("hotpool.tls.profile=browser-like").run((context) -> {
            assertThat(context.getBean(HotPool.class).config().http2()).isEqualTo(Http2Settings.DEFAULTS);
            assertThat(context.getBean(HotPoolEndpoint.class).hotpool().tls().profiles().get("browser-like").http2())
                .isEqualTo(CHROME);
        });
        // Set to hotpool's own default value: still explicit, so it is what is sent.
        this.contextRunner
            .withPropertyValues("hotpool.tls.profile=browser-like", "hotpool.http2.max-header-list-size=64KB",
                    "hotpool.http2.max-frame-size=32KB")
            .run((context) -> {
                assertThat(context.getBean(HotPool.class).config().http2().explicit()).containsExactlyInAnyOrder(
                        Http2Settings.Advertised.MAX_HEADER_LIST_SIZE, Http2Settings.Advertised.MAX_FRAME_SIZE);
                assertThat(context.getBean(HotPoolEndpoint.class).hotpool().tls().profiles().get("browser-like")
                    .http2()).isEqualTo("1:65536;2:0;4:6291456;5:32768;6:65536|15663105|0|m,a,s,p");
            });
    }

    @Test
    void theDefaultProfileShowsHotpoolsOwnAndNoneIsShownWithoutH2() {
        this.contextRunner.run((context) -> assertThat(context.getBean(HotPoolEndpoint.class).hotpool().tls()
            .profiles().get("default").http2()).isEqualTo("2:0;4:1048576;6:65536|16711681|0|m,a,s,p"));
        this.contextRunner.withPropertyValues("hotpool.protocols=http/1.1").run((context) -> {
            HotPoolEndpoint.ProfileDescriptor shown = context.getBean(HotPoolEndpoint.class).hotpool().tls()
                .profiles().get("default");
            assertThat(shown.ja4()).startsWith("t13d");
            assertThat(shown.http2()).isNull();
        });
    }

    @Test
    void impossibleHttp2ValuesOfAProfileFailTheStartupNamingTheProperty() {
        fails("hotpool.tls.profiles.p.http2.pseudo-header-order (m,a,p) must name m, a, s and p each once",
                "hotpool.tls.profiles.p.http2.pseudo-header-order=m,a,p");
        fails("hotpool.tls.profiles.p.http2.settings (1:65536;4:6291456) must hold 2:0",
                "hotpool.tls.profiles.p.http2.settings=1:65536;4:6291456");
        fails("hotpool.tls.profiles.p.http2.settings (2:0;5:1024): 5:1024 is outside 16384..16777215",
                "hotpool.tls.profiles.p.http2.settings=2:0;5:1024");
        fails("hotpool.tls.profiles.p.http2.settings (1=2): '1=2' is not id:value",
                "hotpool.tls.profiles.p.http2.settings=1=2");
        fails("hotpool.tls.profiles.p.http2.window-update (-5) must be from 0 (none) to 2147418112",
                "hotpool.tls.profiles.p.http2.window-update=-5");
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
