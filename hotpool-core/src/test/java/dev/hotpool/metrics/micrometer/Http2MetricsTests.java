package dev.hotpool.metrics.micrometer;

import dev.hotpool.ConnectionInfo;
import dev.hotpool.Header;
import dev.hotpool.HostSettings;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.ProxySettings;
import dev.hotpool.internal.http2.Frame;
import dev.hotpool.internal.http2.FrameType;
import dev.hotpool.internal.http2.Setting;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.H2TestServer;
import dev.hotpool.testsupport.JettyH2Server;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user sees of HTTP/2 connections, on real sockets: each connection's protocol, streams and stream limit in
 * {@link HotPool#connections}, the stream gauges and the stream-wait timer, and the protocol tag of the connect and
 * TLS timers, against Jetty (TLS with ALPN, and h2c), a scripted HTTP/2 server that holds a response open, and
 * HTTP/1.1 servers.
 */
class Http2MetricsTests {

    private static final TestCertificates certs = TestCertificates.forHosts(KeyType.EC, "localhost");

    private static JettyH2Server jetty;

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private final AtomicLong nanoTime = new AtomicLong();

    private HotPool pool;

    private H2TestServer h2Server;

    private StubServer h1Server;

    private ExecutorService threads;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.h2Server, () -> this.h1Server,
            () -> this.threads == null ? null : (AutoCloseable) this.threads::shutdownNow);

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = JettyH2Server.start(certs);
    }

    @AfterAll
    static void stopJetty() throws Exception {
        jetty.close();
    }

    /** A pool offering {@code h2, http/1.1} (unless {@code settings} says otherwise), its meters bound per host. */
    private HotPool pool(UnaryOperator<HotPoolConfig.Builder> settings) {
        HotPoolMetrics metrics = new HotPoolMetrics(new HotPoolMetrics.Options(true, 100), this.nanoTime::get);
        this.pool = new HotPool(settings.apply(HotPoolConfig.builder().name("h2").listener(metrics)
                .tls(certs.clientSettings()).staticAddresses(Map.of("localhost", List.of("127.0.0.1")))
                .protocols(List.of("h2", "http/1.1")).proxy(ProxySettings.NONE)).build());
        metrics.monitor(this.pool).bindTo(this.registry);
        return this.pool;
    }

    private String get(URI uri) throws IOException {
        try (HotResponse response = this.pool.execute(HotRequest.get(uri))) {
            return body(response);
        }
    }

    private static String body(HotResponse response) throws IOException {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private ConnectionInfo onlyConnection(URI uri) {
        List<ConnectionInfo> rows = this.pool.connections(Origin.of(uri));
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    /** The gauges read a snapshot at most a second old: move the clock past it. */
    private double gauge(String name, String host) {
        this.nanoTime.addAndGet(Duration.ofSeconds(2).toNanos());
        return this.registry.get(name).tags("pool", "h2", "host", host).gauge().value();
    }

    private long timerCount(String name, String... tags) {
        Timer timer = this.registry.find(name).tags(tags).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void anH2ConnectionOverTlsShowsH2ItsStreamLimitAndTagsItsConnectAndHandshake() throws Exception {
        pool((b) -> b);
        URI uri = URI.create("https://localhost:" + jetty.tlsPort() + "/");

        assertThat(get(uri)).isEqualTo("jetty HTTP/2.0");
        assertThat(get(uri)).isEqualTo("jetty HTTP/2.0");

        ConnectionInfo row = onlyConnection(uri);
        assertThat(row.applicationProtocol()).isEqualTo("h2");
        assertThat(row.protocol()).startsWith("TLSv1.");
        assertThat(row.state()).isEqualTo("idle");
        assertThat(row.streams()).isZero();
        assertThat(row.streamLimit()).as("Jetty's SETTINGS_MAX_CONCURRENT_STREAMS").isEqualTo(128);
        assertThat(row.requests()).isEqualTo(2);
        PoolStats.HostStats host = this.pool.stats().hosts().get(0);
        assertThat(host.streams()).isZero();
        assertThat(host.streamLimit()).isEqualTo(128);
        String tag = "localhost:" + jetty.tlsPort();
        assertThat(timerCount("hotpool.connect", "host", tag, "outcome", "success", "protocol", "h2")).isEqualTo(1);
        assertThat(timerCount("hotpool.tls.handshake", "host", tag, "outcome", "success", "protocol", "h2"))
            .isEqualTo(1);
        assertThat(this.registry.find("hotpool.connect").tag("protocol", "none").timers()).isEmpty();
        assertThat(gauge("hotpool.streams.active", tag)).isZero();
        assertThat(gauge("hotpool.streams.limit", tag)).isEqualTo(128);
        assertThat(timerCount("hotpool.streams.wait", "host", tag)).as("no lease waited").isZero();
    }

    @Test
    void whatAlpnAgreedOrNothingTagsTheTimersOfHttp11Connections() throws Exception {
        this.h1Server = StubServer.https(certs.serverContext()); // The JDK's server without ALPN: nothing agreed.
        pool((b) -> b.protocols(List.of("http/1.1"))); // Offers http/1.1 only: Jetty agrees it.
        URI jettyUri = URI.create("https://localhost:" + jetty.tlsPort() + "/");
        URI stubUri = this.h1Server.uri("/");

        assertThat(get(jettyUri)).isEqualTo("jetty HTTP/1.1");
        get(stubUri);

        ConnectionInfo jettyRow = onlyConnection(jettyUri);
        assertThat(jettyRow.applicationProtocol()).isEqualTo("http/1.1");
        assertThat(jettyRow.streams()).isNull();
        assertThat(jettyRow.streamLimit()).isNull();
        assertThat(onlyConnection(stubUri).applicationProtocol()).isEqualTo("http/1.1");
        String jettyTag = "localhost:" + jetty.tlsPort();
        String stubTag = "localhost:" + this.h1Server.port();
        assertThat(timerCount("hotpool.connect", "host", jettyTag, "outcome", "success", "protocol", "http/1.1"))
            .isEqualTo(1);
        assertThat(timerCount("hotpool.tls.handshake", "host", jettyTag, "protocol", "http/1.1")).isEqualTo(1);
        assertThat(timerCount("hotpool.connect", "host", stubTag, "outcome", "success", "protocol", "none"))
            .isEqualTo(1);
        assertThat(timerCount("hotpool.tls.handshake", "host", stubTag, "outcome", "success", "protocol", "none"))
            .isEqualTo(1);
        assertThat(this.pool.stats().hosts()).allSatisfy((h) -> {
            assertThat(h.streams()).isZero();
            assertThat(h.streamLimit()).isZero();
        });
        assertThat(gauge("hotpool.streams.active", jettyTag)).isZero();
        assertThat(gauge("hotpool.streams.limit", jettyTag)).isZero();
    }

    @Test
    void h2cIsH2OverTcpAndPlainHttp11AgreesNothing() throws Exception {
        this.h1Server = StubServer.http();
        pool((b) -> b.host("127.0.0.1", HostSettings.builder().protocols(List.of("h2c")).build()));
        URI h2c = URI.create("http://127.0.0.1:" + jetty.h2cPort() + "/");

        assertThat(get(h2c)).isEqualTo("jetty HTTP/2.0");
        get(this.h1Server.uri("/"));

        ConnectionInfo row = onlyConnection(h2c);
        assertThat(row.applicationProtocol()).isEqualTo("h2");
        assertThat(row.protocol()).isEqualTo("TCP");
        assertThat(row.cipher()).isNull();
        assertThat(row.streamLimit()).isEqualTo(128);
        ConnectionInfo plain = onlyConnection(this.h1Server.uri("/"));
        assertThat(plain.applicationProtocol()).isEqualTo("http/1.1");
        assertThat(plain.streams()).isNull();
        assertThat(timerCount("hotpool.connect", "host", "127.0.0.1:" + jetty.h2cPort(), "protocol", "h2"))
            .isEqualTo(1);
        assertThat(timerCount("hotpool.connect", "host", "localhost:" + this.h1Server.port(), "protocol", "none"))
            .isEqualTo(1);
        assertThat(this.registry.find("hotpool.tls.handshake").timers()).isEmpty();
    }

    /**
     * The server allows one stream at a time and holds the first response open after its head until the test lets it
     * go: the connection shows the stream, the gauges count it, and a second request waits in line for the stream.
     */
    @Test
    void aHeldResponseIsAnOpenStreamAndTheNextRequestWaitsForItsSlot() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        this.h2Server = H2TestServer.h2c((peer) -> {
            peer.handshake(List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 1),
                    new Setting(Setting.INITIAL_WINDOW_SIZE, 65535)));
            int held = -1;
            while (held < 0) {
                Frame f = peer.readFrame();
                if (f.type() == FrameType.HEADERS) {
                    peer.readBlock(f);
                    held = f.streamId();
                }
                else if (f.type() == FrameType.SETTINGS && !f.isAck()) {
                    peer.settingsAck();
                }
            }
            peer.headers(held, List.of(new Header(":status", "200")), false);
            try {
                release.await(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            peer.data(held, "held".getBytes(StandardCharsets.US_ASCII), true);
            peer.serve((request) -> H2TestServer.Response.of(200, "next"));
        });
        pool((b) -> b.maxConnsPerHost(1).acquireTimeout(Duration.ofSeconds(10))
                .host("localhost", HostSettings.builder().protocols(List.of("h2c")).build()));
        URI uri = this.h2Server.uri("/held");
        String tag = "localhost:" + this.h2Server.port();
        this.threads = Executors.newSingleThreadExecutor();

        try (HotResponse held = this.pool.execute(HotRequest.get(uri))) {
            assertThat(held.status()).isEqualTo(200);
            ConnectionInfo row = onlyConnection(uri);
            assertThat(row.applicationProtocol()).isEqualTo("h2");
            assertThat(row.state()).isEqualTo("leased");
            assertThat(row.streams()).isEqualTo(1);
            assertThat(row.streamLimit()).isEqualTo(1);
            assertThat(gauge("hotpool.streams.active", tag)).isEqualTo(1);
            assertThat(gauge("hotpool.streams.limit", tag)).isEqualTo(1);

            Future<String> next = this.threads.submit(() -> get(this.h2Server.uri("/next")));
            Await.until(() -> this.pool.stats().pending() == 1);
            assertThat(timerCount("hotpool.streams.wait", "host", tag)).isZero();

            release.countDown();
            assertThat(body(held)).isEqualTo("held");
            held.close();
            assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo("next");
        }

        assertThat(timerCount("hotpool.streams.wait", "pool", "h2", "host", tag)).isEqualTo(1);
        assertThat(this.registry.get("hotpool.streams.wait").tags("host", tag).timer().totalTime(TimeUnit.NANOSECONDS))
            .isPositive();
        assertThat(this.h2Server.connectionsAccepted()).isEqualTo(1);
        assertThat(gauge("hotpool.streams.active", tag)).isZero();
        assertThat(gauge("hotpool.streams.limit", tag)).isEqualTo(1);
        assertThat(onlyConnection(uri).streams()).isZero();
        assertThat(timerCount("hotpool.connect", "host", tag, "outcome", "success", "protocol", "h2")).isEqualTo(1);
    }

    @Test
    void aLeaseThatWaitsForAnHttp11ConnectionIsNoStreamWait() throws Exception {
        this.h1Server = StubServer.http();
        pool((b) -> b.maxConnsPerHost(1).acquireTimeout(Duration.ofSeconds(10)));
        URI uri = this.h1Server.uri("/");
        this.threads = Executors.newSingleThreadExecutor();

        Future<String> next;
        try (HotResponse held = this.pool.execute(HotRequest.get(uri))) {
            next = this.threads.submit(() -> get(uri));
            Await.until(() -> this.pool.stats().pending() == 1);
            body(held);
        }
        next.get(10, TimeUnit.SECONDS);

        assertThat(timerCount("hotpool.connections.acquire")).isEqualTo(2);
        assertThat(timerCount("hotpool.streams.wait")).isZero();
    }

    @Test
    void theConstructorOfTheFirstReleaseMakesAnHttp11Row() {
        ConnectionInfo row = new ConnectionInfo(1, "127.0.0.1:443", "idle", 10, 5, 3, "default", "TLSv1.3",
                "TLS_AES_128_GCM_SHA256");
        assertThat(row.applicationProtocol()).isEqualTo("http/1.1");
        assertThat(row.streams()).isNull();
        assertThat(row.streamLimit()).isNull();
        PoolStats.HostStats host = new PoolStats.HostStats(Origin.parse("https://a.test"), "https://a.test:443", 1, 0,
                1, 0, 0, 3, 1, null);
        assertThat(host.streams()).isZero();
        assertThat(host.streamLimit()).isZero();
    }
}
