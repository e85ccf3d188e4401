package dev.hotpool.internal.tls;

import dev.hotpool.tls.TlsProfile;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** What a profile checks by itself, whatever the provider; and what the built-in profiles hold. */
class TlsProfileTests {

    @Test
    void builtInProfilesAreDefaultModernCompatibleAndBrowserLike() {
        assertThat(TlsProfile.builtIns()).containsOnlyKeys("default", "modern", "compatible", "browser-like");
        assertThat(TlsProfile.builtIns().values()).allMatch(TlsProfile::builtIn);
        assertThat(TlsProfile.builtIns().values()).allSatisfy((p) -> assertThat(p.alpn()).containsExactly("http/1.1"));
    }

    @Test
    void defaultOffersTls13And12WithAeadSuitesWithForwardSecrecyOnly() {
        TlsProfile p = TlsProfile.DEFAULT;
        assertThat(p.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(p.cipherSuites()).allMatch((s) -> s.contains("GCM") || s.contains("CHACHA20_POLY1305"));
        assertThat(p.cipherSuites()).filteredOn((s) -> s.contains("_WITH_")).allMatch((s) -> s.startsWith("TLS_ECDHE_"));
        assertThat(p.namedGroups()).containsExactly("x25519", "secp256r1", "secp384r1");
        assertThat(p.keyShares()).containsExactly("x25519");
        assertThat(p.signatureSchemes()).noneMatch((s) -> s.contains("sha1"));
    }

    @Test
    void modernOffersTls13Only() {
        assertThat(TlsProfile.MODERN.protocols()).containsExactly("TLSv1.3");
        assertThat(TlsProfile.MODERN.cipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void compatibleAddsCbcAndFiniteFieldGroupsButNeverStaticRsaOrBrokenCiphers() {
        TlsProfile p = TlsProfile.COMPATIBLE;
        assertThat(p.cipherSuites()).containsAll(TlsProfile.DEFAULT.cipherSuites());
        assertThat(p.cipherSuites()).anyMatch((s) -> s.contains("_CBC_")).anyMatch((s) -> s.startsWith("TLS_DHE_"));
        assertThat(p.cipherSuites()).noneMatch((s) -> s.startsWith("TLS_RSA_") || s.contains("3DES")
                || s.contains("RC4") || s.contains("NULL") || s.contains("anon"));
        assertThat(p.namedGroups()).contains("ffdhe2048", "ffdhe3072");
        assertThat(p.keyShares()).containsExactly("x25519", "secp256r1");
    }

    @Test
    void browserLikeHasChromesCipherAndSignatureOrder() {
        assertThat(TlsProfile.BROWSER_LIKE.cipherSuites().stream().map(TlsNames::cipherSuite).toList()).containsExactly(
                0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d,
                0x002f, 0x0035);
        assertThat(TlsProfile.BROWSER_LIKE.signatureSchemes().stream().map(TlsNames::signatureScheme).toList())
            .containsExactly(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601);
        assertThat(TlsProfile.BROWSER_LIKE.namedGroups()).containsExactly("x25519", "secp256r1", "secp384r1");
    }

    @Test
    void aProfileLeftEmptyUsesTheProvidersListsWithBothProtocolsAndHttp11() {
        TlsProfile p = TlsProfile.builder("plain").build();
        assertThat(p.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(p.alpn()).containsExactly("http/1.1");
        assertThat(p.cipherSuites()).isEmpty();
        assertThat(p.namedGroups()).isEmpty();
        assertThat(p.keyShares()).isEmpty();
        assertThat(p.signatureSchemes()).isEmpty();
        assertThat(p.builtIn()).isFalse();
        assertThat(p).hasToString("TlsProfile[plain: [TLSv1.3, TLSv1.2], default cipher suites, groups (default),"
                + " key shares (default), default signature schemes, alpn [http/1.1]]");
    }

    @Test
    void protocolsOtherThanTls13And12AreRefused() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> TlsProfile.builder("old").protocols(List.of("TLSv1.2", "TLSv1.1")).build())
            .withMessage("hotpool.tls.profiles.old.protocols[1] (TLSv1.1) is not supported: hotpool speaks TLSv1.3 and"
                    + " TLSv1.2");
        assertThatIllegalArgumentException().isThrownBy(() -> TlsProfile.builder("none").protocols(List.of()).build())
            .withMessage("hotpool.tls.profiles.none.protocols must name at least one protocol: TLSv1.3, TLSv1.2");
    }

    @Test
    void alpnOtherThanH2AndHttp11IsRefusedBecauseThePoolSpeaksOnlyThose() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> TlsProfile.builder("spdy").alpn(List.of("h2", "spdy/3", "http/1.1")).build())
            .withMessage("hotpool.tls.profiles.spdy.alpn[1] (spdy/3) is not supported: hotpool speaks h2 and http/1.1"
                    + " over TLS, so it offers those or no ALPN at all");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> TlsProfile.builder("h2c").alpn(List.of("h2c")).build())
            .withMessageStartingWith("hotpool.tls.profiles.h2c.alpn[0] (h2c) is not supported");
        assertThat(TlsProfile.builder("h2").alpn(List.of("h2", "http/1.1")).build().alpn())
            .containsExactly("h2", "http/1.1");
        assertThat(TlsProfile.builder("none").alpn(List.of()).build().alpn()).isEmpty();
    }

    @Test
    void aNameListedTwiceIsRefused() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> TlsProfile.builder("twice").namedGroups(List.of("x25519", "secp256r1", "X25519")).build())
            .withMessage("hotpool.tls.profiles.twice.named-groups[2] (X25519) is listed twice");
    }

    @Test
    void aKeyShareMustBeOneOfTheNamedGroups() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> TlsProfile.builder("shares").namedGroups(List.of("x25519", "secp256r1"))
                .keyShares(List.of("secp384r1")).build())
            .withMessage("hotpool.tls.profiles.shares.key-shares[0] (secp384r1) is not one of"
                    + " hotpool.tls.profiles.shares.named-groups [x25519, secp256r1]");
    }

    @Test
    void builtInNamesCannotBeRedefined() {
        assertThatIllegalArgumentException().isThrownBy(() -> TlsProfile.builder("modern").build())
            .withMessage("hotpool.tls.profiles.modern is a built-in profile and cannot be redefined; configure your"
                    + " profile under another name and select it with hotpool.tls.profile");
    }
}
