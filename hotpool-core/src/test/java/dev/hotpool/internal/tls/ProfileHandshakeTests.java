package dev.hotpool.internal.tls;

import dev.hotpool.Origin;
import dev.hotpool.TlsHandshakeException;
import dev.hotpool.internal.tls.HttpsTestServer.Kind;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;
import dev.hotpool.tls.TlsProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocket;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every built-in profile completes a handshake, and an HTTP exchange, with real servers (embedded Tomcat and Jetty)
 * holding an RSA or an EC certificate, over TLS 1.3 and TLS 1.2 (which {@code modern} refuses), on BouncyCastle's
 * JSSE and on the JDK's.
 */
class ProfileHandshakeTests {

    private static final List<String> PROFILES = List.of("default", "modern", "compatible", "browser-like");

    private static TlsProfiles bc;

    private static TlsProfiles jdk;

    @TempDir
    Path workDir;

    @BeforeAll
    static void profiles() {
        bc = TlsProfiles.builder().rotation(TlsProfiles.Rotation.ROUND_ROBIN).rotateProfiles(PROFILES).build();
        jdk = TlsProfiles.builder().provider(TlsProvider.JDK).rotation(TlsProfiles.Rotation.ROUND_ROBIN)
            .rotateProfiles(PROFILES).build();
    }

    @ParameterizedTest(name = "{0}, {1} with an {2} certificate")
    @CsvSource({ "TOMCAT, TLSv1.3, RSA", "TOMCAT, TLSv1.3, EC", "TOMCAT, TLSv1.2, RSA", "TOMCAT, TLSv1.2, EC",
            "JETTY, TLSv1.3, RSA", "JETTY, TLSv1.3, EC", "JETTY, TLSv1.2, RSA", "JETTY, TLSv1.2, EC" })
    void everyBuiltInProfileCompletesAHandshakeAndAnExchange(Kind kind, String protocol, KeyType type) throws Exception {
        TestCertificates certs = TestCertificates.localhost(type);
        try (HttpsTestServer server = kind.start(certs, protocol, this.workDir)) {
            SoftAssertions softly = new SoftAssertions();
            for (TlsProfiles profiles : List.of(bc, jdk)) {
                TlsConnector connector = new TlsConnector(profiles.provider());
                for (String name : PROFILES) {
                    TlsProfile profile = profiles.profile(name);
                    String what = profiles.provider() + " " + name;
                    if (!profile.protocols().contains(protocol)) {
                        softly.assertThatThrownBy(() -> handshake(connector, server.port(), certs, profile)).as(what)
                            .isInstanceOf(TlsHandshakeException.class)
                            .hasMessageContaining("using profile '" + name + "'")
                            .hasMessageEndingWith("failed: no protocol or cipher suite in common");
                        continue;
                    }
                    try (SSLSocket socket = handshake(connector, server.port(), certs, profile)) {
                        softly.assertThat(socket.getSession().getProtocol()).as(what).isEqualTo(protocol);
                        softly.assertThat(profile.cipherSuites()).as(what).contains(socket.getSession().getCipherSuite());
                        softly.assertThat(get(socket)).as(what).startsWith("HTTP/1.1 200");
                    }
                }
            }
            softly.assertAll();
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({ "BC, TOMCAT", "JDK, TOMCAT", "BC, JETTY", "JDK, JETTY" })
    void aProfileWithoutACipherSuiteTheServerAcceptsFailsNamingTheProfile(TlsProvider provider, Kind kind)
            throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.RSA);
        TlsProfile ecdsaOnly = TlsProfile.builder("ecdsa-only").protocols(List.of("TLSv1.2"))
            .cipherSuites(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).build();
        TlsProfile profile = TlsProfiles.builder().provider(provider).add(ecdsaOnly).build().profile("ecdsa-only");
        try (HttpsTestServer server = kind.start(certs, "TLSv1.2", this.workDir)) {
            assertThatThrownBy(() -> handshake(new TlsConnector(provider), server.port(), certs, profile))
                .isInstanceOf(TlsHandshakeException.class)
                .hasMessage("hotpool: TLS handshake with https://localhost:" + server.port() + " (127.0.0.1:"
                        + server.port() + ") using profile 'ecdsa-only'" + (provider == TlsProvider.JDK ? " on SunJSSE" : "")
                        + " failed: no protocol or cipher suite in common");
        }
    }

    private static SSLSocket handshake(TlsConnector connector, int port, TestCertificates certs, TlsProfile profile)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        Socket raw = new Socket();
        raw.connect(address, 10_000);
        return connector.handshake(raw, Origin.of("https", "localhost", port), address, certs.clientSettings(), profile,
                10_000);
    }

    /** Sends {@code GET /} and returns the status line. */
    private static String get(SSLSocket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\r';) {
            line.append((char) c);
        }
        return line.toString();
    }
}
