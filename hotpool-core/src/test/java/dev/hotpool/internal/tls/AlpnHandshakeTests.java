package dev.hotpool.internal.tls;

import dev.hotpool.Origin;
import dev.hotpool.TlsHandshakeException;
import dev.hotpool.testsupport.JettyH2Server;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProvider;
import dev.hotpool.tls.TlsSettings;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ALPN through {@link TlsConnector}, on both providers, against real servers on loopback: what the ClientHello
 * offers, what each kind of server agrees ({@code h2} from Jetty's HTTP/2 server, {@code http/1.1} from a server without
 * HTTP/2, nothing from a server without ALPN), and the handshakes that fail because hotpool could not speak the result.
 * BCJSSE's handshake failures are not {@code SSLException}s (its alerts are {@code TlsFatalAlertReceived}, an
 * {@code IOException}); each failure here is asserted on both providers for that reason.
 */
class AlpnHandshakeTests {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static final TestCertificates certs = TestCertificates.localhost(KeyType.EC);

    private static final List<String> H2_FIRST = List.of("h2", "http/1.1");

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void jettysHttp2ServerAgreesH2WhenTheClientHelloOffersIt(TlsProvider provider) throws Exception {
        try (JettyH2Server jetty = JettyH2Server.start(certs);
                SniffingProxy sniffer = SniffingProxy.to(jetty.tlsPort());
                SSLSocket socket = handshake(provider, sniffer.port(), H2_FIRST)) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
            assertThat(sniffer.nextHello().alpn()).containsExactly("h2", "http/1.1");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void anHttp2ServerThatAsksForAnOptionalClientCertificateAndSpeaksFirstIsNotTakenForAFailure(TlsProvider provider)
            throws Exception {
        // The client has no key, so it sends no certificate. Over TLS 1.3 the handshake then waits for the server's
        // verdict, failing on any byte (an HTTP/1.1 server never speaks first); an HTTP/2 server may send its
        // SETTINGS at once, as this one does.
        byte[] settings = { 0, 0, 0, 4, 0, 0, 0, 0, 0 }; // An empty SETTINGS frame.
        SSLServerSocket listener = alpnServerSocket("h2");
        listener.setWantClientAuth(true);
        try (listener) {
            Thread server = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    s.getOutputStream().write(settings);
                    s.getOutputStream().flush();
                    s.getInputStream().read(); // Until the client closes.
                }
                catch (IOException ignored) {
                    // The client went away: the assertions below tell what happened.
                }
            }, "speaks-first-h2-server");
            server.setDaemon(true);
            server.start();
            try (SSLSocket socket = handshake(provider, listener.getLocalPort(), H2_FIRST)) {
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
                assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
                assertThat(socket.getInputStream().readNBytes(settings.length))
                    .as("the server's SETTINGS, left unread by the handshake").isEqualTo(settings);
            }
            server.join(10_000);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void jettysHttp2ServerAgreesHttp11WhenOfferedWhatTheDefaultProfileOffers(TlsProvider provider) throws Exception {
        try (JettyH2Server jetty = JettyH2Server.start(certs);
                SSLSocket socket = handshake(provider, jetty.tlsPort(), TlsProfile.DEFAULT.alpn())) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aServerWithoutHttp2AgreesHttp11WhenOfferedH2First(TlsProvider provider) throws Exception {
        try (HandshakeServer server = HandshakeServer.tls(alpnServerSocket("http/1.1"));
                SSLSocket socket = handshake(provider, server.port(), H2_FIRST)) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aServerWithoutAlpnAgreesNothing(TlsProvider provider) throws Exception {
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK));
                SSLSocket socket = handshake(provider, server.port(), H2_FIRST)) {
            assertThat(socket.getApplicationProtocol()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void offeringOnlyH2ToAServerThatSpeaksOnlyHttp11FailsNamingWhatWasOffered(TlsProvider provider)
            throws Exception {
        try (HandshakeServer server = HandshakeServer.tls(alpnServerSocket("http/1.1"))) {
            assertThatThrownBy(() -> handshake(provider, server.port(), List.of("h2")))
                .isInstanceOf(TlsHandshakeException.class)
                .hasMessageStartingWith("hotpool: TLS handshake with https://localhost:" + server.port())
                .hasMessageEndingWith("failed: no application protocol in common: the server speaks none of those"
                        + " offered in ALPN (h2)");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void offeringOnlyH2ToAServerWithoutAlpnFailsBecauseItWouldSpeakHttp11(TlsProvider provider) throws Exception {
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK))) {
            assertThatThrownBy(() -> handshake(provider, server.port(), List.of("h2")))
                .isInstanceOf(TlsHandshakeException.class)
                .hasMessageStartingWith("hotpool: TLS handshake with https://localhost:" + server.port())
                .hasMessageContaining("failed: the server agreed no application protocol in ALPN, and only h2 was"
                        + " offered, not http/1.1");
        }
    }

    @Test
    void anAgreedProtocolThatWasNotOfferedIsRefusedNamingIt() {
        // No JSSE lets a server's unoffered pick through (both check it themselves), so the check is called directly.
        assertThatThrownBy(() -> TlsConnector.checkApplicationProtocol("spdy/3", H2_FIRST))
            .isInstanceOf(SSLException.class)
            .hasMessage("the server picked the application protocol 'spdy/3' in ALPN, which was not offered (h2,"
                    + " http/1.1)");
        assertThatThrownBy(() -> TlsConnector.checkApplicationProtocol("h2", List.of("http/1.1")))
            .hasMessageContaining("'h2' in ALPN, which was not offered (http/1.1)");
        assertThatThrownBy(() -> TlsConnector.checkApplicationProtocol("http/1.1", List.of()))
            .hasMessageContaining("'http/1.1' in ALPN, which was not offered (no ALPN)");
        assertThatNoException().isThrownBy(() -> TlsConnector.checkApplicationProtocol("", List.of("http/1.1")));
        assertThatNoException().isThrownBy(() -> TlsConnector.checkApplicationProtocol("", List.of()));
        assertThatNoException().isThrownBy(() -> TlsConnector.checkApplicationProtocol(null, H2_FIRST));
        assertThatNoException().isThrownBy(() -> TlsConnector.checkApplicationProtocol("h2", H2_FIRST));
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void theClientHelloOffersExactlyTheListGivenInItsOrder(TlsProvider provider) throws Exception {
        try (HandshakeServer server = HandshakeServer.tls(alpnServerSocket("h2", "http/1.1"));
                SniffingProxy sniffer = SniffingProxy.to(server.port())) {
            try (SSLSocket socket = handshake(provider, sniffer.port(), List.of("http/1.1", "h2"))) {
                // SunJSSE's server goes by its own preference, h2 first: the client offered both.
                assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
            }
            assertThat(sniffer.nextHello().alpn()).containsExactly("http/1.1", "h2");
            try (SSLSocket socket = handshake(provider, sniffer.port(), List.of())) {
                assertThat(socket.getApplicationProtocol()).isEmpty();
            }
            assertThat(sniffer.nextHello().alpn()).as("no ALPN extension").isEmpty();
        }
    }

    /** A SunJSSE server on 127.0.0.1 that selects among {@code protocols} in its own order of preference. */
    private static SSLServerSocket alpnServerSocket(String... protocols) throws IOException {
        SSLServerSocket listener = certs.serverSocket(LOOPBACK);
        SSLParameters parameters = listener.getSSLParameters();
        parameters.setApplicationProtocols(protocols);
        listener.setSSLParameters(parameters);
        return listener;
    }

    private static SSLSocket handshake(TlsProvider provider, int port, List<String> alpn) throws IOException {
        return handshake(provider, port, alpn, certs.clientSettings());
    }

    private static SSLSocket handshake(TlsProvider provider, int port, List<String> alpn, TlsSettings settings)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        Socket raw = new Socket();
        raw.connect(address, 10_000);
        return new TlsConnector(provider).handshake(raw, Origin.of("https", "localhost", port), address, settings,
                TlsProfile.DEFAULT, alpn, 10_000);
    }
}
