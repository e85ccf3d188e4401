package dev.hotpool.internal.tls;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Origin;
import dev.hotpool.TlsHandshakeException;
import dev.hotpool.internal.tls.HttpsTestServer.Kind;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real HTTPS servers (embedded Tomcat, Jetty 12) with generated certificates: handshakes straight through
 * {@link TlsConnector}, and requests through the public {@link HotPool} API over kept-alive TLS connections.
 */
class RealServerTlsTests {

    @TempDir
    Path workDir;

    @ParameterizedTest(name = "{0}, {1} with an {2} certificate")
    @CsvSource({ "TOMCAT, TLSv1.3, RSA", "TOMCAT, TLSv1.3, EC", "TOMCAT, TLSv1.2, RSA", "TOMCAT, TLSv1.2, EC",
            "JETTY, TLSv1.3, RSA", "JETTY, TLSv1.3, EC", "JETTY, TLSv1.2, RSA", "JETTY, TLSv1.2, EC" })
    void connectorHandshakesWithTheServersOnlyProtocol(Kind kind, String protocol, KeyType type) throws Exception {
        TestCertificates certs = TestCertificates.localhost(type);
        try (HttpsTestServer server = kind.start(certs, protocol, this.workDir)) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
            Socket raw = new Socket();
            raw.connect(address, 10_000);
            try (SSLSocket socket = new TlsConnector().handshake(raw, Origin.of("https", "localhost", server.port()),
                    address, certs.clientSettings(), 10_000)) {
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(certs.certificate());
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1} with an {2} certificate")
    @CsvSource({ "TOMCAT, TLSv1.3, RSA", "TOMCAT, TLSv1.3, EC", "TOMCAT, TLSv1.2, RSA", "TOMCAT, TLSv1.2, EC",
            "JETTY, TLSv1.3, RSA", "JETTY, TLSv1.3, EC", "JETTY, TLSv1.2, RSA", "JETTY, TLSv1.2, EC" })
    void secondRequestReusesTheTlsConnection(Kind kind, String protocol, KeyType type) throws Exception {
        TestCertificates certs = TestCertificates.localhost(type);
        try (HttpsTestServer server = kind.start(certs, protocol, this.workDir);
                HotPool pool = new HotPool(HotPoolConfig.builder().tls(certs.clientSettings()).build())) {
            URI uri = URI.create("https://localhost:" + server.port() + "/");
            String expected = kind.name().toLowerCase() + " " + protocol + " sni=" + (kind == Kind.JETTY ? "localhost" : "?");
            try (HotResponse first = pool.execute(HotRequest.get(uri))) {
                assertThat(first.status()).isEqualTo(200);
                assertThat(body(first)).isEqualTo(expected);
                assertThat(first.reused()).isFalse();
            }
            try (HotResponse second = pool.execute(HotRequest.get(uri))) {
                assertThat(second.status()).isEqualTo(200);
                assertThat(body(second)).isEqualTo(expected);
                assertThat(second.reused()).isTrue();
            }
            assertThat(pool.stats().created()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void poolReportsAnUntrustedServerAsATlsHandshakeFailure(Kind kind) throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        TestCertificates otherCa = TestCertificates.localhost(KeyType.RSA);
        try (HttpsTestServer server = kind.start(certs, "TLSv1.3", this.workDir);
                HotPool pool = new HotPool(HotPoolConfig.builder().tls(otherCa.clientSettings()).build())) {
            URI uri = URI.create("https://localhost:" + server.port() + "/");
            assertThatThrownBy(() -> pool.execute(HotRequest.get(uri)))
                    .isInstanceOf(TlsHandshakeException.class)
                    .hasMessageStartingWith("hotpool: TLS handshake with https://localhost:" + server.port() + " (127.0.0.1:"
                            + server.port() + ") using profile 'default' failed: certificate not trusted (");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void poolReportsACertificateForAnotherHost(Kind kind) throws Exception {
        TestCertificates other = TestCertificates.forHosts(KeyType.RSA, "other.example");
        try (HttpsTestServer server = kind.start(other, "TLSv1.2", this.workDir);
                HotPool pool = new HotPool(HotPoolConfig.builder().tls(other.clientSettings()).build())) {
            URI uri = URI.create("https://localhost:" + server.port() + "/");
            assertThatThrownBy(() -> pool.execute(HotRequest.get(uri)))
                    .isInstanceOf(TlsHandshakeException.class)
                    .hasMessageEndingWith("failed: certificate does not match the host name localhost");
        }
    }

    private static String body(HotResponse response) throws IOException {
        return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }
}
