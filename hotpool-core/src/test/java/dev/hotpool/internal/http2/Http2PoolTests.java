package dev.hotpool.internal.http2;

import dev.hotpool.CallTimeoutException;
import dev.hotpool.Header;
import dev.hotpool.HostSettings;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.HttpProxy;
import dev.hotpool.PoolStats;
import dev.hotpool.ProxySettings;
import dev.hotpool.testsupport.H2TestServer;
import dev.hotpool.testsupport.JettyH2Server;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.testsupport.TestProxy;
import dev.hotpool.tls.TlsProfiles;
import dev.hotpool.tls.TlsProvider;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTP/2 through the whole pool on real sockets: ALPN picks it, requests become streams of one connection, bodies
 * stream and give their stream back, and the server's side counts the connections.
 */
class Http2PoolTests {

    private static final TestCertificates certs = TestCertificates.forHosts(KeyType.EC, "localhost");

    private static JettyH2Server jetty;

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = JettyH2Server.start(certs);
    }

    @AfterAll
    static void stopJetty() throws Exception {
        jetty.close();
    }

    private static HotPool pool(TlsProvider provider, UnaryOperator<HotPoolConfig.Builder> settings) {
        return new HotPool(settings.apply(HotPoolConfig.builder().tls(certs.clientSettings())
                .tlsProfiles(TlsProfiles.builder().provider(provider).build())
                .staticAddresses(Map.of("localhost", List.of("127.0.0.1")))
                .protocols(List.of("h2", "http/1.1"))
                .proxy(ProxySettings.NONE)).build());
    }

    private static String body(HotResponse response) throws IOException {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void jettyAnswersOverHttp2AndSequentialRequestsShareOneConnection(TlsProvider provider) throws Exception {
        try (HotPool pool = pool(provider, (b) -> b)) {
            URI uri = URI.create("https://localhost:" + jetty.tlsPort() + "/");
            for (int i = 0; i < 5; i++) {
                try (HotResponse response = pool.execute(HotRequest.get(uri))) {
                    assertThat(response.status()).isEqualTo(200);
                    assertThat(response.protocol()).isEqualTo("HTTP/2.0");
                    assertThat(body(response)).isEqualTo("jetty HTTP/2.0");
                }
            }
            PoolStats stats = pool.stats();
            assertThat(stats.created()).isEqualTo(1);
            assertThat(stats.leases()).isEqualTo(5);
            assertThat(stats.idle()).isEqualTo(1);
        }
    }

    @Test
    void concurrentRequestsAreStreamsOfOneConnectionCountedOnTheServer() throws Exception {
        // The server reads all eight requests before it answers any: they can only all arrive as streams open at once.
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            peer.handshake(H2TestServer.DEFAULT_SETTINGS);
            List<Integer> streams = new ArrayList<>();
            while (streams.size() < 8) {
                Frame f = peer.readFrame();
                if (f.type() == FrameType.HEADERS) {
                    peer.readBlock(f);
                    streams.add(f.streamId());
                }
                else if (f.type() == FrameType.SETTINGS && !f.isAck()) {
                    peer.settingsAck();
                }
            }
            for (int id : streams) {
                peer.headers(id, List.of(new Header(":status", "200")), false);
                peer.data(id, ("stream " + id).getBytes(StandardCharsets.US_ASCII), true);
            }
            peer.serve((request) -> H2TestServer.Response.of(200, "late"));
        });
                HotPool pool = pool(TlsProvider.BC, (b) -> b.maxConnsPerHost(8)
                        .host("localhost", HostSettings.builder().protocols(List.of("h2c")).build()))) {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    answers.add(threads.submit(() -> {
                        try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                            return r.protocol() + " " + body(r);
                        }
                    }));
                }
                for (Future<String> f : answers) {
                    assertThat(f.get(20, TimeUnit.SECONDS)).startsWith("HTTP/2.0 stream ");
                }
            }
            finally {
                threads.shutdownNow();
            }
            assertThat(server.connectionsAccepted()).isEqualTo(1);
            assertThat(pool.stats().created()).isEqualTo(1);
            assertThat(pool.stats().leases()).isEqualTo(8);
        }
    }

    @Test
    void throughAnHttpProxyHttp2RunsInsideTheConnectTunnel() throws Exception {
        try (TestProxy proxy = TestProxy.start();
                HotPool pool = pool(TlsProvider.BC, (b) -> b.proxy(ProxySettings.of(
                        HttpProxy.parse(proxy.url(), null, null), List.of())))) {
            URI uri = URI.create("https://localhost:" + jetty.tlsPort() + "/");
            for (int i = 0; i < 3; i++) {
                try (HotResponse response = pool.execute(HotRequest.get(uri))) {
                    assertThat(response.protocol()).isEqualTo("HTTP/2.0");
                    assertThat(body(response)).isEqualTo("jetty HTTP/2.0");
                }
            }
            assertThat(proxy.connects()).isEqualTo(1);
            assertThat(pool.stats().created()).isEqualTo(1);
        }
    }

    @Test
    void aCallTimeoutCancelsItsStreamOnlyAndTheConnectionServesTheNextRequest() throws Exception {
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            peer.handshake(H2TestServer.DEFAULT_SETTINGS);
            boolean first = true;
            while (true) {
                Frame f = peer.readFrame();
                if (f.type() == FrameType.HEADERS) {
                    peer.readBlock(f);
                    if (first) {
                        first = false; // Never answered: the call timeout ends it.
                        continue;
                    }
                    peer.headers(f.streamId(), List.of(new Header(":status", "200")), false);
                    peer.data(f.streamId(), "second".getBytes(StandardCharsets.US_ASCII), true);
                }
                else if (f.type() == FrameType.SETTINGS && !f.isAck()) {
                    peer.settingsAck();
                }
                else if (f.type() == FrameType.GOAWAY) {
                    return;
                }
            }
        });
                HotPool pool = pool(TlsProvider.BC, (b) -> b
                        .host("localhost", HostSettings.builder().protocols(List.of("h2c")).build()))) {
            assertThatThrownBy(() -> pool.execute(HotRequest.builder("GET", server.uri("/"))
                    .callTimeout(Duration.ofMillis(200)).build()))
                    .isInstanceOf(CallTimeoutException.class);
            try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                assertThat(body(r)).isEqualTo("second");
            }
            assertThat(server.connectionsAccepted()).isEqualTo(1);
            assertThat(pool.stats().leased()).isZero();
        }
    }
}
