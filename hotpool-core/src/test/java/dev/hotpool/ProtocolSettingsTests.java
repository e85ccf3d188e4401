package dev.hotpool;

import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * {@code hotpool.protocols}, {@code hotpool.hosts.<pattern>.protocols} and {@code hotpool.http2.*}: defaults, what
 * applies to a host, the ALPN list a connection offers, and the startup failures, each naming the property (and the
 * other property in a conflict) with the value.
 */
class ProtocolSettingsTests {

    private static final List<String> H2_FIRST = List.of("h2", "http/1.1");

    private static HotPoolConfig config(UnaryOperator<HotPoolConfig.Builder> settings) {
        return settings.apply(HotPoolConfig.builder()).build();
    }

    private static HostSettings protocols(String... protocols) {
        return HostSettings.builder().protocols(Arrays.asList(protocols)).build();
    }

    private static TlsProfiles custom(List<String> alpn) {
        return TlsProfiles.builder().add(TlsProfile.builder("custom").alpn(alpn).build()).profile("custom").build();
    }

    @Test
    void byDefaultThePoolSpeaksHttp11OnlyAndOffersWhatTheProfileOffers() {
        HotPoolConfig c = HotPoolConfig.DEFAULTS;
        assertThat(c.protocols()).containsExactly("http/1.1");
        EffectiveHostSettings host = c.hostSettings("api.example.com");
        assertThat(host.protocols()).containsExactly("http/1.1");
        assertThat(host.http2()).isFalse();
        assertThat(host.h2c()).isFalse();
        assertThat(host.alpn(TlsProfile.DEFAULT)).isSameAs(TlsProfile.DEFAULT.alpn());
        assertThat(host.alpn(TlsProfile.builder("quiet").alpn(List.of()).build())).isEmpty();
        assertThat(c.http2()).isEqualTo(Http2Settings.DEFAULTS);
    }

    @Test
    void h2FirstTurnsHttp2OnAndIsOfferedInItsOrderWhateverTheDefaultProfileSays() {
        HotPoolConfig c = config(b -> b.protocols(List.of(" H2", "HTTP/1.1 ")));
        assertThat(c.protocols()).as("trimmed, lower case").isEqualTo(H2_FIRST);
        EffectiveHostSettings host = c.hostSettings("api.example.com");
        assertThat(host.http2()).isTrue();
        assertThat(host.alpn(TlsProfile.BROWSER_LIKE)).isEqualTo(H2_FIRST);
        assertThat(config(b -> b.protocols(List.of("http/1.1", "h2"))).defaultHostSettings().alpn(TlsProfile.DEFAULT))
            .containsExactly("http/1.1", "h2");
        assertThat(config(b -> b.protocols(List.of("h2"))).defaultHostSettings().alpn(TlsProfile.DEFAULT))
            .containsExactly("h2");
    }

    @Test
    void aHostsOwnProtocolsReplaceThePoolsAndMayNameH2cWhichIsNeverOfferedInAlpn() {
        HotPoolConfig c = config(b -> b.protocols(H2_FIRST)
                .host("legacy.example.com", protocols("http/1.1"))
                .host("*.svc.internal", protocols("h2c", "h2", "http/1.1"))
                .host("plain.internal", protocols("h2c")));
        assertThat(c.hostSettings("legacy.example.com").protocols()).containsExactly("http/1.1");
        assertThat(c.hostSettings("legacy.example.com").alpn(TlsProfile.DEFAULT)).containsExactly("http/1.1");
        EffectiveHostSettings svc = c.hostSettings("orders.svc.internal");
        assertThat(svc.h2c()).isTrue();
        assertThat(svc.http2()).isTrue();
        assertThat(svc.alpn(TlsProfile.DEFAULT)).isEqualTo(H2_FIRST);
        EffectiveHostSettings plain = c.hostSettings("plain.internal");
        assertThat(plain.h2c()).isTrue();
        assertThat(plain.http2()).as("its https origins speak HTTP/1.1").isFalse();
        assertThat(plain.alpn(TlsProfile.DEFAULT)).containsExactly("http/1.1");
        assertThat(c.hostSettings("other.example.com").protocols()).isEqualTo(H2_FIRST);
        assertThat(c.hosts().get("plain.internal").protocols()).containsExactly("h2c");
        assertThat(c.toBuilder().build().hosts()).isEqualTo(c.hosts());
        assertThat(c.hosts().get("plain.internal").toString()).isEqualTo("HostSettings[protocols=[h2c]]");
    }

    @Test
    void h2cInThePoolsListIsRefusedNamingTheProperty() {
        assertThatIllegalArgumentException().isThrownBy(() -> config(b -> b.protocols(List.of("h2", "h2c"))))
            .withMessage("hotpool.protocols[1] (h2c) is allowed only per host: cleartext HTTP/2 by prior knowledge"
                    + " works only with servers known to speak it, so set hotpool.hosts.<host>.protocols: h2c for each"
                    + " of them");
    }

    @Test
    void unknownEmptyAndDuplicateProtocolsAreRefusedNamingThePropertyAndTheValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> config(b -> b.protocols(List.of("h2", "spdy/3"))))
            .withMessage("hotpool.protocols[1] (spdy/3) is not a protocol hotpool speaks: use h2 (HTTP/2 over TLS,"
                    + " negotiated by ALPN), http/1.1, or h2c on a host of its own (hotpool.hosts.<host>.protocols)");
        assertThatIllegalArgumentException().isThrownBy(() -> config(b -> b.protocols(List.of())))
            .withMessage("hotpool.protocols must name at least one protocol: h2, http/1.1");
        assertThatIllegalArgumentException().isThrownBy(() -> config(b -> b.protocols(null)))
            .withMessage("hotpool.protocols must name at least one protocol: h2, http/1.1");
        assertThatIllegalArgumentException().isThrownBy(() -> config(b -> b.protocols(List.of("h2", "http/1.1", "H2"))))
            .withMessage("hotpool.protocols[2] (H2) is listed twice");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> config(b -> b.host("api.example.com", protocols("h2c", "http/2"))))
            .withMessage("hotpool.hosts[api.example.com].protocols[1] (http/2) is not a protocol hotpool speaks: use"
                    + " h2 (HTTP/2 over TLS, negotiated by ALPN), http/1.1 or h2c (cleartext HTTP/2 by prior knowledge)");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> config(b -> b.host("api.example.com", protocols())))
            .withMessage("hotpool.hosts[api.example.com].protocols must name at least one protocol: h2, http/1.1, h2c");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> config(b -> b.host("api.example.com", protocols("h2c", null))))
            .withMessageStartingWith("hotpool.hosts[api.example.com].protocols[1] (null) is not a protocol");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> config(b -> b.host("api.example.com", protocols("h2c", "h2c"))))
            .withMessage("hotpool.hosts[api.example.com].protocols[1] (h2c) is listed twice");
    }

    @Test
    void aProfileOfferingH2WhileTheProtocolsLeaveItOutIsRefusedNamingBoth() {
        assertThatIllegalArgumentException().isThrownBy(() -> config(b -> b.tlsProfiles(custom(H2_FIRST))))
            .withMessage("hotpool.tls.profiles.custom.alpn [h2, http/1.1] offers h2, but hotpool.protocols [http/1.1]"
                    + " does not: the server could pick HTTP/2 on a connection hotpool would speak HTTP/1.1 on; add h2"
                    + " to hotpool.protocols, or remove it from the profile's alpn");
        // The same profile is fine where h2 is on, in the same order, and refused for a host that turns it off.
        assertThat(config(b -> b.tlsProfiles(custom(H2_FIRST)).protocols(H2_FIRST)).protocols()).isEqualTo(H2_FIRST);
        assertThatIllegalArgumentException()
            .isThrownBy(() -> config(b -> b.tlsProfiles(custom(H2_FIRST)).protocols(H2_FIRST)
                    .host("legacy.example.com", protocols("http/1.1"))))
            .withMessageStartingWith("hotpool.tls.profiles.custom.alpn [h2, http/1.1] offers h2, but"
                    + " hotpool.hosts[legacy.example.com].protocols [http/1.1] does not");
    }

    @Test
    void aHostsOwnProfileIsCheckedAgainstTheProtocolsThatApplyToTheHost() {
        TlsProfiles both = TlsProfiles.builder().add(TlsProfile.builder("h2-first").alpn(H2_FIRST).build()).build();
        assertThatIllegalArgumentException()
            .isThrownBy(() -> config(b -> b.tlsProfiles(both)
                    .host("api.example.com", HostSettings.builder().tlsProfile("h2-first").build())))
            .withMessageStartingWith("hotpool.tls.profiles.h2-first.alpn [h2, http/1.1] offers h2, but"
                    + " hotpool.protocols [http/1.1] does not");
        HotPoolConfig c = config(b -> b.tlsProfiles(both).host("api.example.com",
                HostSettings.builder().tlsProfile("h2-first").protocols(H2_FIRST).build()));
        assertThat(c.hostSettings("api.example.com").alpn(both.profile("h2-first"))).isEqualTo(H2_FIRST);
    }

    @Test
    void withH2OnAProfilesOwnAlpnMustBeTheDefaultOrTheSameList() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> config(b -> b.tlsProfiles(custom(List.of("http/1.1", "h2"))).protocols(H2_FIRST)))
            .withMessage("hotpool.tls.profiles.custom.alpn [http/1.1, h2] contradicts hotpool.protocols [h2,"
                    + " http/1.1]: with h2 in the protocols, TLS connections offer [h2, http/1.1] in ALPN; remove the"
                    + " profile's alpn (its default, [http/1.1], follows hotpool.protocols), or set it to [h2,"
                    + " http/1.1]");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> config(b -> b.tlsProfiles(custom(List.of())).protocols(H2_FIRST)))
            .withMessageStartingWith("hotpool.tls.profiles.custom.alpn [] contradicts hotpool.protocols");
        assertThat(config(b -> b.tlsProfiles(custom(List.of("http/1.1"))).protocols(H2_FIRST))
            .defaultHostSettings().alpn(TlsProfile.DEFAULT)).isEqualTo(H2_FIRST);
        assertThat(config(b -> b.tlsProfiles(custom(List.of()))).protocols()).as("no ALPN, HTTP/1.1 as before")
            .containsExactly("http/1.1");
    }

    @Test
    void h2cThroughTheConfiguredProxyIsRefusedUnlessTheHostIsANonProxyHost() {
        HttpProxy proxy = HttpProxy.of("proxy.example.com", 3128);
        assertThatIllegalArgumentException()
            .isThrownBy(() -> config(b -> b.proxy(ProxySettings.of(proxy, List.of("localhost")))
                    .host("orders.internal", protocols("h2c"))))
            .withMessage("hotpool.hosts[orders.internal].protocols has h2c, but the host goes through"
                    + " hotpool.proxy.url (proxy.example.com:3128), which speaks HTTP/1.1 to hotpool: cleartext HTTP/2"
                    + " cannot pass it; add orders.internal to hotpool.proxy.non-proxy-hosts, or remove h2c");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> config(b -> b.proxy(ProxySettings.of(proxy, List.of("orders.svc.internal")))
                    .host("*.svc.internal", protocols("h2c", "http/1.1"))))
            .withMessageStartingWith("hotpool.hosts[*.svc.internal].protocols has h2c, but hosts it matches go"
                    + " through hotpool.proxy.url");
        config(b -> b.proxy(ProxySettings.of(proxy, List.of("*.internal")))
                .host("orders.internal", protocols("h2c")).host("*.svc.internal", protocols("h2c")));
        config(b -> b.proxy(ProxySettings.of(proxy, List.of("10.0.0.0/8"))).host("10.1.2.3", protocols("h2c")));
        config(b -> b.proxy(ProxySettings.SYSTEM).host("orders.internal", protocols("h2c")));
        config(b -> b.proxy(ProxySettings.NONE).host("orders.internal", protocols("h2c")));
    }

    @Test
    void http2SettingsHaveTheirDefaultsAndABuilder() {
        Http2Settings d = Http2Settings.DEFAULTS;
        assertThat(d.maxConcurrentStreams()).isZero();
        assertThat(d.initialWindowSize()).isEqualTo(1_048_576);
        assertThat(d.connectionWindowSize()).isEqualTo(16_777_216);
        assertThat(d.maxFrameSize()).isEqualTo(16_384);
        assertThat(d.maxHeaderListSize()).isEqualTo(65_536);
        assertThat(d.headerTableSize()).isEqualTo(4096);
        Http2Settings s = Http2Settings.builder().maxConcurrentStreams(50).initialWindowSize(65_535)
            .connectionWindowSize(Integer.MAX_VALUE).maxFrameSize(16_777_215).maxHeaderListSize(1024)
            .headerTableSize(0).build();
        assertThat(s).isEqualTo(new Http2Settings(50, 65_535, Integer.MAX_VALUE, 16_777_215, 1024, 0));
        assertThat(s.toBuilder().build()).isEqualTo(s);
        assertThat(config(b -> b.http2(s)).http2()).isEqualTo(s);
        assertThat(config(b -> b.http2(s)).toBuilder().build().http2()).isEqualTo(s);
    }

    @Test
    void impossibleHttp2SettingsAreRefusedNamingTheProperty() {
        assertThatIllegalArgumentException().isThrownBy(() -> Http2Settings.builder().maxConcurrentStreams(-1).build())
            .withMessage("hotpool.http2.max-concurrent-streams (-1) must not be negative (0: as many as the server"
                    + " allows)");
        assertThatIllegalArgumentException().isThrownBy(() -> Http2Settings.builder().initialWindowSize(65_534).build())
            .withMessage("hotpool.http2.initial-window-size (65534) must be from 65535 to 2147483647");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Http2Settings.builder().connectionWindowSize(65_534).initialWindowSize(65_535).build())
            .withMessage("hotpool.http2.connection-window-size (65534) must be from 65535 to 2147483647");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Http2Settings.builder().initialWindowSize(4 << 20).connectionWindowSize(2 << 20).build())
            .withMessage("hotpool.http2.connection-window-size (2097152) must not be less than"
                    + " hotpool.http2.initial-window-size (4194304): one stream could never use its whole window");
        assertThatIllegalArgumentException().isThrownBy(() -> Http2Settings.builder().maxFrameSize(16_383).build())
            .withMessage("hotpool.http2.max-frame-size (16383) must be from 16384 to 16777215");
        assertThatIllegalArgumentException().isThrownBy(() -> Http2Settings.builder().maxFrameSize(16_777_216).build())
            .withMessage("hotpool.http2.max-frame-size (16777216) must be from 16384 to 16777215");
        assertThatIllegalArgumentException().isThrownBy(() -> Http2Settings.builder().maxHeaderListSize(1023).build())
            .withMessage("hotpool.http2.max-header-list-size (1023) must be at least 1024");
        assertThatIllegalArgumentException().isThrownBy(() -> Http2Settings.builder().headerTableSize(-1).build())
            .withMessage("hotpool.http2.header-table-size (-1) must not be negative");
        assertThatNullPointerException().isThrownBy(() -> config(b -> b.http2(null)))
            .withMessage("'http2' must not be null");
    }
}
