package dev.hotpool;

import dev.hotpool.metrics.PoolListener;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.LoopbackServer;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.testsupport.TestClock;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Per-host settings ({@code hotpool.hosts}) through the public {@link HotPool} API on loopback sockets: host names
 * {@code a.test}, {@code b.test}, … are fixed to 127.0.0.1 ({@code hotpool.addresses}), each served by its own stub
 * server, which counts what it sees.
 */
class PerHostSettingsTests {

    private static final Map<String, List<String>> LOOPBACK = Map.of("a.test", List.of("127.0.0.1"), "b.test",
            List.of("127.0.0.1"), "c.test", List.of("127.0.0.1"));

    /** Answers a HEAD with a head only (as a probe expects), anything else with its path. */
    private static final StubServer.Handler HEAD_OR_ECHO = (req, ex) -> {
        if (req.method().equals("HEAD")) {
            ex.raw("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        }
        else {
            ex.respond(200, req.target());
        }
    };

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = this.closeables.size() - 1; i >= 0; i--) {
            this.closeables.get(i).close();
        }
    }

    private StubServer server(StubServer.Handler handler) throws IOException {
        StubServer server = StubServer.http(handler);
        this.closeables.add(server);
        return server;
    }

    private HotPool pool(HotPoolConfig.Builder config) {
        HotPool pool = new HotPool(config.staticAddresses(LOOPBACK).build());
        this.closeables.add(pool);
        return pool;
    }

    private static URI uri(String host, StubServer server, String path) {
        return URI.create("http://" + host + ":" + server.port() + path);
    }

    private static String get(HotPool pool, URI uri) throws IOException {
        return send(pool, HotRequest.get(uri));
    }

    private static String send(HotPool pool, HotRequest request) throws IOException {
        try (HotResponse response = pool.execute(request)) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aHostsOwnCapHoldsAtTheServerWhileAnotherHostUsesThePools() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        StubServer.Handler held = (req, ex) -> {
            try {
                answer.await(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.respond(200, "ok");
        };
        StubServer a = server(held);
        StubServer b = server(held);
        HotPool pool = pool(HotPoolConfig.builder().maxConnsPerHost(4).maxConnections(20)
                .host("a.test", HostSettings.builder().maxConnections(1).build()));
        // A thread per call: each blocks in a socket read until the servers answer. CompletableFuture's default
        // executor would not do: on Java 25 it is the common ForkJoinPool even at parallelism 1 (a 2-CPU machine),
        // which runs one such call at a time (Java 17 started a thread per task there instead).
        ExecutorService callers = Executors.newFixedThreadPool(8);
        this.closeables.add(callers::shutdownNow);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> call(pool, uri("a.test", a, "/")), callers));
            calls.add(CompletableFuture.supplyAsync(() -> call(pool, uri("b.test", b, "/")), callers));
        }
        // The servers count a connection once their thread for it runs, which may be after the pool counted it.
        Await.until(() -> b.openConnections() == 4 && a.openConnections() >= 1 && pool.stats().pending() == 3);
        assertThat(a.openConnections()).isEqualTo(1);
        answer.countDown();
        for (CompletableFuture<String> call : calls) {
            assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        }
        assertThat(a.maxOpenConnections()).as("a.test under its own cap of 1").isEqualTo(1);
        assertThat(b.maxOpenConnections()).as("b.test under max-conns-per-host").isEqualTo(4);
        assertThat(a.requestsServed()).isEqualTo(4);
    }

    private static String call(HotPool pool, URI uri) {
        try {
            return get(pool, uri);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aHostsIdleTimeoutAndLifetimeCloseThatHostsConnectionsOnly() throws Exception {
        TestClock clock = new TestClock();
        StubServer a = server(StubServer.ECHO_PATH);
        StubServer b = server(StubServer.ECHO_PATH);
        StubServer c = server(StubServer.ECHO_PATH);
        HotPool pool = pool(HotPoolConfig.builder().clock(clock).idleTimeout(Duration.ofSeconds(30))
                .maxLifetime(Duration.ofMinutes(5))
                .host("a.test", HostSettings.builder().idleTimeout(Duration.ofSeconds(5)).build())
                .host("b.test", HostSettings.builder().maxLifetime(Duration.ofSeconds(40)).build()));
        get(pool, uri("a.test", a, "/"));
        get(pool, uri("b.test", b, "/"));
        get(pool, uri("c.test", c, "/"));

        clock.advance(Duration.ofSeconds(5));
        HealthCheckReport report = pool.runHealthCheck();
        assertThat(report.closed()).containsEntry(CloseReason.IDLE_TIMEOUT, 1);
        Await.until(() -> a.openConnections() == 0);
        assertThat(b.openConnections()).isEqualTo(1);
        assertThat(c.openConnections()).isEqualTo(1);

        for (int i = 0; i < 4; i++) { // Busy every 10 s: past b.test's 40 s lifetime, never past the 30 s idle timeout.
            clock.advance(Duration.ofSeconds(10));
            get(pool, uri("b.test", b, "/"));
            get(pool, uri("c.test", c, "/"));
        }
        assertThat(b.connectionsAccepted()).as("b.test's first connection outlived its 40 s").isEqualTo(2);
        assertThat(c.connectionsAccepted()).as("c.test keeps the pool's 5 min").isEqualTo(1);
        assertThat(pool.stats().closed()).containsEntry(CloseReason.MAX_LIFETIME, 1L);
    }

    @Test
    void aHostsMinIdleWarmsItsOriginAndAnotherWarmHostKeepsThePoolsMinimum() throws Exception {
        StubServer a = server(StubServer.ECHO_PATH);
        StubServer b = server(StubServer.ECHO_PATH);
        HotPool pool = pool(HotPoolConfig.builder().warmupMinIdlePerHost(1)
                .warmupHosts(List.of(Origin.parse("http://a.test:" + a.port()), Origin.parse("http://b.test:"
                        + b.port())))
                .host("a.test", HostSettings.builder().minIdle(3).build()));
        assertThat(pool.awaitWarmup(Duration.ofSeconds(10))).isTrue();
        // The stub counts a connection on its own thread, which may run after the pool's connect has returned.
        Await.until(() -> a.connectionsAccepted() >= 3 && b.connectionsAccepted() >= 1);
        assertThat(a.connectionsAccepted()).isEqualTo(3);
        assertThat(b.connectionsAccepted()).isEqualTo(1);

        a.dropConnections();
        Await.until(() -> a.openConnections() == 0);
        pool.runHealthCheck(); // Finds them closed, then tops a.test up to 3 again.
        Await.until(() -> a.openConnections() == 3);
        assertThat(a.connectionsAccepted()).isEqualTo(6);
        assertThat(b.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void aHostsTlsProfileIsTheOneItsNewConnectionsUseWhileOtherHostsUseThePools() throws Exception {
        TestCertificates certs = TestCertificates.localhost(KeyType.EC);
        List<String> handshakes = new CopyOnWriteArrayList<>();
        PoolListener listener = new PoolListener() {
            @Override
            public void handshake(Origin origin, String profile, boolean succeeded, long nanos) {
                handshakes.add(origin.host() + " " + profile);
            }
        };
        StubServer server = StubServer.https(certs.serverContext());
        this.closeables.add(server);
        HotPool pool = pool(HotPoolConfig.builder().tls(certs.clientSettings()).listener(listener)
                .host("127.0.0.1", HostSettings.builder().tlsProfile("modern").build()));
        URI byName = server.uri("/");
        URI byAddress = URI.create("https://127.0.0.1:" + server.port() + "/");
        for (URI uri : List.of(byName, byAddress, byName, byAddress)) {
            send(pool, HotRequest.builder("GET", uri).header("Connection", "close").build());
        }
        assertThat(handshakes).containsExactly("localhost default", "127.0.0.1 modern", "localhost default",
                "127.0.0.1 modern");
        get(pool, byAddress);
        assertThat(pool.connections(Origin.of(byAddress))).singleElement()
                .satisfies((c) -> assertThat(c.profile()).isEqualTo("modern"));
    }

    @Test
    void aHostsProbePathIsWhatItsServerReceivesOnWarmUpAndHealthChecksAndAHostWithoutOneGetsNoProbe()
            throws Exception {
        StubServer a = server(HEAD_OR_ECHO);
        StubServer b = server(HEAD_OR_ECHO);
        StubServer c = server(HEAD_OR_ECHO);
        HotPool pool = pool(HotPoolConfig.builder().warmupMinIdlePerHost(1)
                .warmupHosts(List.of(Origin.parse("http://a.test:" + a.port())))
                .host("a.test", HostSettings.builder().probePath("/ping").build())
                .host("c.test", HostSettings.builder().probePath("/c-health").build()));
        assertThat(pool.awaitWarmup(Duration.ofSeconds(10))).isTrue();
        assertThat(a.requestLog()).containsExactly("HEAD /ping");
        get(pool, uri("b.test", b, "/b"));
        get(pool, uri("c.test", c, "/c"));
        HealthCheckReport report = pool.runHealthCheck();
        assertThat(report.checked()).isEqualTo(3);
        assertThat(report.closedTotal()).as("every probe passed").isZero();
        assertThat(a.requestLog()).containsExactly("HEAD /ping", "HEAD /ping");
        assertThat(b.requestLog()).as("no probe path for b.test: a liveness read only").containsExactly("GET /b");
        assertThat(c.requestLog()).containsExactly("GET /c", "HEAD /c-health");
    }

    @Test
    void aHostsReadTimeoutIsTheDefaultOfItsRequestsAndARequestsOwnWins() throws Exception {
        CountDownLatch gaveUp = new CountDownLatch(1);
        StubServer.Handler slow = (req, ex) -> {
            try {
                if (req.target().equals("/unanswered")) {
                    gaveUp.await(10, TimeUnit.SECONDS); // Answers only after the caller gave up: no race to lose.
                }
                else {
                    Thread.sleep(400); // A slow server: past a.test's 100 ms, well within 5 s and 30 s.
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.respond(200, "slow");
        };
        StubServer a = server(slow);
        StubServer b = server(slow);
        HotPool pool = pool(HotPoolConfig.builder().readTimeout(Duration.ofSeconds(30)).retryEnabled(false)
                .host("a.test", HostSettings.builder().readTimeout(Duration.ofMillis(100)).build()));
        assertThatThrownBy(() -> get(pool, uri("a.test", a, "/unanswered"))).isInstanceOf(HotPoolException.class)
                .hasMessageContaining("within 100 ms (read timeout)");
        gaveUp.countDown();
        assertThat(send(pool, HotRequest.builder("GET", uri("a.test", a, "/")).readTimeout(Duration.ofSeconds(5))
                .build())).isEqualTo("slow");
        assertThat(get(pool, uri("b.test", b, "/"))).as("b.test keeps the pool's 30 s").isEqualTo("slow");
    }

    @Test
    void aHostsConnectTimeoutIsTheHandshakesBudgetAndARequestsOwnWins() throws Exception {
        // Accepts TCP and never answers the ClientHello: the handshake runs out of the connect timeout's budget.
        LoopbackServer silent = LoopbackServer.start("silent", LoopbackServer.SILENT);
        this.closeables.add(silent);
        HotPool pool = pool(HotPoolConfig.builder().connectTimeout(Duration.ofSeconds(10))
                .host("a.test", HostSettings.builder().connectTimeout(Duration.ofMillis(200)).build()));
        URI a = URI.create("https://a.test:" + silent.port() + "/");
        assertThatThrownBy(() -> get(pool, a)).isInstanceOf(TlsHandshakeException.class)
                .hasMessageMatching(".*timed out after (1\\d\\d|200) ms.*");
        assertThatThrownBy(() -> send(pool, HotRequest.builder("GET", a).connectTimeout(Duration.ofMillis(400))
                .build())).isInstanceOf(TlsHandshakeException.class)
                .hasMessageMatching(".*timed out after (3\\d\\d|400) ms.*");
    }
}
