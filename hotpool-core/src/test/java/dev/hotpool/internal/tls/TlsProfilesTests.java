package dev.hotpool.internal.tls;

import dev.hotpool.testsupport.LogCapture;
import dev.hotpool.tls.Fingerprint;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;
import dev.hotpool.tls.TlsProfiles.Rotation;
import dev.hotpool.tls.TlsProvider;

import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Building a pool's profiles: names are checked, every profile is verified against what the provider really sends
 * on this JVM (BCJSSE would drop what it cannot send without a word; hotpool refuses to start), built-in profiles
 * adapt to the JDK's SunJSSE and say what they leave out, and new connections spread over the profiles as the
 * rotation says.
 */
class TlsProfilesTests {

    private static final TlsProfile A = TlsProfile.builder("a").cipherSuites(List.of("TLS_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")).build();

    private static final TlsProfile B = TlsProfile.builder("b").protocols(List.of("TLSv1.3")).build();

    /** How messages name the running JDK: {@code Java 25.0.3}. */
    private static final String JAVA = "Java " + Runtime.version().version().stream().map(String::valueOf)
        .collect(Collectors.joining("."));

    @Test
    void defaultsAreTheDefaultProfileOnBouncyCastleForEveryConnection() {
        TlsProfiles defaults = TlsProfiles.defaults();
        assertThat(defaults.provider()).isEqualTo(TlsProvider.BC);
        assertThat(defaults.rotation()).isEqualTo(Rotation.FIXED);
        assertThat(defaults.next().name()).isEqualTo("default");
        assertThat(defaults.next()).isSameAs(defaults.next()).isSameAs(defaults.profile());
        assertThat(Verify.fingerprints(defaults)).containsOnlyKeys("default");
        assertThat(defaults.profiles()).containsKeys("default", "modern", "compatible", "browser-like");
        assertThat(defaults).hasToString("TlsProfiles[bc, default]");
    }

    @Test
    void roundRobinSpreadsNewConnectionsEvenlyInTurn() {
        TlsProfiles profiles = TlsProfiles.builder().add(A).add(B).rotation(Rotation.ROUND_ROBIN)
            .rotateProfiles(List.of("a", "b", "modern")).build();
        List<String> picked = IntStream.range(0, 30).mapToObj((i) -> profiles.next().name()).toList();
        assertThat(counts(picked)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 10L, "b", 10L, "modern", 10L));
        assertThat(picked.subList(0, 6)).containsExactly("a", "b", "modern", "a", "b", "modern");
        assertThat(profiles).hasToString("TlsProfiles[bc, round-robin over [a, b, modern]]");
    }

    @Test
    void aProfileListedTwiceIsUsedTwiceAsOften() {
        TlsProfiles profiles = TlsProfiles.builder().add(A).rotation(Rotation.ROUND_ROBIN)
            .rotateProfiles(List.of("a", "a", "default")).build();
        List<String> picked = IntStream.range(0, 30).mapToObj((i) -> profiles.next().name()).toList();
        assertThat(counts(picked)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 20L, "default", 10L));
        assertThat(profiles.inUse()).extracting(TlsProfile::name).containsExactly("a", "default");
    }

    @Test
    void randomSpreadsNewConnectionsAboutEvenly() {
        TlsProfiles profiles = TlsProfiles.builder().add(A).add(B).rotation(Rotation.RANDOM)
            .rotateProfiles(List.of("a", "b", "modern")).random(new Random(42)).build();
        List<String> picked = IntStream.range(0, 3000).mapToObj((i) -> profiles.next().name()).toList();
        assertThat(counts(picked)).containsOnlyKeys("a", "b", "modern")
            .allSatisfy((name, n) -> assertThat(n).isBetween(900L, 1100L));
    }

    @Test
    void fixedRotationAlwaysUsesTheChosenProfile() {
        TlsProfiles profiles = TlsProfiles.builder().add(A).add(B).profile("b").build();
        assertThat(IntStream.range(0, 10).mapToObj((i) -> profiles.next().name())).containsOnly("b");
        assertThat(Verify.fingerprints(profiles)).containsOnlyKeys("b");
    }

    @Test
    void fingerprintsCoverTheProfilesInUseInConfigurationOrder() {
        TlsProfiles profiles = TlsProfiles.builder().add(A).rotation(Rotation.ROUND_ROBIN)
            .rotateProfiles(List.of("modern", "a")).build();
        assertThat(Verify.fingerprints(profiles)).containsOnlyKeys("modern", "a");
        assertThat(Verify.fingerprints(profiles).keySet()).containsExactly("modern", "a");
        Fingerprint modern = Verify.fingerprints(profiles).get("modern");
        assertThat(modern.profile()).isEqualTo("modern");
        assertThat(modern.provider()).isEqualTo(TlsProvider.BC);
        assertThat(modern.ja4()).matches("t13d0307h1_[0-9a-f]{12}_[0-9a-f]{12}");
        assertThat(modern.ipLiteral().ja4()).matches("t13i0306h1_[0-9a-f]{12}_[0-9a-f]{12}");
        assertThat(modern.ja3()).startsWith("771,4865-4866-4867,");
        assertThat(modern.ja3Md5()).matches("[0-9a-f]{32}");
        assertThat(modern.hostName().ja4Raw()).startsWith("t13d0307h1_1301,1302,1303_");
        assertThat(modern.hostName().length()).isGreaterThan(modern.ipLiteral().length());
        Fingerprint a = Verify.fingerprints(profiles).get("a");
        assertThat(a.ja4()).startsWith("t13d04");
    }

    @Test
    void namesAreMatchedWithoutCaseAndKeptInTheirCanonicalSpelling() {
        TlsProfile mixed = TlsProfile.builder("mixed").cipherSuites(List.of("tls_aes_128_gcm_sha256",
                "SSL_ECDHE_RSA_WITH_AES_128_GCM_SHA256")).namedGroups(List.of("X25519", "SECP256R1"))
            .keyShares(List.of("x25519")).signatureSchemes(List.of("ECDSA_SECP256R1_SHA256", "rsa_pss_rsae_sha256"))
            .build();
        TlsProfile sent = TlsSetup.verify(TlsProfiles.builder().add(mixed).build(), List.of()).profile("mixed");
        assertThat(sent.cipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(sent.namedGroups()).containsExactly("x25519", "secp256r1");
        assertThat(sent.signatureSchemes()).containsExactly("ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256");
    }

    @Test
    void anUnknownCipherSuiteFailsNamingProfilePropertyAndValue() {
        TlsProfile bogus = TlsProfile.builder("fast").cipherSuites(List.of("TLS_AES_128_GCM_SHA256",
                "TLS_AES_256_GCM_SHA384", "TLS_BOGUS")).build();
        assertThatIllegalArgumentException().isThrownBy(() -> Verify.checked(TlsProfiles.builder().add(bogus).build()))
            .withMessage("hotpool.tls.profiles.fast.cipher-suites[2] (TLS_BOGUS) is not supported by BouncyCastle JSSE"
                    + " on this JVM");
    }

    @Test
    void anUnknownGroupOrSignatureSchemeFailsLikewise() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Verify.checked(TlsProfiles.builder()
                .add(TlsProfile.builder("g").namedGroups(List.of("x25519", "curve9")).build()).build()))
            .withMessage("hotpool.tls.profiles.g.named-groups[1] (curve9) is not supported by BouncyCastle JSSE on this"
                    + " JVM");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Verify.checked(TlsProfiles.builder()
                .add(TlsProfile.builder("s").signatureSchemes(List.of("rsa_pkcs1_md5")).build()).build()))
            .withMessage("hotpool.tls.profiles.s.signature-schemes[0] (rsa_pkcs1_md5) is not supported by BouncyCastle"
                    + " JSSE on this JVM");
    }

    /**
     * A name BCJSSE knows but leaves out of the hello on this JVM: 3DES is in jdk.tls.disabledAlgorithms on every
     * supported JDK, and the message names the entry that disables it.
     */
    @Test
    void aKnownNameTheProviderSilentlyDropsFailsToo() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Verify.checked(TlsProfiles.builder().add(TlsProfile.builder("old")
                .cipherSuites(List.of("TLS_AES_128_GCM_SHA256", "TLS_RSA_WITH_3DES_EDE_CBC_SHA")).build()).build()))
            .withMessage("hotpool.tls.profiles.old.cipher-suites[1] (TLS_RSA_WITH_3DES_EDE_CBC_SHA) is not supported by"
                    + " BouncyCastle JSSE on " + JAVA + ": it leaves it out of the ClientHello (disabled by"
                    + " jdk.tls.disabledAlgorithms: 3DES_EDE_CBC)");
    }

    /**
     * The ML-KEM hybrid: BCJSSE finds ML-KEM only through the JCA's global lookup. Java 24 and later have it (SunJCE's
     * {@code KEM.ML-KEM}), so the group goes out; before, only a registered BouncyCastle provider has it, which
     * hotpool never installs, so a profile asking for it fails. Either way the profile gets what the hello carries.
     */
    @Test
    void theMlKemHybridIsSentWhereTheJdkHasMlKemAndRefusedWhereItHasNot() {
        TlsProfile pq = TlsProfile.builder("pq").namedGroups(List.of("X25519MLKEM768", "x25519"))
            .keyShares(List.of("X25519MLKEM768", "x25519")).build();
        if (Security.getProviders("KEM.ML-KEM") == null) {
            assertThatIllegalArgumentException().isThrownBy(() -> Verify.checked(TlsProfiles.builder().add(pq).build()))
                .withMessageStartingWith("hotpool.tls.profiles.pq.named-groups[0] (X25519MLKEM768) is not supported by"
                        + " BouncyCastle JSSE on " + JAVA + ": it leaves it out of the ClientHello");
        }
        else {
            TlsProfiles profiles = TlsProfiles.builder().add(pq).profile("pq").build();
            assertThat(profiles.profile("pq").namedGroups()).containsExactly("X25519MLKEM768", "x25519");
            // An ML-KEM-768 share alone is 1,184 bytes: the hello is far larger than any profile's without it.
            assertThat(Verify.fingerprints(profiles).get("pq").hostName().length()).isGreaterThan(1_400);
        }
    }

    @Test
    void aCipherSuiteOfAProtocolTheProfileDoesNotOfferFailsSayingSo() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Verify.checked(TlsProfiles.builder().add(TlsProfile.builder("twelve").protocols(List.of("TLSv1.2"))
                .cipherSuites(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256")).build())
                .build()))
            .withMessage("hotpool.tls.profiles.twelve.cipher-suites[1] (TLS_AES_128_GCM_SHA256) is a TLS 1.3 cipher"
                    + " suite, but hotpool.tls.profiles.twelve.protocols [TLSv1.2] does not include TLSv1.3");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Verify.checked(TlsProfiles.builder().add(TlsProfile.builder("shares").protocols(List.of("TLSv1.2"))
                .keyShares(List.of("x25519")).build()).build()))
            .withMessage("hotpool.tls.profiles.shares.key-shares [x25519] are sent only with TLSv1.3, which"
                    + " hotpool.tls.profiles.shares.protocols [TLSv1.2] does not include");
    }

    @Test
    void anUnknownProfileNameFailsListingTheProfiles() {
        assertThatIllegalArgumentException().isThrownBy(() -> Verify.checked(TlsProfiles.builder().add(A).profile("fast").build()))
            .withMessage("hotpool.tls.profile (fast) names no TLS profile; the built-in profiles are default, modern,"
                    + " compatible, browser-like, the configured ones a");
        assertThatIllegalArgumentException().isThrownBy(() -> Verify.checked(TlsProfiles.builder().rotation(Rotation.RANDOM)
            .rotateProfiles(List.of("modern", "nope")).build()))
            .withMessage("hotpool.tls.rotate-profiles[1] (nope) names no TLS profile; the built-in profiles are default,"
                    + " modern, compatible, browser-like");
    }

    @Test
    void rotationAndItsProfilesGoTogether() {
        assertThatIllegalArgumentException().isThrownBy(() -> Verify.checked(TlsProfiles.builder().rotation(Rotation.ROUND_ROBIN).build()))
            .withMessage("hotpool.tls.rotate-profiles must name the profiles to rotate over when hotpool.tls.rotation"
                    + " is round-robin");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Verify.checked(TlsProfiles.builder().rotateProfiles(List.of("modern", "default")).build()))
            .withMessage("hotpool.tls.rotate-profiles [modern, default] is used only when hotpool.tls.rotation is"
                    + " round-robin or random (it is fixed); set the rotation, or remove the list");
    }

    @Test
    void aProfileConfiguredTwiceFails() {
        assertThatIllegalArgumentException().isThrownBy(() -> Verify.checked(TlsProfiles.builder().add(A).add(A).build()))
            .withMessage("hotpool.tls.profiles.a is configured twice");
    }

    /**
     * SunJSSE sets signature schemes per connection from Java 19 and named groups from Java 20, key shares never: on
     * Java 17 the built-in profiles keep protocols, suites and ALPN; on Java 25 they keep all but the key shares. The
     * RSA PKCS#1 schemes of the TLS 1.3-only {@code modern} profile stay: SunJSSE sends them in
     * signature_algorithms_cert, where TLS 1.3 uses them (without them it would refuse certificates signed
     * SHA256withRSA).
     */
    @Test
    void onTheJdkBuiltInProfilesKeepWhatSunJsseSetsAndLogWhatTheyLeaveOut() {
        boolean signatures = Runtime.version().feature() >= 19;
        boolean groups = Runtime.version().feature() >= 20;
        try (LogCapture log = new LogCapture(TlsSetup.class)) {
            TlsSetup.Verified jdk = TlsSetup.verify(TlsProfiles.builder().provider(TlsProvider.JDK).profile("modern")
                .build(), List.of());
            TlsProfile modern = jdk.effective(jdk.declared().next());
            assertThat(modern.protocols()).containsExactly("TLSv1.3");
            assertThat(modern.cipherSuites()).isEqualTo(TlsProfile.MODERN.cipherSuites());
            assertThat(modern.alpn()).containsExactly("http/1.1");
            assertThat(modern.namedGroups()).isEqualTo(groups ? TlsProfile.MODERN.namedGroups() : List.of());
            assertThat(modern.keyShares()).isEmpty();
            assertThat(modern.signatureSchemes())
                .isEqualTo(signatures ? TlsProfile.MODERN.signatureSchemes() : List.of());
            assertThat(modern.builtIn()).isTrue();
            assertThat(jdk.inUseFingerprints().get("modern").provider()).isEqualTo(TlsProvider.JDK);
            String keyShares = "key-shares [x25519] (it never lets a client choose its key shares)";
            String expected = "hotpool: built-in TLS profile 'modern' on the JDK's SunJSSE leaves out what it cannot"
                    + " send on " + JAVA + ": ";
            if (groups) {
                assertThat(log.messages()).containsExactly(expected + keyShares
                        + ". Its fingerprint shows what it does send");
            }
            else {
                assertThat(log.messages()).singleElement().asString().startsWith(expected
                        + "named-groups [x25519, secp256r1, secp384r1] (it sets named groups per connection only from"
                        + " Java 20 (before, only JVM-wide with -Djdk.tls.namedGroups)); " + keyShares + "; "
                        + "signature-schemes [ecdsa_secp256r1_sha256, ");
            }
        }
    }

    /**
     * Java 24 and later disable the static-RSA suites ({@code TLS_RSA_*} in jdk.tls.disabledAlgorithms), four of
     * Chrome's fifteen: on such a JDK {@code browser-like} leaves them out and says which entry disabled them; where
     * they are allowed, it keeps all fifteen.
     */
    @Test
    void onTheJdkBrowserLikeLeavesOutOnlyTheSuitesTheJdkDisablesAndNamesTheEntry() {
        List<String> staticRsa = TlsProfile.BROWSER_LIKE.cipherSuites().stream().filter((s) -> s.startsWith("TLS_RSA_"))
            .toList();
        assertThat(staticRsa).hasSize(4);
        boolean disabled = List.of(Security.getProperty("jdk.tls.disabledAlgorithms").split(",")).stream()
            .map(String::trim).anyMatch("TLS_RSA_*"::equals);
        try (LogCapture log = new LogCapture(TlsSetup.class)) {
            TlsSetup.Verified jdk = TlsSetup.verify(TlsProfiles.builder().provider(TlsProvider.JDK)
                .profile("browser-like").build(), List.of());
            TlsProfile browserLike = jdk.effective(jdk.declared().next());
            List<String> kept = new ArrayList<>(TlsProfile.BROWSER_LIKE.cipherSuites());
            if (disabled) {
                kept.removeAll(staticRsa);
                assertThat(log.messages()).singleElement().asString().contains("; cipher-suites " + staticRsa
                        + " (disabled by jdk.tls.disabledAlgorithms: TLS_RSA_*)");
            }
            else {
                assertThat(log.messages()).singleElement().asString().doesNotContain("cipher-suites");
            }
            assertThat(browserLike.cipherSuites()).isEqualTo(kept);
        }
    }

    @Test
    void onTheJdkAConfiguredProfileWithWhatSunJsseCannotSetFailsNamingIt() {
        TlsProfile shares = TlsProfile.builder("shares").keyShares(List.of("x25519")).build();
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Verify.checked(TlsProfiles.builder().provider(TlsProvider.JDK).add(shares).build()))
            .withMessage("hotpool.tls.profiles.shares.key-shares [x25519] cannot be honoured by the JDK's SunJSSE on "
                    + JAVA + ": it never lets a client choose its key shares; remove the property, or use"
                    + " hotpool.tls.provider=bc");
        TlsProfile groups = TlsProfile.builder("groups").namedGroups(List.of("x25519")).build();
        if (Runtime.version().feature() < 20) {
            assertThatIllegalArgumentException()
                .isThrownBy(() -> Verify.checked(TlsProfiles.builder().provider(TlsProvider.JDK).add(groups).build()))
                .withMessage("hotpool.tls.profiles.groups.named-groups [x25519] cannot be honoured by the JDK's SunJSSE"
                        + " on " + JAVA + ": it sets named groups per connection only from Java 20 (before, only"
                        + " JVM-wide with -Djdk.tls.namedGroups); remove the property, or use hotpool.tls.provider=bc");
        }
        else {
            assertThat(TlsProfiles.builder().provider(TlsProvider.JDK).add(groups).build().profile("groups")
                .namedGroups()).containsExactly("x25519");
        }
    }

    /** A TLS 1.3-only profile of one's own with RSA PKCS#1 schemes: SunJSSE sends them for certificates only. */
    @Test
    void onTheJdkATls13ProfileKeepsItsRsaPkcs1SchemesForCertificates() {
        TlsProfile rsa = TlsProfile.builder("rsa13").protocols(List.of("TLSv1.3"))
            .signatureSchemes(List.of("rsa_pss_rsae_sha256", "rsa_pkcs1_sha256")).build();
        if (Runtime.version().feature() >= 19) {
            assertThat(TlsProfiles.builder().provider(TlsProvider.JDK).add(rsa).build().profile("rsa13")
                .signatureSchemes()).containsExactly("rsa_pss_rsae_sha256", "rsa_pkcs1_sha256");
        }
        else {
            assertThatIllegalArgumentException()
                .isThrownBy(() -> Verify.checked(TlsProfiles.builder().provider(TlsProvider.JDK).add(rsa).build()))
                .withMessageStartingWith("hotpool.tls.profiles.rsa13.signature-schemes [rsa_pss_rsae_sha256,"
                        + " rsa_pkcs1_sha256] cannot be honoured by the JDK's SunJSSE on " + JAVA);
        }
    }

    @Test
    void onTheJdkACipherSuiteSunJsseDoesNotKnowFails() {
        TlsProfile aria = TlsProfile.builder("aria").cipherSuites(List.of("TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256"))
            .build();
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Verify.checked(TlsProfiles.builder().provider(TlsProvider.JDK).add(aria).build()))
            .withMessage("hotpool.tls.profiles.aria.cipher-suites[0] (TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256) is not"
                    + " supported by the JDK's SunJSSE on this JVM");
        assertThat(TlsProfiles.builder().add(aria).build().profile("aria").cipherSuites())
            .as("BouncyCastle sends ARIA").containsExactly("TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256");
    }

    @Test
    void configuredProfilesAreVerifiedEvenWhenNotInUse() {
        TlsProfile bogus = TlsProfile.builder("unused").namedGroups(List.of("curve9")).build();
        assertThatIllegalArgumentException().isThrownBy(() -> Verify.checked(TlsProfiles.builder().add(bogus).build()))
            .withMessageStartingWith("hotpool.tls.profiles.unused.named-groups[0] (curve9)");
    }

    private static Map<String, Long> counts(List<String> names) {
        return names.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
}
