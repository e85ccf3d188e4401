package dev.hotpool.internal.tls;

import dev.hotpool.Origin;
import dev.hotpool.TlsHandshakeException;
import dev.hotpool.internal.pool.Connection;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.tls.TlsProvider;
import dev.hotpool.tls.TlsSettings;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Mutual TLS against a server that requires a client certificate: the certificate of the settings' key store (what a
 * Spring SSL bundle with a key provides) is accepted; without one, or with one the server does not trust, the
 * failure says so. Over TLS 1.2 the handshake itself fails. Over TLS 1.3 the server's verdict arrives after the
 * client's side of the handshake is done: the connector waits for it when it had no certificate to give, and the
 * HTTP layer maps it with {@link TlsConnector#rejectedAfterHandshake} when the certificate given was refused. The
 * first read is always made without writing first: a write could meet the closed connection before the alert.
 */
class MutualTlsTests {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static final TestCertificates SERVER = TestCertificates.localhost(KeyType.RSA);

    private static final TestCertificates TRUSTED_CLIENT = TestCertificates.forHosts(KeyType.EC, "client.hotpool.test");

    private static final TestCertificates UNTRUSTED_CLIENT = TestCertificates.forHosts(KeyType.RSA,
            "stranger.hotpool.test");

    private static final String REFUSED_IN_HANDSHAKE = "server rejected the client certificate (certificate_unknown(46))";

    private static final String CLOSED_AFTER_CERTIFICATE = "connection closed by the server during the handshake after"
            + " the client sent its certificate (the server may have refused it)";

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({ "BC, TLSv1.3", "BC, TLSv1.2", "JDK, TLSv1.3", "JDK, TLSv1.2" })
    void serverRequiringAClientCertificateAcceptsTheSettingsCertificate(TlsProvider provider, String protocol)
            throws Exception {
        try (HandshakeServer server = HandshakeServer.tls(SERVER.clientAuthServerSocket(LOOPBACK, TRUSTED_CLIENT, protocol))) {
            try (SSLSocket socket = handshake(provider, server.port(), SERVER.mutualSettings(TRUSTED_CLIENT))) {
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                HandshakeServer.Handshake seen = server.nextHandshake();
                assertThat(seen.failure()).isNull();
                assertThat(seen.peer()).isEqualTo(TRUSTED_CLIENT.certificate().getSubjectX500Principal().getName());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "BC", "JDK" })
    void tls12ServerRequiringACertificateTheClientLacksFailsTheHandshakeSayingSo(TlsProvider provider) throws Exception {
        try (HandshakeServer server = HandshakeServer.tls(SERVER.clientAuthServerSocket(LOOPBACK, TRUSTED_CLIENT, "TLSv1.2"))) {
            TlsHandshakeException failure = catchThrowableOfType(
                    () -> handshake(provider, server.port(), SERVER.clientSettings()), TlsHandshakeException.class);
            assertThat(failure).hasMessage("hotpool: TLS handshake with https://localhost:" + server.port()
                    + " (127.0.0.1:" + server.port() + ") using profile 'default'" + suffix(provider)
                    + " failed: server requires a client certificate");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "BC", "JDK" })
    void tls12ServerThatDoesNotTrustTheClientCertificateFailsTheHandshakeNamingTheIssuersItAccepts(TlsProvider provider)
            throws Exception {
        try (HandshakeServer server = HandshakeServer.tls(SERVER.clientAuthServerSocket(LOOPBACK, TRUSTED_CLIENT, "TLSv1.2"))) {
            TlsHandshakeException failure = catchThrowableOfType(
                    () -> handshake(provider, server.port(), SERVER.mutualSettings(UNTRUSTED_CLIENT)),
                    TlsHandshakeException.class);
            assertThat(failure).hasMessage("hotpool: TLS handshake with https://localhost:" + server.port()
                    + " (127.0.0.1:" + server.port() + ") using profile 'default'" + suffix(provider)
                    + " failed: server requires a client certificate issued by a CA it trusts, and TLS settings"
                    + " 'mutual-RSA' hold none (it accepts "
                    + TRUSTED_CLIENT.caCertificate().getSubjectX500Principal().getName() + ")");
        }
    }

    /**
     * The server judges the empty certificate after the client's side of the handshake is done; the connector waits
     * for that verdict, so the handshake fails as over TLS 1.2 instead of the first request.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "BC", "JDK" })
    void tls13ServerRequiringACertificateTheClientLacksFailsTheHandshakeSayingSo(TlsProvider provider)
            throws Exception {
        try (HandshakeServer server = HandshakeServer.tls(SERVER.clientAuthServerSocket(LOOPBACK, TRUSTED_CLIENT, "TLSv1.3"))) {
            TlsHandshakeException failure = catchThrowableOfType(
                    () -> handshakeAwaitingTheVerdict(provider, server.port(), SERVER.clientSettings()),
                    TlsHandshakeException.class);
            assertThat(failure).hasMessage("hotpool: TLS handshake with https://localhost:" + server.port()
                    + " (127.0.0.1:" + server.port() + ") using profile 'default'" + suffix(provider)
                    + " failed: server requires a client certificate");
            assertThat(server.nextHandshake().failure()).hasMessageContaining("Empty client certificate chain");
        }
    }

    /** A server that only asks for a certificate sends no verdict: the wait for one ends quietly. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "BC", "JDK" })
    void tls13ServerThatMerelyWantsACertificateAcceptsAClientWithout(TlsProvider provider) throws Exception {
        SSLServerSocket listener = SERVER.clientAuthServerSocket(LOOPBACK, TRUSTED_CLIENT, "TLSv1.3");
        listener.setWantClientAuth(true);
        try (HandshakeServer server = HandshakeServer.tls(listener);
                SSLSocket socket = handshake(provider, server.port(), SERVER.clientSettings())) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(socket.getSoTimeout()).isEqualTo(10_000);
            HandshakeServer.Handshake seen = server.nextHandshake();
            assertThat(seen.failure()).isNull();
            assertThat(seen.peer()).isNull();
        }
    }

    /**
     * SunJSSE servers name the CAs they accept in TLS 1.3 too, so the key manager offers nothing and the connector
     * waits for the server's verdict on the empty certificate.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "BC", "JDK" })
    void tls13ServerThatDoesNotTrustTheClientCertificateFailsTheHandshakeNamingTheIssuersItAccepts(
            TlsProvider provider) throws Exception {
        try (HandshakeServer server = HandshakeServer.tls(SERVER.clientAuthServerSocket(LOOPBACK, TRUSTED_CLIENT, "TLSv1.3"))) {
            TlsHandshakeException failure = catchThrowableOfType(
                    () -> handshakeAwaitingTheVerdict(provider, server.port(), SERVER.mutualSettings(UNTRUSTED_CLIENT)),
                    TlsHandshakeException.class);
            assertThat(failure).hasMessageEndingWith("failed: server requires a client certificate issued by a CA it"
                    + " trusts, and TLS settings 'mutual-RSA' hold none (it accepts "
                    + TRUSTED_CLIENT.caCertificate().getSubjectX500Principal().getName() + ")");
        }
    }

    /**
     * A TLS 1.2 server that names no CAs gets the certificate and refuses it during the handshake: with its alert, or,
     * as often, by hanging up with the client's last records unread (the reset loses the alert).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "BC", "JDK" })
    void tls12ServerNamingNoCasRefusesTheCertificateInTheHandshake(TlsProvider provider) throws Exception {
        try (HandshakeServer server = HandshakeServer.tls(namingNoCas("TLSv1.2"))) {
            TlsHandshakeException failure = catchThrowableOfType(
                    () -> handshake(provider, server.port(), SERVER.mutualSettings(UNTRUSTED_CLIENT)),
                    TlsHandshakeException.class);
            assertThat(failure.getMessage()).startsWith("hotpool: TLS handshake with https://localhost:" + server.port()
                    + " (127.0.0.1:" + server.port() + ") using profile 'default'" + suffix(provider) + " failed: ")
                .satisfiesAnyOf((m) -> assertThat(m).endsWith(REFUSED_IN_HANDSHAKE),
                        (m) -> assertThat(m).endsWith(CLOSED_AFTER_CERTIFICATE));
            assertThat(server.nextHandshake().failure()).hasMessageContaining("PKIX path building failed");
        }
    }

    /**
     * A TLS 1.3 server that names no CAs gets the certificate and refuses it after the client's side of the handshake:
     * the connector cannot wait for that verdict on every mutual TLS connection, so the first read gets the alert.
     * What it throws is what the HTTP layer sees: BouncyCastle's {@link TlsFatalAlertReceived} or SunJSSE's
     * {@link SSLException} "Received fatal alert: certificate_unknown", which
     * {@link TlsConnector#rejectedAfterHandshake} maps. (When the server's reset beats the client's Finished, the
     * handshake itself fails, as over TLS 1.2.)
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "BC", "JDK" })
    void tls13ServerNamingNoCasRefusesTheCertificateOnTheFirstRead(TlsProvider provider) throws Exception {
        try (HandshakeServer server = HandshakeServer.tls(namingNoCas("TLSv1.3"))) {
            TlsSettings untrusted = SERVER.mutualSettings(UNTRUSTED_CLIENT);
            SSLSocket socket;
            try {
                socket = handshake(provider, server.port(), untrusted);
            }
            catch (TlsHandshakeException lostTheRace) {
                assertThat(lostTheRace).hasMessageEndingWith(CLOSED_AFTER_CERTIFICATE);
                return;
            }
            try (socket) {
                IOException firstRead;
                try {
                    assertThat(socket.getInputStream().read()).as("the server closed; its alert was lost").isEqualTo(-1);
                    return;
                }
                catch (IOException ex) {
                    firstRead = ex;
                }
                if (provider == TlsProvider.BC) {
                    assertThat(firstRead).isInstanceOf(TlsFatalAlertReceived.class);
                    assertThat(((TlsFatalAlertReceived) firstRead).getAlertDescription())
                        .isEqualTo(AlertDescription.certificate_unknown);
                }
                else {
                    // Java 25 puts the alert's name in brackets in front of the message.
                    assertThat(firstRead).isInstanceOf(SSLException.class)
                        .hasMessageMatching("(\\(certificate_unknown\\) )?Received fatal alert: certificate_unknown");
                }
                TlsHandshakeException mapped = TlsConnector.rejectedAfterHandshake(firstRead,
                        Origin.of("https", "localhost", server.port()), address(server.port()), untrusted, "default");
                assertThat(mapped).hasMessage("hotpool: TLS handshake with https://localhost:" + server.port()
                        + " (127.0.0.1:" + server.port() + ") using profile 'default' failed: server rejected the client"
                        + " certificate (certificate_unknown(46)) (said after the handshake)").hasCause(firstRead);
            }
        }
    }

    @Test
    void otherFailuresAreNotTakenForACertificateRejection() {
        Origin origin = Origin.of("https", "localhost", 443);
        assertThat(TlsConnector.rejectedAfterHandshake(new java.net.SocketException("Connection reset"), origin,
                address(443), SERVER.clientSettings(), "default")).isNull();
        assertThat(TlsConnector.rejectedAfterHandshake(new SSLException("Received fatal alert: internal_error"),
                origin, address(443), SERVER.clientSettings(), "default")).isNull();
        assertThat(TlsConnector.rejectedAfterHandshake(new TlsFatalAlertReceived(AlertDescription.decode_error),
                origin, address(443), SERVER.clientSettings(), "default")).isNull();
        assertThat(TlsConnector.rejectedAfterHandshake(new TlsFatalAlertReceived(AlertDescription.certificate_required),
                origin, address(443), SERVER.clientSettings(), "default")).hasMessageEndingWith(
                        "failed: server requires a client certificate (said after the handshake)");
    }

    /** SunJSSE's alert as Java 17 words it, and as Java 25 does (the alert's name in brackets first). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = { "Received fatal alert: certificate_unknown",
            "(certificate_unknown) Received fatal alert: certificate_unknown" })
    void sunJssesAlertIsRecognisedAsEveryJdkWordsIt(String message) {
        Origin origin = Origin.of("https", "localhost", 443);
        assertThat(TlsConnector.rejectedAfterHandshake(new SSLException(message), origin, address(443),
                SERVER.mutualSettings(UNTRUSTED_CLIENT), "default")).hasMessageEndingWith("failed: server rejected the"
                        + " client certificate (certificate_unknown(46)) (said after the handshake)");
        assertThat(TlsConnector.rejectedAfterHandshake(new SSLException(message.replace("certificate_unknown",
                "internal_error")), origin, address(443), SERVER.clientSettings(), "default")).isNull();
    }

    /**
     * A SunJSSE server that requires a certificate issued by the trusted clients' CA but names no CA in its
     * certificate request (its trust manager lists no accepted issuers), as some servers are configured.
     */
    private static SSLServerSocket namingNoCas(String protocol) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(SERVER.serverKeyStore(), TestCertificates.PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TRUSTED_CLIENT.trustStore());
        X509TrustManager trust = (X509TrustManager) tmf.getTrustManagers()[0];
        X509TrustManager namingNone = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                trust.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("a server socket checks no server");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
        context.init(kmf.getKeyManagers(), new TrustManager[] { namingNone }, new SecureRandom());
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, LOOPBACK);
        socket.setEnabledProtocols(new String[] { protocol });
        socket.setNeedClientAuth(true);
        return socket;
    }

    private static SSLSocket handshake(TlsProvider provider, int port, TlsSettings settings) throws IOException {
        InetSocketAddress address = address(port);
        Socket raw = new Socket();
        raw.connect(address, 10_000);
        return new TlsConnector(provider).handshake(raw, Origin.of("https", "localhost", port), address, settings,
                10_000);
    }

    /**
     * {@link #handshake} with a connector that waits up to 5 s, not 100 ms, for a TLS 1.3 server's verdict on a missing
     * certificate: on a machine busy enough to hold the server's thread back longer than the connector's usual wait,
     * the verdict would otherwise come with the first read (a test of the wait, not of the machine). A server that
     * sends its verdict ends the wait at once.
     */
    private static SSLSocket handshakeAwaitingTheVerdict(TlsProvider provider, int port, TlsSettings settings)
            throws IOException {
        InetSocketAddress address = address(port);
        Socket raw = new Socket();
        raw.connect(address, 10_000);
        return new TlsConnector(provider, 5_000).handshake(raw, Origin.of("https", "localhost", port), address,
                settings, 10_000);
    }

    private static InetSocketAddress address(int port) {
        return new InetSocketAddress(LOOPBACK, port);
    }

    private static String suffix(TlsProvider provider) {
        return provider == TlsProvider.JDK ? " on SunJSSE" : "";
    }
}
