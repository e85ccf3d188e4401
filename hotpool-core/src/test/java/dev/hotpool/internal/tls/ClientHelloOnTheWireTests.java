package dev.hotpool.internal.tls;

import dev.hotpool.Origin;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.tls.Fingerprint;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;
import dev.hotpool.tls.TlsProvider;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * What each profile puts on the wire, read by a ClientHello-parsing relay ({@link SniffingProxy}) in front of a
 * real server, so every handshake completes: versions, cipher order, groups, key shares, signature schemes, ALPN
 * and SNI are the configured ones, and the JA3/JA4 a {@link TlsProfiles} captured at build time are those of the
 * hellos real connections send.
 */
class ClientHelloOnTheWireTests {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static final TlsProfile CUSTOM = TlsProfile.builder("custom")
        .cipherSuites(List.of("TLS_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"))
        .namedGroups(List.of("secp384r1", "secp256r1", "x25519"))
        .keyShares(List.of("secp384r1", "x25519"))
        .signatureSchemes(List.of("rsa_pss_rsae_sha384", "ecdsa_secp384r1_sha384", "rsa_pss_rsae_sha256",
                "ecdsa_secp256r1_sha256", "rsa_pkcs1_sha256"))
        .build();

    private static final TlsProfile NO_ALPN = TlsProfile.builder("no-alpn").alpn(List.of()).build();

    private static TlsSetup.Verified bc;

    private static TlsSetup.Verified jdk;

    private static HandshakeServer server;

    private static TestCertificates certs;

    @BeforeAll
    static void start() throws IOException {
        List<String> builtIns = List.copyOf(TlsProfile.builtIns().keySet());
        List<String> all = new ArrayList<>(builtIns);
        all.add(CUSTOM.name());
        all.add(NO_ALPN.name());
        bc = TlsSetup.verify(TlsProfiles.builder().add(CUSTOM).add(NO_ALPN).rotation(TlsProfiles.Rotation.ROUND_ROBIN)
            .rotateProfiles(all).build(), List.of());
        List<String> jdkProfiles = new ArrayList<>(builtIns);
        jdkProfiles.add(NO_ALPN.name());
        jdk = TlsSetup.verify(TlsProfiles.builder().provider(TlsProvider.JDK).add(NO_ALPN).rotation(TlsProfiles.Rotation.ROUND_ROBIN)
            .rotateProfiles(jdkProfiles).build(), List.of());
        certs = TestCertificates.localhost(KeyType.EC);
        SSLServerSocket listener = certs.serverSocket(LOOPBACK);
        SSLParameters parameters = listener.getSSLParameters();
        parameters.setApplicationProtocols(new String[] { "http/1.1" });
        listener.setSSLParameters(parameters);
        server = HandshakeServer.tls(listener);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    static Stream<Arguments> bouncyCastleProfiles() {
        return Stream.of("default", "modern", "compatible", "browser-like", "custom", "no-alpn").map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bouncyCastleProfiles")
    void bouncyCastleSendsExactlyTheProfile(String name) throws Exception {
        TlsProfile profile = bc.profile(name);
        try (SniffingProxy proxy = SniffingProxy.to(server.port());
                SSLSocket socket = handshake(new TlsConnector(TlsProvider.BC), proxy, "localhost", profile)) {
            ClientHello hello = proxy.nextHello();
            assertThat(hello.protocols()).isEqualTo(profile.protocols());
            List<Integer> ciphers = new ArrayList<>(codes(profile.cipherSuites(), TlsNames::cipherSuite));
            if (!ciphers.isEmpty()) {
                if (profile.protocols().contains("TLSv1.2")) {
                    // BCJSSE appends the renegotiation SCSV, and sends no renegotiation_info extension.
                    ciphers.add(TlsNames.RENEGOTIATION_INFO_SCSV);
                }
                assertThat(hello.cipherSuites()).isEqualTo(ciphers);
            }
            if (!profile.namedGroups().isEmpty()) {
                assertThat(hello.namedGroups()).isEqualTo(codes(profile.namedGroups(), TlsNames::namedGroup));
            }
            if (!profile.keyShares().isEmpty()) {
                assertThat(hello.keyShares()).isEqualTo(codes(profile.keyShares(), TlsNames::namedGroup));
            }
            if (!profile.signatureSchemes().isEmpty()) {
                assertThat(hello.signatureAlgorithms())
                    .isEqualTo(codes(profile.signatureSchemes(), TlsNames::signatureScheme));
            }
            assertThat(hello.alpn()).isEqualTo(profile.alpn());
            assertThat(hello.serverName()).isEqualTo("localhost");
            assertThat(hello.extensions()).doesNotContain(0xff01);
            assertThat(hello.recordVersion()).isEqualTo(0x0301);
            assertThat(socket.getApplicationProtocol()).isEqualTo(profile.alpn().isEmpty() ? "" : "http/1.1");
            Fingerprint captured = bc.inUseFingerprints().get(name);
            assertThat(hello.ja3()).isEqualTo(captured.ja3());
            assertThat(hello.ja3Md5()).isEqualTo(captured.ja3Md5());
            assertThat(hello.ja4()).isEqualTo(captured.ja4());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bouncyCastleProfiles")
    void helloToAnIpAddressHasNoSniAndTheIpLiteralFingerprint(String name) throws Exception {
        TlsProfile profile = bc.profile(name);
        try (SniffingProxy proxy = SniffingProxy.to(server.port());
                SSLSocket socket = handshake(new TlsConnector(TlsProvider.BC), proxy, "127.0.0.1", profile)) {
            ClientHello hello = proxy.nextHello();
            assertThat(hello.serverName()).isNull();
            assertThat(hello.extensions()).doesNotContain(0x0000);
            Fingerprint captured = bc.inUseFingerprints().get(name);
            assertThat(hello.ja3()).isEqualTo(captured.ipLiteral().ja3());
            assertThat(hello.ja4()).isEqualTo(captured.ipLiteral().ja4());
            assertThat(hello.ja4()).startsWith(captured.ja4().substring(0, 3) + "i");
        }
    }

    /**
     * SunJSSE sends the profile's protocols, suites (in order, without an SCSV: it sends renegotiation_info) and ALPN
     * on every JDK; its named groups in order where it can set them (Java 20 and later), and its signature schemes
     * where it can set them (Java 19 and later). Those go out twice, each list keeping what is valid there:
     * signature_algorithms_cert carries them all, in order; signature_algorithms too, less the RSA PKCS#1 schemes
     * when the hello offers TLS 1.3 only (RFC 8446 allows them for certificates only). Key shares are SunJSSE's.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Kind.class)
    void jdkSendsTheProfilesProtocolsCiphersAlpnAndWhereItCanItsGroupsAndSignatures(Kind kind) throws Exception {
        TlsProfile profile = jdk.profile(kind.profile);
        TlsProfile asDefined = kind == Kind.NO_ALPN ? NO_ALPN : TlsProfile.builtIns().get(kind.profile);
        try (SniffingProxy proxy = SniffingProxy.to(server.port());
                SSLSocket socket = handshake(new TlsConnector(TlsProvider.JDK), proxy, "localhost", profile)) {
            ClientHello hello = proxy.nextHello();
            assertThat(hello.protocols()).isEqualTo(profile.protocols());
            if (!profile.cipherSuites().isEmpty()) {
                assertThat(hello.cipherSuites()).isEqualTo(codes(profile.cipherSuites(), TlsNames::cipherSuite));
            }
            assertThat(hello.alpn()).isEqualTo(profile.alpn());
            assertThat(hello.serverName()).isEqualTo("localhost");
            assertThat(hello.recordVersion()).isEqualTo(0x0303);
            assertThat(profile.keyShares()).isEmpty();
            if (Runtime.version().feature() >= 20) {
                assertThat(profile.namedGroups()).isEqualTo(asDefined.namedGroups());
                if (!profile.namedGroups().isEmpty()) {
                    assertThat(hello.namedGroups()).isEqualTo(codes(profile.namedGroups(), TlsNames::namedGroup));
                }
            }
            else {
                assertThat(profile.namedGroups()).isEmpty();
            }
            if (Runtime.version().feature() >= 19) {
                assertThat(profile.signatureSchemes()).isEqualTo(asDefined.signatureSchemes());
                if (!profile.signatureSchemes().isEmpty()) {
                    List<Integer> schemes = codes(profile.signatureSchemes(), TlsNames::signatureScheme);
                    assertThat(hello.signatureAlgorithmsCert()).isEqualTo(schemes);
                    boolean tls13Only = !profile.protocols().contains("TLSv1.2");
                    assertThat(hello.signatureAlgorithms()).isEqualTo(codes(profile.signatureSchemes().stream()
                        .filter((name) -> !(tls13Only && name.startsWith("rsa_pkcs1_"))).toList(),
                            TlsNames::signatureScheme));
                }
            }
            else {
                assertThat(profile.signatureSchemes()).isEmpty();
            }
            Fingerprint captured = jdk.inUseFingerprints().get(kind.profile);
            assertThat(captured.provider()).isEqualTo(TlsProvider.JDK);
            assertThat(hello.ja3()).isEqualTo(captured.ja3());
            assertThat(hello.ja4()).isEqualTo(captured.ja4());
        }
    }

    /**
     * SunJSSE, unlike BCJSSE, sends the browser cipher list without an SCSV. Where the JDK allows Chrome's four
     * static-RSA suites its cipher hash is Chrome's; Java 24 and later disable them ({@code TLS_RSA_*} in
     * jdk.tls.disabledAlgorithms), and it sends the other eleven in Chrome's order.
     */
    @Test
    void browserLikeOnTheJdkHasChromesCipherHashWhereTheJdkAllowsChromesSuites() throws Exception {
        boolean staticRsaDisabled = List.of(Security.getProperty("jdk.tls.disabledAlgorithms").split(",")).stream()
            .map(String::trim).anyMatch("TLS_RSA_*"::equals);
        List<String> chrome = TlsProfile.BROWSER_LIKE.cipherSuites();
        List<String> expected = staticRsaDisabled ? chrome.stream().filter((s) -> !s.startsWith("TLS_RSA_")).toList()
                : chrome;
        TlsProfile profile = jdk.profile("browser-like");
        assertThat(profile.cipherSuites()).isEqualTo(expected);
        try (SniffingProxy proxy = SniffingProxy.to(server.port());
                SSLSocket socket = handshake(new TlsConnector(TlsProvider.JDK), proxy, "localhost", profile)) {
            assertThat(proxy.nextHello().cipherSuites()).isEqualTo(codes(expected, TlsNames::cipherSuite));
        }
        if (staticRsaDisabled) {
            assertThat(jdk.inUseFingerprints().get("browser-like").ja4()).startsWith("t13d1114h1_")
                .doesNotContain("8daaf6152771");
        }
        else {
            assertThat(jdk.inUseFingerprints().get("browser-like").ja4()).startsWith("t13d1514h1_8daaf6152771_");
        }
        assertThat(bc.inUseFingerprints().get("browser-like").ja4()).startsWith("t13d1611h1_");
    }

    /**
     * Where the JDK has ML-KEM (Java 24 and later), BCJSSE sends the X25519MLKEM768 hybrid a profile asks for, with
     * its key share, and the handshake with a server that does not know it (SunJSSE) completes on x25519. (secp256r1
     * is offered because a SunJSSE server uses its P-256 certificate only for clients that list that curve, TLS 1.3
     * or not.)
     */
    @Test
    void bouncyCastleSendsTheMlKemHybridWhereTheJdkHasMlKem() throws Exception {
        assumeThat(Security.getProviders("KEM.ML-KEM")).as("this JDK has no ML-KEM (Java 24 and later have it);"
                + " TlsProfilesTests checks the refusal").isNotNull();
        TlsProfile pq = TlsProfiles.builder().add(TlsProfile.builder("pq").namedGroups(List.of("X25519MLKEM768",
                "x25519", "secp256r1")).keyShares(List.of("X25519MLKEM768", "x25519")).build()).build().profile("pq");
        try (SniffingProxy proxy = SniffingProxy.to(server.port());
                SSLSocket socket = handshake(new TlsConnector(TlsProvider.BC), proxy, "localhost", pq)) {
            ClientHello hello = proxy.nextHello();
            assertThat(hello.namedGroups()).containsExactly(0x11ec, 0x001d, 0x0017);
            assertThat(hello.keyShares()).containsExactly(0x11ec, 0x001d);
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    /**
     * BCJSSE's defaults (no profile values but the protocols) to an IP address without ALPN: the JA4 the notes on
     * BCJSSE recorded for this machine's Java with JDK-first crypto, reproduced by capture and fingerprint code.
     */
    @Test
    void bouncyCastleDefaultsGiveTheFingerprintRecordedInTheNotes() {
        assumeThat(Runtime.version().toString()).as("recorded on OpenJDK 17.0.15").startsWith("17.0.15");
        assertThat(bc.inUseFingerprints().get("no-alpn").ipLiteral().ja4()).isEqualTo("t13i310900_1d947a95fc68_c54afcc0a834");
    }

    /** The built-in profiles on the JDK, and the one without ALPN. */
    enum Kind {

        DEFAULT("default"), MODERN("modern"), COMPATIBLE("compatible"), BROWSER_LIKE("browser-like"),
        NO_ALPN("no-alpn");

        final String profile;

        Kind(String profile) {
            this.profile = profile;
        }
    }

    private SSLSocket handshake(TlsConnector connector, SniffingProxy proxy, String host, TlsProfile profile)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, proxy.port());
        Socket raw = new Socket();
        raw.connect(address, 10_000);
        return connector.handshake(raw, Origin.of("https", host, proxy.port()), address, certs.clientSettings(),
                profile, 10_000);
    }

    private static List<Integer> codes(List<String> names, ToIntFunction<String> code) {
        return names.stream().map(code::applyAsInt).toList();
    }
}
