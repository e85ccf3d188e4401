package dev.hotpool.tls;

import dev.hotpool.Origin;
import dev.hotpool.TlsHandshakeException;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.tls.HandshakeServer.Misbehaviour;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Failed handshakes through {@link TlsConnector}: each one is a {@link TlsHandshakeException} whose message names
 * the origin, the address and the reason in words, and each one leaves the raw socket closed.
 */
class HandshakeFailureTests {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final TlsConnector connector = new TlsConnector();

    @ParameterizedTest(name = "{0} with an {1} certificate")
    @CsvSource({ "TLSv1.3, RSA", "TLSv1.3, EC", "TLSv1.2, RSA", "TLSv1.2, EC" })
    void certificateForAnotherHostFailsWithTheHostName(String protocol, KeyType type) throws Exception {
        TestCertificates other = TestCertificates.forHosts(type, "other.example");
        try (HandshakeServer server = HandshakeServer.tls(other.serverSocket(LOOPBACK, protocol))) {
            Attempt attempt = attempt(server.port(), "localhost", other.clientSettings(), 10_000);
            assertThat(attempt.failure()).hasMessage("hotpool: TLS handshake with https://localhost:" + server.port()
                    + " (127.0.0.1:" + server.port() + ") failed: certificate does not match the host name localhost");
            assertThat(attempt.rawClosed()).isTrue();
        }
    }

    @Test
    void certificateWithoutTheIpAddressFailsWithTheIpAddress() throws Exception {
        TestCertificates other = TestCertificates.forHosts(KeyType.EC, "other.example");
        try (HandshakeServer server = HandshakeServer.tls(other.serverSocket(LOOPBACK))) {
            Attempt attempt = attempt(server.port(), "127.0.0.1", other.clientSettings(), 10_000);
            assertThat(attempt.failure()).hasMessageEndingWith("failed: certificate does not match the host name 127.0.0.1");
        }
    }

    @ParameterizedTest(name = "{0} with an {1} certificate")
    @CsvSource({ "TLSv1.3, RSA", "TLSv1.3, EC", "TLSv1.2, RSA", "TLSv1.2, EC" })
    void certificateFromAnotherCaIsNotTrusted(String protocol, KeyType type) throws Exception {
        TestCertificates certs = TestCertificates.localhost(type);
        TestCertificates otherCa = TestCertificates.localhost(type == KeyType.RSA ? KeyType.EC : KeyType.RSA);
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK, protocol))) {
            Attempt attempt = attempt(server.port(), "localhost", otherCa.clientSettings(), 10_000);
            assertThat(attempt.failure()).hasMessage("hotpool: TLS handshake with https://localhost:" + server.port()
                    + " (127.0.0.1:" + server.port() + ") failed: certificate not trusted (CN=localhost,O=hotpool tests"
                    + " issued by " + certs.caCertificate().getSubjectX500Principal().getName()
                    + " is not trusted by TLS settings 'test-" + otherCa.keyType() + "')");
            assertThat(attempt.rawClosed()).isTrue();
        }
    }

    @Test
    void testCertificateIsNotTrustedByTheJdksDefaultTrustStore() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK))) {
            Attempt attempt = attempt(server.port(), "localhost", TlsSettings.defaults(), 10_000);
            assertThat(attempt.failure()).hasMessageEndingWith(" is not trusted by the JDK's default trust store)");
        }
    }

    @ParameterizedTest(name = "{0} with an {1} certificate")
    @CsvSource({ "TLSv1.3, RSA", "TLSv1.3, EC", "TLSv1.2, RSA", "TLSv1.2, EC" })
    void expiredCertificateFailsAsExpired(String protocol, KeyType type) throws Exception {
        TestCertificates expired = TestCertificates.expired(type);
        try (HandshakeServer server = HandshakeServer.tls(expired.serverSocket(LOOPBACK, protocol))) {
            Attempt attempt = attempt(server.port(), "localhost", expired.clientSettings(), 10_000);
            assertThat(attempt.failure()).hasMessage("hotpool: TLS handshake with https://localhost:" + server.port()
                    + " (127.0.0.1:" + server.port() + ") failed: certificate expired (CN=localhost,O=hotpool tests expired on "
                    + expired.certificate().getNotAfter().toInstant() + ")");
            assertThat(attempt.rawClosed()).isTrue();
        }
    }

    /**
     * The client's protocols and suites cannot be narrowed through {@code TlsSettings}, so the server offers only a
     * static-RSA suite, which BCJSSE never offers: the server answers with a handshake_failure alert.
     */
    @ParameterizedTest
    @EnumSource(KeyType.class)
    void serverWithoutACipherSuiteTheClientOffersFailsAsNothingInCommon(KeyType type) throws Exception {
        TestCertificates certs = TestCertificates.localhost(type);
        SSLServerSocket listener = certs.serverSocket(LOOPBACK, "TLSv1.2");
        listener.setEnabledCipherSuites(new String[] { "TLS_RSA_WITH_AES_128_GCM_SHA256" });
        try (HandshakeServer server = HandshakeServer.tls(listener)) {
            Attempt attempt = attempt(server.port(), "localhost", certs.clientSettings(), 10_000);
            assertThat(attempt.failure()).hasMessageEndingWith(
                    "(127.0.0.1:" + server.port() + ") failed: no protocol or cipher suite in common");
            assertThat(attempt.failure()).hasRootCauseInstanceOf(TlsFatalAlertReceived.class);
        }
    }

    /** SunJSSE 17 hangs up without an alert when none of its enabled protocols is allowed (TLSv1.1 is disabled). */
    @Test
    void serverWithOnlyAProtocolTheClientDoesNotSpeakHangsUp() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK, "TLSv1.1"))) {
            Attempt attempt = attempt(server.port(), "localhost", certs.clientSettings(), 10_000);
            assertThat(attempt.failure()).hasMessageEndingWith("failed: connection closed by the server during the handshake");
        }
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void tls12ServerRequiringAClientCertificateFailsSayingSo(KeyType type) throws Exception {
        TestCertificates certs = TestCertificates.localhost(type);
        SSLServerSocket listener = certs.serverSocket(LOOPBACK, "TLSv1.2");
        listener.setNeedClientAuth(true);
        try (HandshakeServer server = HandshakeServer.tls(listener)) {
            Attempt attempt = attempt(server.port(), "localhost", certs.clientSettings(), 10_000);
            assertThat(attempt.failure()).hasMessage("hotpool: TLS handshake with https://localhost:" + server.port()
                    + " (127.0.0.1:" + server.port() + ") failed: server requires a client certificate");
            assertThat(attempt.rawClosed()).isTrue();
        }
    }

    /**
     * In TLS 1.3 the client finishes its handshake before the server reads the (empty) client certificate, so the
     * handshake succeeds and the server's rejection arrives on the first read: SunJSSE's alert (bad_certificate, not
     * certificate_required) as BC's own {@link TlsFatalAlertReceived}, or a reset when the server closed with our
     * Finished still unread.
     */
    @Test
    void tls13ServerRequiringAClientCertificateRejectsItOnlyAfterTheHandshake() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        SSLServerSocket listener = certs.serverSocket(LOOPBACK, "TLSv1.3");
        listener.setNeedClientAuth(true);
        try (HandshakeServer server = HandshakeServer.tls(listener)) {
            InetSocketAddress address = new InetSocketAddress(LOOPBACK, server.port());
            Socket raw = connect(address);
            try (raw) {
                SSLSocket socket = this.connector.handshake(raw, Origin.of("https", "localhost", server.port()), address,
                        certs.clientSettings(), 10_000);
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
                // Read without writing first: a write could meet the closed connection (broken pipe) before the alert.
                InputStream in = socket.getInputStream();
                IOException firstRead = catchThrowableOfType(in::read, IOException.class);
                assertThat(firstRead).isNotNull();
                if (firstRead instanceof TlsFatalAlertReceived alert) {
                    assertThat(alert.getAlertDescription()).isEqualTo(AlertDescription.bad_certificate);
                }
            }
            assertThat(server.nextHandshake().failure()).hasMessageContaining("Empty client certificate chain");
        }
    }

    @Test
    void serverThatNeverAnswersTimesOutWithTheBudget() throws Exception {
        try (HandshakeServer server = HandshakeServer.plain(Misbehaviour.SILENT)) {
            Attempt attempt = attempt(server.port(), "localhost", TlsSettings.defaults(), 200);
            assertThat(attempt.failure()).hasMessage("hotpool: TLS handshake with https://localhost:" + server.port()
                    + " (127.0.0.1:" + server.port() + ") failed: timed out after 200 ms");
            assertThat(attempt.rawClosed()).isTrue();
        }
    }

    @Test
    void serverThatHangsUpFailsAsClosedByTheServer() throws Exception {
        try (HandshakeServer server = HandshakeServer.plain(Misbehaviour.HANG_UP)) {
            Attempt attempt = attempt(server.port(), "localhost", TlsSettings.defaults(), 10_000);
            assertThat(attempt.failure()).hasMessage("hotpool: TLS handshake with https://localhost:" + server.port()
                    + " (127.0.0.1:" + server.port() + ") failed: connection closed by the server during the handshake");
            assertThat(attempt.rawClosed()).isTrue();
        }
    }

    @Test
    void keyStoreWithTheWrongPasswordFailsNamingTheSettings() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        TlsSettings wrong = TlsSettings.of("wrong-password", certs.trustStore(), certs.serverKeyStore(),
                "not-the-password".toCharArray());
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK))) {
            Attempt attempt = attempt(server.port(), "localhost", wrong, 10_000);
            assertThat(attempt.failure()).hasMessageStartingWith("hotpool: TLS handshake with https://localhost:"
                    + server.port() + " (127.0.0.1:" + server.port() + ") failed: cannot use TLS settings 'wrong-password' (");
            assertThat(attempt.rawClosed()).isTrue();
        }
    }

    @Test
    void failedHandshakesLogNothingThroughBouncyCastlesLoggers() throws Exception {
        Logger bcLogger = Logger.getLogger("org.bouncycastle.jsse");
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (records) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        TestCertificates other = TestCertificates.forHosts(KeyType.RSA, "other.example");
        bcLogger.addHandler(capture);
        try (HandshakeServer mismatch = HandshakeServer.tls(other.serverSocket(LOOPBACK));
                HandshakeServer silent = HandshakeServer.plain(Misbehaviour.SILENT)) {
            attempt(mismatch.port(), "localhost", other.clientSettings(), 10_000);
            attempt(silent.port(), "localhost", other.clientSettings(), 100);
        }
        finally {
            bcLogger.removeHandler(capture);
        }
        synchronized (records) {
            assertThat(records).extracting(LogRecord::getMessage).isEmpty();
        }
    }

    private Attempt attempt(int port, String host, TlsSettings settings, int timeoutMillis) throws IOException {
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        Socket raw = connect(address);
        try {
            TlsHandshakeException failure = catchThrowableOfType(
                    () -> this.connector.handshake(raw, Origin.of("https", host, port), address, settings, timeoutMillis),
                    TlsHandshakeException.class);
            assertThat(failure).as("the handshake should have failed").isNotNull();
            return new Attempt(raw.isClosed(), failure);
        }
        finally {
            raw.close();
        }
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket raw = new Socket();
        raw.connect(address, 10_000);
        return raw;
    }

    /** A failed handshake: whether the connector closed the raw socket, and the failure. */
    private record Attempt(boolean rawClosed, TlsHandshakeException failure) {
    }
}
