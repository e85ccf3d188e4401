package dev.hotpool.internal.tls;

import dev.hotpool.ConnectionInfo;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Origin;
import dev.hotpool.TlsHandshakeException;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.tls.TlsProfiles;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Profiles through the public {@link HotPool} API: each new connection takes the next profile of the rotation,
 * remembers it, and reports it to the listener; a TLS 1.3 server's client certificate verdict, which comes after the
 * client's side of the handshake, is a {@link TlsHandshakeException} naming the profile.
 */
class ProfilesThroughThePoolTests {

    @Test
    void newConnectionsTakeTheProfilesInTurnAndRememberThem() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        List<String> handshakes = new CopyOnWriteArrayList<>();
        PoolListener listener = new PoolListener() {
            @Override
            public void handshake(Origin origin, String profile, boolean succeeded, long nanos) {
                handshakes.add(profile + (succeeded ? "" : " failed"));
            }
        };
        TlsProfiles profiles = TlsProfiles.builder().rotation(TlsProfiles.Rotation.ROUND_ROBIN)
            .rotateProfiles(List.of("default", "modern", "browser-like")).build();
        try (StubServer server = StubServer.https(certs.serverContext());
                HotPool pool = new HotPool(HotPoolConfig.builder().tls(certs.clientSettings()).tlsProfiles(profiles)
                    .listener(listener).build())) {
            URI uri = server.uri("/hello");
            for (int i = 0; i < 6; i++) {
                HotRequest close = HotRequest.builder("GET", uri).header("Connection", "close").build();
                try (HotResponse response = pool.execute(close)) {
                    assertThat(response.status()).isEqualTo(200);
                    response.body().readAllBytes();
                }
            }
            assertThat(handshakes).containsExactly("default", "modern", "browser-like", "default", "modern",
                    "browser-like");
            try (HotResponse kept = pool.execute(HotRequest.get(uri))) {
                kept.body().readAllBytes();
            }
            List<ConnectionInfo> open = pool.connections(Origin.of("https", "localhost", server.port()));
            assertThat(open).singleElement().satisfies((c) -> {
                assertThat(c.profile()).isEqualTo("default");
                assertThat(c.protocol()).isEqualTo("TLSv1.3");
            });
        }
    }

    @Test
    void tls13ServerRequiringAClientCertificateFailsTheRequestAsAHandshakeFailureNamingTheProfile() throws Exception {
        TestCertificates server = TestCertificates.localhost(KeyType.RSA);
        TestCertificates client = TestCertificates.forHosts(KeyType.EC, "client.hotpool.test");
        try (HandshakeServer tls = HandshakeServer.tls(server.clientAuthServerSocket(InetAddress.getLoopbackAddress(),
                client, "TLSv1.3"));
                HotPool pool = new HotPool(HotPoolConfig.builder().tls(server.clientSettings())
                    .tlsProfiles(TlsProfiles.builder().profile("modern").build()).build())) {
            URI uri = URI.create("https://localhost:" + tls.port() + "/");
            assertThatThrownBy(() -> pool.execute(HotRequest.get(uri))).isInstanceOf(TlsHandshakeException.class)
                .hasMessage("hotpool: TLS handshake with https://localhost:" + tls.port() + " (127.0.0.1:" + tls.port()
                        + ") using profile 'modern' failed: server requires a client certificate");
        }
    }
}
