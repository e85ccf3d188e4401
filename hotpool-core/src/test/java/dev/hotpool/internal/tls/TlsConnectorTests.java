package dev.hotpool.internal.tls;

import dev.hotpool.Origin;
import dev.hotpool.TlsHandshakeException;
import dev.hotpool.internal.tls.HandshakeServer.Handshake;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProvider;
import dev.hotpool.tls.TlsSettings;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Handshakes through {@link TlsConnector} against SunJSSE servers on loopback: what is negotiated and sent when
 * it works. The failures are in {@link HandshakeFailureTests}.
 */
class TlsConnectorTests {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final TlsConnector connector = new TlsConnector();

    @ParameterizedTest(name = "{0} with an {1} certificate")
    @CsvSource({ "TLSv1.3, RSA", "TLSv1.3, EC", "TLSv1.2, RSA", "TLSv1.2, EC" })
    void handshakeNegotiatesTheServersProtocolAndSendsSniForLocalhost(String protocol, KeyType type) throws Exception {
        TestCertificates certs = TestCertificates.localhost(type);
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK, protocol));
                SSLSocket socket = handshake(server.port(), "localhost", certs.clientSettings())) {
            assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
            Handshake seen = server.nextHandshake();
            assertThat(seen.protocol()).isEqualTo(protocol);
            assertThat(seen.requestedServerNames()).containsExactly(new SNIHostName("localhost"));
        }
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void serverSupportingBothProtocolsGetsTls13(KeyType type) throws Exception {
        TestCertificates certs = TestCertificates.localhost(type);
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK));
                SSLSocket socket = handshake(server.port(), "localhost", certs.clientSettings())) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(socket.getSession().getCipherSuite()).startsWith("TLS_AES_");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void sslBundleOptionsNarrowTheProfilesProtocolsAndCipherSuites(TlsProvider provider) throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        TlsConnector connector = new TlsConnector(provider);
        TlsSettings tls12Only = certs.clientSettings()
            .withOptions(List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"));
        TlsSettings oneTls13Suite = certs.clientSettings().withOptions(null, List.of("TLS_CHACHA20_POLY1305_SHA256"));
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK));
                SSLSocket narrowed = handshake(connector, server.port(), tls12Only);
                SSLSocket suite = handshake(connector, server.port(), oneTls13Suite)) {
            // The server speaks TLS 1.3 and every suite; the profile would lead with AES-GCM. Only the options made
            // the client offer TLS 1.2, or ChaCha20 alone.
            assertThat(narrowed.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(narrowed.getSession().getCipherSuite())
                .isEqualTo("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
            assertThat(suite.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(suite.getSession().getCipherSuite()).isEqualTo("TLS_CHACHA20_POLY1305_SHA256");
        }
    }

    @Test
    void sslBundleOptionsTheProviderCannotHonourFailTheConnectionNamingTheBundle() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        TlsSettings unknownSuite = certs.clientSettings()
            .withOptions(null, List.of("TLS_AES_128_GCM_SHA256", "TLS_MADE_UP_WITH_NOTHING"));
        TlsSettings tls12Only = certs.clientSettings().withOptions(List.of("TLSv1.2"), null);
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK))) {
            assertThatThrownBy(() -> handshake(this.connector, server.port(), unknownSuite))
                .isInstanceOf(TlsHandshakeException.class)
                .hasMessageContaining("TLS settings '" + unknownSuite.name() + "'")
                .hasMessageContaining("lists cipher suites BouncyCastle JSSE does not support:"
                        + " [TLS_MADE_UP_WITH_NOTHING] (options.ciphers)");
            InetSocketAddress address = new InetSocketAddress(LOOPBACK, server.port());
            assertThatThrownBy(() -> this.connector.handshake(connect(address),
                    Origin.of("https", "localhost", server.port()), address, tls12Only, TlsProfile.MODERN, 10_000))
                .isInstanceOf(TlsHandshakeException.class)
                .hasMessageContaining("enables only [TLSv1.2] (options.enabled-protocols), and TLS profile 'modern'"
                        + " offers [TLSv1.3]: no protocol in common");
            // The same connector still connects with settings it can use.
            try (SSLSocket fine = handshake(server.port(), "localhost", certs.clientSettings())) {
                assertThat(fine.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
        }
    }

    @Test
    void sslBundleOptionsWithoutTls13OrTls12AreRefusedAtOnce() {
        TlsSettings settings = TestCertificates.localhost(KeyType.EC).clientSettings();
        assertThatThrownBy(() -> settings.withOptions(List.of("TLSv1.1"), null))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("the enabled protocols [TLSv1.1] of SSL bundle")
            .hasMessageContaining("include neither TLSv1.3 nor TLSv1.2");
        assertThatThrownBy(() -> settings.withOptions(null, List.of()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("lists no cipher suite (options.ciphers)");
    }

    private static SSLSocket handshake(TlsConnector connector, int port, TlsSettings settings) throws IOException {
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        return connector.handshake(connect(address), Origin.of("https", "localhost", port), address, settings, 10_000);
    }

    @Test
    void handshakeSendsSniForADottedHostName() throws Exception {
        TestCertificates certs = TestCertificates.forHosts(KeyType.EC, "api.hotpool.test");
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK));
                SSLSocket socket = handshake(server.port(), "api.hotpool.test", certs.clientSettings())) {
            assertThat(socket.isConnected()).isTrue();
            assertThat(server.nextHandshake().requestedServerNames()).containsExactly(new SNIHostName("api.hotpool.test"));
        }
    }

    @Test
    void handshakeWithAnIpv4LiteralVerifiesTheIpAddressAndSendsNoSni() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.RSA);
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK));
                SSLSocket socket = handshake(server.port(), "127.0.0.1", certs.clientSettings())) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(server.nextHandshake().requestedServerNames()).isEmpty();
        }
    }

    @Test
    void handshakeWithAnIpv6LiteralVerifiesTheIpAddressAndSendsNoSni() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        SSLServerSocket listener;
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        try {
            listener = certs.serverSocket(v6);
        }
        catch (IOException ex) {
            assumeThat(ex).as("IPv6 loopback is not available here").isNull();
            return;
        }
        try (HandshakeServer server = HandshakeServer.tls(listener)) {
            InetSocketAddress address = new InetSocketAddress(v6, server.port());
            Socket raw = connect(address);
            try (SSLSocket socket = this.connector.handshake(raw, Origin.of("https", "[::1]", server.port()), address,
                    certs.clientSettings(), 10_000)) {
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
                assertThat(server.nextHandshake().requestedServerNames()).isEmpty();
            }
        }
    }

    @Test
    void handshakeOffersHttp11WithAlpn() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        SSLServerSocket listener = certs.serverSocket(LOOPBACK);
        SSLParameters parameters = listener.getSSLParameters();
        parameters.setApplicationProtocols(new String[] { "h2", "http/1.1" });
        listener.setSSLParameters(parameters);
        try (HandshakeServer server = HandshakeServer.tls(listener);
                SSLSocket socket = handshake(server.port(), "localhost", certs.clientSettings())) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
        }
    }

    @Test
    void handshakeLeavesTheBudgetAsTheSocketTimeoutForTheCallerToReplace() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK));
                SSLSocket socket = handshake(server.port(), "localhost", certs.clientSettings())) {
            assertThat(socket.getSoTimeout()).isEqualTo(10_000);
        }
    }

    @ParameterizedTest(name = "{0} with an {1} client key")
    @CsvSource({ "TLSv1.3, RSA", "TLSv1.3, EC", "TLSv1.2, RSA", "TLSv1.2, EC" })
    void settingsWithAKeyStoreAuthenticateTheClient(String protocol, KeyType clientType) throws Exception {
        TestCertificates serverCerts = TestCertificates.localhost(KeyType.RSA);
        TestCertificates clientCerts = TestCertificates.forHosts(clientType, "client.hotpool.test");
        TlsSettings mutual = TlsSettings.of("mutual", serverCerts.trustStore(), clientCerts.serverKeyStore(),
                TestCertificates.PASSWORD);
        SSLServerSocket listener = (SSLServerSocket) mutualServerContext(serverCerts, clientCerts)
                .getServerSocketFactory().createServerSocket(0, 50, LOOPBACK);
        listener.setEnabledProtocols(new String[] { protocol });
        listener.setNeedClientAuth(true);
        try (HandshakeServer server = HandshakeServer.tls(listener);
                SSLSocket socket = handshake(server.port(), "localhost", mutual)) {
            assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
            assertThat(server.nextHandshake().peer())
                    .isEqualTo(clientCerts.certificate().getSubjectX500Principal().getName());
        }
    }

    @Test
    void eachSettingsObjectGetsItsOwnTrust() throws Exception {
        TestCertificates rsa = TestCertificates.localhost(KeyType.RSA);
        TestCertificates ec = TestCertificates.localhost(KeyType.EC);
        try (HandshakeServer rsaServer = HandshakeServer.tls(rsa.serverSocket(LOOPBACK));
                HandshakeServer ecServer = HandshakeServer.tls(ec.serverSocket(LOOPBACK))) {
            try (SSLSocket first = handshake(rsaServer.port(), "localhost", rsa.clientSettings());
                    SSLSocket second = handshake(ecServer.port(), "localhost", ec.clientSettings())) {
                assertThat(first.getSession().getPeerCertificates()[0]).isEqualTo(rsa.certificate());
                assertThat(second.getSession().getPeerCertificates()[0]).isEqualTo(ec.certificate());
            }
            assertThatThrownBy(() -> handshake(ecServer.port(), "localhost", rsa.clientSettings()))
                    .isInstanceOf(TlsHandshakeException.class)
                    .hasMessageContaining("certificate not trusted");
        }
    }

    @Test
    void contextsAreSharedAcrossThreads() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK))) {
            int threads = 4;
            int perThread = 5;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < threads * perThread; i++) {
                    results.add(pool.submit(() -> {
                        try (SSLSocket socket = handshake(server.port(), "localhost", certs.clientSettings())) {
                            return socket.getSession().getProtocol();
                        }
                    }));
                }
                for (Future<String> result : results) {
                    assertThat(result.get()).isEqualTo("TLSv1.3");
                }
            }
            finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void sniCarriesHostNamesWithoutATrailingDotAndNeverIpLiterals() {
        assertThat(TlsConnector.sniHostName("localhost").getAsciiName()).isEqualTo("localhost");
        assertThat(TlsConnector.sniHostName("api.example.com.").getAsciiName()).isEqualTo("api.example.com");
        assertThat(TlsConnector.sniHostName("127.0.0.1")).isNull();
        assertThat(TlsConnector.sniHostName("::1")).isNull();
        assertThat(TlsConnector.sniHostName("2001:db8::1")).isNull();
        assertThat(TlsConnector.sniHostName("1.2.3.example")).isNotNull();
    }

    private SSLSocket handshake(int port, String host, TlsSettings settings) throws IOException {
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        return this.connector.handshake(connect(address), Origin.of("https", host, port), address, settings, 10_000);
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket raw = new Socket();
        raw.connect(address, 10_000);
        return raw;
    }

    /** A SunJSSE server context with the server's key that trusts the client certificates' CA. */
    private static SSLContext mutualServerContext(TestCertificates server, TestCertificates clients) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(server.serverKeyStore(), TestCertificates.PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(clients.trustStore());
        SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return context;
    }
}
