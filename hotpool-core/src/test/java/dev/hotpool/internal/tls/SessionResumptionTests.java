package dev.hotpool.internal.tls;

import dev.hotpool.Origin;
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
import java.net.SocketTimeoutException;
import java.util.List;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconnecting to an origin resumes its TLS 1.2 session (session IDs, abbreviated handshake) within one profile and
 * one set of TLS settings; BouncyCastle's JSSE has no TLS 1.3 resumption at all (no tickets, no pre_shared_key), so
 * every TLS 1.3 connection is a full handshake.
 */
class SessionResumptionTests {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static final int PRE_SHARED_KEY = 0x0029;

    private static final int SESSION_TICKET = 0x0023;

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void reconnectingToTheSameOriginOverTls12ResumesTheSession(TlsProvider provider) throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        TlsConnector connector = new TlsConnector(provider);
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK, "TLSv1.2"))) {
            byte[] first;
            try (SSLSocket socket = handshake(connector, server.port(), certs, TlsProfile.DEFAULT)) {
                first = socket.getSession().getId();
            }
            try (SSLSocket socket = handshake(connector, server.port(), certs, TlsProfile.DEFAULT)) {
                assertThat(socket.getSession().getId()).isEqualTo(first);
            }
            assertThat(server.nextHandshake().sessionId()).isEqualTo(first);
            assertThat(server.nextHandshake().sessionId()).as("the server resumed the first session").isEqualTo(first);
        }
    }

    @Test
    void anotherProfileDoesNotResumeTheSessionOfTheFirst() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        TlsProfiles profiles = TlsProfiles.builder().rotation(TlsProfiles.Rotation.ROUND_ROBIN)
            .rotateProfiles(List.of("default", "compatible")).build();
        TlsConnector connector = new TlsConnector();
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK, "TLSv1.2"))) {
            byte[] first;
            try (SSLSocket socket = handshake(connector, server.port(), certs, profiles.next())) {
                first = socket.getSession().getId();
            }
            try (SSLSocket socket = handshake(connector, server.port(), certs, profiles.next())) {
                assertThat(socket.getSession().getId()).isNotEqualTo(first);
            }
            try (SSLSocket socket = handshake(connector, server.port(), certs, profiles.next())) {
                assertThat(socket.getSession().getId()).as("the first profile again").isEqualTo(first);
            }
        }
    }

    @Test
    void otherTlsSettingsDoNotResumeTheSession() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        TlsSettings other = TlsSettings.of("other", certs.trustStore(), null, null);
        TlsConnector connector = new TlsConnector();
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK, "TLSv1.2"))) {
            byte[] first;
            try (SSLSocket socket = handshake(connector, server.port(), certs.clientSettings(), TlsProfile.DEFAULT)) {
                first = socket.getSession().getId();
            }
            try (SSLSocket socket = handshake(connector, server.port(), other, TlsProfile.DEFAULT)) {
                assertThat(socket.getSession().getId()).isNotEqualTo(first);
            }
        }
    }

    /** The second hello to a TLS 1.3 server offers nothing to resume: no pre_shared_key, no session ticket. */
    @Test
    void bouncyCastleNeverResumesATls13Session() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        TlsConnector connector = new TlsConnector();
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK, "TLSv1.3"));
                SniffingProxy proxy = SniffingProxy.to(server.port())) {
            for (int i = 0; i < 2; i++) {
                try (SSLSocket socket = handshake(connector, proxy.port(), certs, TlsProfile.DEFAULT)) {
                    assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
                    readTickets(socket);
                }
            }
            ClientHello first = proxy.nextHello();
            ClientHello second = proxy.nextHello();
            assertThat(second.extensions()).doesNotContain(PRE_SHARED_KEY, SESSION_TICKET);
            assertThat(second.ja4()).isEqualTo(first.ja4());
        }
    }

    /**
     * SunJSSE resumes TLS 1.3 sessions: its second hello carries a pre_shared_key, so its fingerprint on a
     * reconnection differs from the one captured at startup.
     */
    @Test
    void theJdkOffersTls13ResumptionOnReconnection() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        TlsConnector connector = new TlsConnector(TlsProvider.JDK);
        TlsProfile profile = TlsProfiles.builder().provider(TlsProvider.JDK).build().next();
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(LOOPBACK, "TLSv1.3"));
                SniffingProxy proxy = SniffingProxy.to(server.port())) {
            try (SSLSocket socket = handshake(connector, proxy.port(), certs, profile)) {
                readTickets(socket);
            }
            try (SSLSocket socket = handshake(connector, proxy.port(), certs, profile)) {
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
            assertThat(proxy.nextHello().extensions()).doesNotContain(PRE_SHARED_KEY);
            assertThat(proxy.nextHello().extensions()).contains(PRE_SHARED_KEY);
        }
    }

    /** The server's NewSessionTicket arrives after the handshake: a read lets the client take it. */
    private static void readTickets(SSLSocket socket) throws IOException {
        socket.setSoTimeout(200);
        try {
            socket.getInputStream().read();
        }
        catch (SocketTimeoutException expected) {
            // Nothing but tickets was sent.
        }
    }

    private static SSLSocket handshake(TlsConnector connector, int port, TestCertificates certs, TlsProfile profile)
            throws IOException {
        return handshake(connector, port, certs.clientSettings(), profile);
    }

    private static SSLSocket handshake(TlsConnector connector, int port, TlsSettings settings, TlsProfile profile)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        Socket raw = new Socket();
        raw.connect(address, 10_000);
        return connector.handshake(raw, Origin.of("https", "localhost", port), address, settings, profile, 10_000);
    }
}
