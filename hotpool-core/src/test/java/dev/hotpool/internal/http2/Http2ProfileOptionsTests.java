package dev.hotpool.internal.http2;

import dev.hotpool.HotPoolConfig;
import dev.hotpool.Http2Settings;
import dev.hotpool.ProxySettings;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * How a profile's HTTP/2 fingerprint and {@code hotpool.http2.*} combine into what a connection sends and enforces
 * ({@link Http2Multiplexing#options(HotPoolConfig, TlsProfile)}): the profile decides what is sent, a value set
 * explicitly replaces the profile's, and hotpool enforces what it sent.
 */
class Http2ProfileOptionsTests {

    private static final TlsProfile FIREFOXISH = TlsProfile.builder("firefoxish")
        .http2Settings("1:65536;2:0;4:131072;5:16384").http2WindowUpdate(12_517_377).http2PseudoHeaderOrder("m,p,a,s")
        .build();

    private static HotPoolConfig config(Http2Settings http2, TlsProfile... configured) {
        TlsProfiles.Builder profiles = TlsProfiles.builder();
        for (TlsProfile p : configured) {
            profiles.add(p);
        }
        return HotPoolConfig.builder().http2(http2).tlsProfiles(profiles.build()).proxy(ProxySettings.NONE)
            .healthCheckTimeout(Duration.ofMillis(1234)).build();
    }

    private static Http2Options options(Http2Settings http2, TlsProfile profile) {
        return Http2Multiplexing.options(config(http2, profile.builtIn() ? new TlsProfile[0]
                : new TlsProfile[] { profile }), profile);
    }

    @Test
    void theDefaultProfileSendsAndEnforcesHotpoolsOwn() {
        Http2Options own = Http2Multiplexing.options(config(Http2Settings.DEFAULTS));
        assertThat(options(Http2Settings.DEFAULTS, TlsProfile.DEFAULT)).isEqualTo(own);
        assertThat(own.fingerprint()).isEqualTo("2:0;4:1048576;6:65536|16711681|0|m,a,s,p");
        assertThat(List.of(own.headerTableSize(), own.initialWindowSize(), own.connectionWindowSize(),
                own.maxFrameSize(), own.maxHeaderListSize(), own.pingTimeoutMillis()))
            .containsExactly(4096, 1 << 20, 16 << 20, 16_384, 65_536, 1234);
        assertThat(own.pseudoHeaderOrder()).isEqualTo("masp");
    }

    @Test
    void browserLikeSendsChromesValuesAndHotpoolEnforcesThem() {
        Http2Options chrome = options(Http2Settings.DEFAULTS, TlsProfile.BROWSER_LIKE);
        assertThat(chrome.fingerprint()).isEqualTo("1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p");
        assertThat(List.of(chrome.headerTableSize(), chrome.initialWindowSize(), chrome.connectionWindowSize(),
                chrome.maxFrameSize(), chrome.maxHeaderListSize()))
            .containsExactly(65_536, 6_291_456, 15_728_640, 16_384, 262_144);
    }

    @Test
    void aSettingTheProfileLeavesOutIsEnforcedAtTheProtocolsInitialValueButTheHeaderListAtHotpools() {
        Http2Options firefox = options(Http2Settings.DEFAULTS, FIREFOXISH);
        assertThat(firefox.fingerprint()).isEqualTo("1:65536;2:0;4:131072;5:16384|12517377|0|m,p,a,s");
        assertThat(firefox.pseudoHeaderOrder()).isEqualTo("mpas");
        assertThat(firefox.maxHeaderListSize()).as("not sent: unlimited in RFC 9113, advisory, so hotpool's own")
            .isEqualTo(65_536);
        Http2Options noWindow = options(Http2Settings.DEFAULTS, TlsProfile.builder("w").http2Settings("2:0")
            .http2WindowUpdate(0).build());
        assertThat(List.of(noWindow.headerTableSize(), noWindow.initialWindowSize(), noWindow.connectionWindowSize(),
                noWindow.maxFrameSize(), noWindow.connectionWindowIncrement()))
            .containsExactly(4096, 65_535, 65_535, 16_384, 0);
    }

    @Test
    void onlyExplicitHttp2ValuesReplaceTheProfilesInPlaceOrInIdentifierOrder() {
        Http2Settings explicit = Http2Settings.builder().headerTableSize(8192).maxFrameSize(65_536)
            .maxHeaderListSize(32_768).maxConcurrentStreams(7).build();
        Http2Options chrome = options(explicit, TlsProfile.BROWSER_LIKE);
        assertThat(chrome.fingerprint()).isEqualTo("1:8192;2:0;4:6291456;5:65536;6:32768|15663105|0|m,a,s,p");
        assertThat(List.of(chrome.headerTableSize(), chrome.maxFrameSize(), chrome.maxHeaderListSize(),
                chrome.maxConcurrentStreams())).containsExactly(8192, 65_536, 32_768, 7);
        // Values not set explicitly (here the windows, at their defaults) leave the profile's alone.
        assertThat(chrome.initialWindowSize()).isEqualTo(6_291_456);
        assertThat(chrome.connectionWindowSize()).isEqualTo(15_728_640);
    }

    @Test
    void anExplicitConnectionWindowReplacesTheProfilesWindowUpdate() {
        Http2Options chrome = options(Http2Settings.builder().connectionWindowSize(2 << 20).build(),
                TlsProfile.BROWSER_LIKE);
        assertThat(chrome.fingerprint()).isEqualTo("1:65536;2:0;4:6291456;6:262144|2031617|0|m,a,s,p");
        assertThat(chrome.connectionWindowSize()).isEqualTo(2 << 20);
    }

    @Test
    void aNonDefaultValueThatIsNotExplicitDoesNotReplaceTheProfiles() {
        // A cap on streams is never sent: it changes nothing a server sees.
        Http2Settings capOnly = Http2Settings.builder().maxConcurrentStreams(3).build();
        assertThat(capOnly.explicit()).isEmpty();
        assertThat(options(capOnly, TlsProfile.BROWSER_LIKE).fingerprint())
            .isEqualTo("1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p");
        // The six-value constructor sets every value: all explicit, so all replace the profile's.
        Http2Settings all = new Http2Settings(0, 1 << 20, 16 << 20, 16_384, 65_536, 4096);
        assertThat(all.explicit()).containsExactlyInAnyOrder(Http2Settings.Advertised.values());
        assertThat(options(all, TlsProfile.BROWSER_LIKE).fingerprint())
            .isEqualTo("1:4096;2:0;4:1048576;5:16384;6:65536|16711681|0|m,a,s,p");
        assertThat(all).isNotEqualTo(Http2Settings.DEFAULTS);
        assertThat(all.toBuilder().build()).isEqualTo(all);
    }

    @Test
    void aProfileThatSetsOnlyPartsKeepsHotpoolsOwnForTheRest() {
        Http2Options order = options(Http2Settings.DEFAULTS, TlsProfile.builder("o").http2PseudoHeaderOrder("m,s,p,a")
            .build());
        assertThat(order.fingerprint()).isEqualTo("2:0;4:1048576;6:65536|16711681|0|m,s,p,a");
        Http2Options window = options(Http2Settings.DEFAULTS, TlsProfile.builder("w").http2WindowUpdate(1000).build());
        assertThat(window.fingerprint()).isEqualTo("2:0;4:1048576;6:65536|1000|0|m,a,s,p");
        assertThat(window.connectionWindowSize()).isEqualTo(66_535);
    }

    @Test
    void theMultiplexingHoldsTheOptionsOfEveryProfileAndThePoolsOwnForH2c() {
        HotPoolConfig config = config(Http2Settings.DEFAULTS, FIREFOXISH);
        Http2Multiplexing m = new Http2Multiplexing(config);
        assertThat(m.options("firefoxish")).isEqualTo(Http2Multiplexing.options(config, FIREFOXISH));
        assertThat(m.options("browser-like").fingerprint()).startsWith("1:65536;2:0;4:6291456;6:262144|");
        assertThat(m.options((String) null)).isEqualTo(Http2Multiplexing.options(config));
        assertThat(m.options("unknown")).isEqualTo(Http2Multiplexing.options(config));
    }

    @Test
    void optionsWhoseLimitsAreNotWhatTheySendAreRefused() {
        List<Setting> sent = List.of(new Setting(Setting.ENABLE_PUSH, 0), new Setting(Setting.MAX_FRAME_SIZE, 32_768));
        assertThatIllegalStateException().isThrownBy(() -> new Http2Options(sent, 0, "masp", 4096, 65_535, 65_535,
                16_384, 65_536, 0, 1000)).withMessageContaining("not those sent: 2:0;5:32768|0|0|m,a,s,p");
        assertThat(new Http2Options(sent, 0, "masp", 4096, 65_535, 65_535, 32_768, 65_536, 0, 1000).maxFrameSize())
            .isEqualTo(32_768);
    }
}
