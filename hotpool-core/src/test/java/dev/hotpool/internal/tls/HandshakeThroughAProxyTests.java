package dev.hotpool.internal.tls;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.ProxySettings;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.testsupport.TestProxy;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inside a {@code CONNECT} tunnel the TLS handshake is the origin's, as without a proxy: the ClientHello the proxy
 * relays names the origin (SNI) and carries the profile's fingerprint, and the certificate is checked against the
 * origin's name — here a name only the pool's static addresses and the proxy's own resolver know.
 */
class HandshakeThroughAProxyTests {

    private static final TestCertificates certificates = TestCertificates.forHosts(KeyType.EC, "api.test");

    private TestProxy proxy;
    private StubServer server;
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.proxy, () -> this.server);

    @Test
    void theTunnelledClientHelloNamesTheOriginAndCarriesTheProfilesFingerprint() throws Exception {
        this.server = StubServer.https(certificates.serverContext());
        this.proxy = TestProxy.start().resolve("api.test", InetAddress.getLoopbackAddress());
        this.pool = new HotPool(HotPoolConfig.builder().tls(certificates.clientSettings())
                .staticAddresses(Map.of("api.test", List.of("127.0.0.1")))
                .proxy(ProxySettings.of(HttpProxy.of("127.0.0.1", this.proxy.port()), List.of())).build());
        URI uri = URI.create("https://api.test:" + this.server.port() + "/hello");

        try (HotResponse response = this.pool.execute(HotRequest.get(uri))) {
            assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("/hello");
        }

        assertThat(this.proxy.requestLines()).containsExactly("CONNECT api.test:" + this.server.port() + " HTTP/1.1");
        ClientHello hello = ClientHello.parse(this.proxy.firstTlsRecords().get(0));
        assertThat(hello.serverName()).isEqualTo("api.test");
        String profile = this.pool.connections(Origin.of(uri)).get(0).profile();
        assertThat(hello.ja4()).isEqualTo(this.pool.tlsFingerprints().get(profile).ja4());
    }
}
