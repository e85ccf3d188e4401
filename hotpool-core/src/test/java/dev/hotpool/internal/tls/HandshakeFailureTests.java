package dev.hotpool.internal.tls;

import dev.hotpool.Origin;
import dev.hotpool.TlsHandshakeException;
import dev.hotpool.internal.tls.HandshakeServer.Misbehaviour;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;
import dev.hotpool.tls.TlsProvider;
import dev.hotpool.tls.TlsSettings;

import java.io.IOException;
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

import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Failed handshakes through {@link TlsConnector}, on BouncyCastle's JSSE and on the JDK's: each one is a
 * {@link TlsHandshakeException} whose message names the origin, the address, the profile and the reason in words,
 * and each one leaves the raw socket closed. Client certificate failures are in {@link MutualTlsTests}.
 */
class HandshakeFailureTests {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @ParameterizedTest(name = "{0}, {1} with an {2} certificate")
    @CsvSource({ "BC, TLSv1.3, RSA", "BC, TLSv1.3, EC", "BC, TLSv1.2, RSA", "BC, TLSv1.2, EC", "JDK, TLSv1.3, RSA",
            "JDK, TLSv1.3, EC", "JDK, TLSv1.2, RSA", "JDK, TLSv1.2, EC" })
    void certificateForAnotherHostFailsWithTheHostName(TlsProvider provider, String protocol, KeyType type)
            throws Exception {
        TestCertificates other = TestCertificates.forHosts(type, "other.example");
        try (HandshakeServer server = HandshakeServer.tls(other.serverSocket(LOOPBACK, protocol))) {
            Attempt attempt = attempt(provider, server.port(), "localhost", other.clientSettings(), 10_000);
            assertThat(attempt.failure()).hasMessage(prefix(provider, server.port(), "default")
                    + "certificate does not match the host name localhost");
            assertThat(attempt.rawClosed()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void certificateWithoutTheIpAddressFailsWithTheIpAddress(TlsProvider provider) throws Exception {
        TestCertificates other = TestCertificates.forHosts(KeyType.EC, "other.example");
        try (HandshakeServer server = HandshakeServer.tls(other.serverSocket(LOOPBACK))) {
            Attempt attempt = attempt(provider, server.port(), "127.0.0.1", other.clientSettings(), 10_000);
            assertThat(attempt.failure()).hasMessageEndingWith("failed: certificate does not match the host name 127.0.0.1");
        }
    }

    @ParameterizedTest(name = "{0}, {1} with an {2} certificate")
    @CsvSource({ "BC, TLSv1.3, RSA", "BC, TLSv1.3, EC", "BC, TLSv1.2, RSA", "BC, TLSv1.2, EC", "JDK, TLSv1.3, RSA",
            "JDK, TLSv1.3, EC", "JDK, TLSv1.2, RSA", "JDK, TLSv1.2, EC" })
    void certificateFromAnotherCaIsNotTrusted(TlsProvider provider, String protocol, KeyType type) throws Exception {
        TestCertificates certs = TestCertificates.localhost(type);
        TestCertificates otherCa = TestCertificates.localhost(type == KeyType.RSA ? KeyType.EC : KeyType.RSA);
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK, protocol))) {
            Attempt attempt = attempt(provider, server.port(), "localhost", otherCa.clientSettings(), 10_000);
            assertThat(attempt.failure()).hasMessageStartingWith(prefix(provider, server.port(), "default")
                    + "certificate not trusted (CN=localhost,O=hotpool tests issued by "
                    + certs.caCertificate().getSubjectX500Principal().getName() + " is not trusted by TLS settings 'test-"
                    + otherCa.keyType() + "'");
            if (provider == TlsProvider.BC) {
                assertThat(attempt.failure()).hasMessageEndingWith("'test-" + otherCa.keyType() + "')");
            }
            assertThat(attempt.rawClosed()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void testCertificateIsNotTrustedByTheJdksDefaultTrustStore(TlsProvider provider) throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK))) {
            Attempt attempt = attempt(provider, server.port(), "localhost", TlsSettings.defaults(), 10_000);
            assertThat(attempt.failure()).hasMessageContaining(" is not trusted by the JDK's default trust store");
        }
    }

    @ParameterizedTest(name = "{0}, {1} with an {2} certificate")
    @CsvSource({ "BC, TLSv1.3, RSA", "BC, TLSv1.3, EC", "BC, TLSv1.2, RSA", "BC, TLSv1.2, EC", "JDK, TLSv1.3, RSA",
            "JDK, TLSv1.3, EC", "JDK, TLSv1.2, RSA", "JDK, TLSv1.2, EC" })
    void expiredCertificateFailsAsExpired(TlsProvider provider, String protocol, KeyType type) throws Exception {
        TestCertificates expired = TestCertificates.expired(type);
        try (HandshakeServer server = HandshakeServer.tls(expired.serverSocket(LOOPBACK, protocol))) {
            Attempt attempt = attempt(provider, server.port(), "localhost", expired.clientSettings(), 10_000);
            assertThat(attempt.failure()).hasMessage(prefix(provider, server.port(), "default")
                    + "certificate expired (CN=localhost,O=hotpool tests expired on "
                    + expired.certificate().getNotAfter().toInstant() + ")");
            assertThat(attempt.rawClosed()).isTrue();
        }
    }

    /**
     * The server offers only an AES-CBC suite for its key, which the {@code default} profile (AEAD suites only) never
     * offers: the server answers with a handshake_failure alert. (Not a static-RSA suite: from Java 24 on, the
     * server's own JDK disables those, and a server with no usable suite at all hangs up without an alert.)
     */
    @ParameterizedTest(name = "{0} with an {1} certificate")
    @CsvSource({ "BC, RSA", "BC, EC", "JDK, RSA", "JDK, EC" })
    void serverWithoutACipherSuiteTheProfileOffersFailsAsNothingInCommon(TlsProvider provider, KeyType type)
            throws Exception {
        TestCertificates certs = TestCertificates.localhost(type);
        SSLServerSocket listener = certs.serverSocket(LOOPBACK, "TLSv1.2");
        String cbc = type == KeyType.RSA ? "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"
                : "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";
        assertThat(TlsProfile.DEFAULT.cipherSuites()).doesNotContain(cbc);
        listener.setEnabledCipherSuites(new String[] { cbc });
        try (HandshakeServer server = HandshakeServer.tls(listener)) {
            Attempt attempt = attempt(provider, server.port(), "localhost", certs.clientSettings(), 10_000);
            assertThat(attempt.failure()).hasMessage(prefix(provider, server.port(), "default")
                    + "no protocol or cipher suite in common");
            if (provider == TlsProvider.BC) {
                assertThat(attempt.failure()).hasRootCauseInstanceOf(TlsFatalAlertReceived.class);
            }
            else {
                // Java 17: "Received fatal alert: handshake_failure"; Java 25 puts "(handshake_failure) " first.
                assertThat(attempt.failure()).rootCause()
                    .hasMessageEndingWith("Received fatal alert: handshake_failure");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void tls13OnlyProfileAgainstATls12ServerFailsAsNothingInCommonNamingTheProfile(TlsProvider provider)
            throws Exception {
        TlsProfile modern = TlsProfiles.builder().provider(provider).profile("modern").build().next();
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK, "TLSv1.2"))) {
            Attempt attempt = attempt(new TlsConnector(provider), modern, server.port(), "localhost",
                    certs.clientSettings(), 10_000);
            assertThat(attempt.failure()).hasMessage(prefix(provider, server.port(), "modern")
                    + "no protocol or cipher suite in common");
        }
    }

    /** Every reason names the profile the connection used, whatever it is called. */
    @Test
    void failuresNameTheProfileInUse() throws Exception {
        TlsProfile strict = TlsProfile.builder("strict-ecdsa").cipherSuites(List.of("TLS_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")).build();
        TlsProfile profile = TlsProfiles.builder().add(strict).build().profile("strict-ecdsa");
        TestCertificates expired = TestCertificates.expired(KeyType.EC);
        try (HandshakeServer server = HandshakeServer.tls(expired.serverSocket(LOOPBACK, "TLSv1.2"))) {
            Attempt attempt = attempt(new TlsConnector(), profile, server.port(), "localhost", expired.clientSettings(),
                    10_000);
            assertThat(attempt.failure()).hasMessageStartingWith("hotpool: TLS handshake with https://localhost:"
                    + server.port() + " (127.0.0.1:" + server.port() + ") using profile 'strict-ecdsa' failed:"
                    + " certificate expired (");
        }
        TestCertificates rsa = TestCertificates.localhost(KeyType.RSA);
        try (HandshakeServer server = HandshakeServer.tls(rsa.serverSocket(LOOPBACK, "TLSv1.2"))) {
            Attempt attempt = attempt(new TlsConnector(), profile, server.port(), "localhost", rsa.clientSettings(),
                    10_000);
            assertThat(attempt.failure()).hasMessage(prefix(TlsProvider.BC, server.port(), "strict-ecdsa")
                    + "no protocol or cipher suite in common");
        }
    }

    /** SunJSSE 17 hangs up without an alert when none of its enabled protocols is allowed (TLSv1.1 is disabled). */
    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverWithOnlyAProtocolTheClientDoesNotSpeakHangsUp(TlsProvider provider) throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK, "TLSv1.1"))) {
            Attempt attempt = attempt(provider, server.port(), "localhost", certs.clientSettings(), 10_000);
            assertThat(attempt.failure()).hasMessageEndingWith("failed: connection closed by the server during the handshake");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverThatNeverAnswersTimesOutWithTheBudget(TlsProvider provider) throws Exception {
        try (HandshakeServer server = HandshakeServer.plain(Misbehaviour.SILENT)) {
            Attempt attempt = attempt(provider, server.port(), "localhost", TlsSettings.defaults(), 200);
            assertThat(attempt.failure()).hasMessage(prefix(provider, server.port(), "default") + "timed out after 200 ms");
            assertThat(attempt.rawClosed()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverThatHangsUpFailsAsClosedByTheServer(TlsProvider provider) throws Exception {
        try (HandshakeServer server = HandshakeServer.plain(Misbehaviour.HANG_UP)) {
            Attempt attempt = attempt(provider, server.port(), "localhost", TlsSettings.defaults(), 10_000);
            assertThat(attempt.failure()).hasMessage(prefix(provider, server.port(), "default")
                    + "connection closed by the server during the handshake");
            assertThat(attempt.rawClosed()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void keyStoreWithTheWrongPasswordFailsNamingTheSettings(TlsProvider provider) throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        TlsSettings wrong = TlsSettings.of("wrong-password", certs.trustStore(), certs.serverKeyStore(),
                "not-the-password".toCharArray());
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK))) {
            Attempt attempt = attempt(provider, server.port(), "localhost", wrong, 10_000);
            assertThat(attempt.failure()).hasMessageStartingWith(prefix(provider, server.port(), "default")
                    + "cannot use TLS settings 'wrong-password' (");
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
            attempt(TlsProvider.BC, mismatch.port(), "localhost", other.clientSettings(), 10_000);
            attempt(TlsProvider.BC, silent.port(), "localhost", other.clientSettings(), 100);
        }
        finally {
            bcLogger.removeHandler(capture);
        }
        synchronized (records) {
            assertThat(records).extracting(LogRecord::getMessage).isEmpty();
        }
    }

    private static Attempt attempt(TlsProvider provider, int port, String host, TlsSettings settings,
            int timeoutMillis) throws IOException {
        return attempt(new TlsConnector(provider), TlsProfile.DEFAULT, port, host, settings, timeoutMillis);
    }

    private static Attempt attempt(TlsConnector connector, TlsProfile profile, int port, String host,
            TlsSettings settings, int timeoutMillis) throws IOException {
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        Socket raw = connect(address);
        try {
            TlsHandshakeException failure = catchThrowableOfType(() -> connector.handshake(raw,
                    Origin.of("https", host, port), address, settings, profile, timeoutMillis),
                    TlsHandshakeException.class);
            assertThat(failure).as("the handshake should have failed").isNotNull();
            return new Attempt(raw.isClosed(), failure);
        }
        finally {
            raw.close();
        }
    }

    /** The message's start up to the reason: origin, address, profile (and the provider when it is the JDK's). */
    private static String prefix(TlsProvider provider, int port, String profile) {
        return "hotpool: TLS handshake with https://localhost:" + port + " (127.0.0.1:" + port + ") using profile '"
                + profile + "'" + (provider == TlsProvider.JDK ? " on SunJSSE" : "") + " failed: ";
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
