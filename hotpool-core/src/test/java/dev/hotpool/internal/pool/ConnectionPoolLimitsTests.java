package dev.hotpool.internal.pool;

import dev.hotpool.AcquireTimeoutException;
import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Origin;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.OpenConnections;
import dev.hotpool.testsupport.StubServer;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Limits, LIFO reuse, waiter handoff and the acquire timeout, on real loopback sockets. */
class ConnectionPoolLimitsTests {

    /** Answers with the index of the connection the request came on. */
    private static final StubServer.Handler CONNECTION_ID =
            (req, ex) -> ex.respond(200, "conn-" + req.connection());

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(8);

    @AfterEach
    void tearDown() throws Exception {
        this.executor.shutdownNow();
        for (AutoCloseable c : this.closeables) {
            c.close();
        }
    }

    private StubServer server(StubServer.Handler handler) throws IOException {
        StubServer server = StubServer.http(handler);
        this.closeables.add(server);
        return server;
    }

    private HotPool pool(HotPoolConfig.Builder config) {
        HotPool pool = new HotPool(config.build());
        this.closeables.add(pool);
        return pool;
    }

    private static String get(HotPool pool, URI uri) throws IOException {
        try (HotResponse response = pool.execute(HotRequest.get(uri))) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void perHostLimitHoldsUnderContentionAndEveryResponseIsCorrect() throws Exception {
        StubServer server = server(StubServer.ECHO_PATH);
        HotPool pool = pool(HotPoolConfig.builder().maxConnsPerHost(3));
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(this.executor.submit((Callable<Void>) () -> {
                for (int i = 0; i < 50; i++) {
                    String path = "/t" + thread + "/r" + i;
                    assertThat(get(pool, server.uri(path))).isEqualTo(path);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(server.requestsServed()).isEqualTo(400);
        assertThat(server.connectionsAccepted()).isBetween(1, 3);
        assertThat(pool.stats().total()).isLessThanOrEqualTo(3);
        assertThat(pool.stats().leased()).isZero();
        assertThat(pool.stats().leases()).isEqualTo(400);
    }

    @Test
    void globalLimitHoldsAcrossHosts() throws Exception {
        StubServer a = server(StubServer.ECHO_PATH);
        StubServer b = server(StubServer.ECHO_PATH);
        // Counted from the pool's own open and close events: a server counts a connection the pool closed to make
        // room until its thread reads the end of stream, which may come after it counted the pool's next connection.
        OpenConnections open = new OpenConnections();
        HotPool pool = pool(HotPoolConfig.builder().maxConnections(3).maxConnsPerHost(3).listener(open));
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            StubServer target = t % 2 == 0 ? a : b;
            futures.add(this.executor.submit((Callable<Void>) () -> {
                for (int i = 0; i < 30; i++) {
                    assertThat(get(pool, target.uri("/x" + i))).isEqualTo("/x" + i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(a.requestsServed() + b.requestsServed()).isEqualTo(240);
        assertThat(open.opened()).as("the connections the servers accepted")
                .isEqualTo(a.connectionsAccepted() + b.connectionsAccepted());
        Origin hostA = Origin.of(a.uri("/"));
        Origin hostB = Origin.of(b.uri("/"));
        assertThat(open.maxOpen(hostA) + open.maxOpen(hostB)).isGreaterThanOrEqualTo(2);
        assertThat(open.maxOpen(hostA)).isLessThanOrEqualTo(3);
        assertThat(open.maxOpen(hostB)).isLessThanOrEqualTo(3);
        assertThat(open.maxOpen()).as("open at once to both hosts").isLessThanOrEqualTo(3);
        assertThat(pool.stats().total()).isLessThanOrEqualTo(3);
        // And what the pool counted closed was closed on the wire: the servers see the end of every such connection.
        Await.until(() -> a.openConnections() + b.openConnections() == pool.stats().total());
    }

    @Test
    void idleConnectionsAreReusedNewestFirst() throws Exception {
        StubServer server = server(CONNECTION_ID);
        HotPool pool = pool(HotPoolConfig.builder());
        HotResponse first = pool.execute(HotRequest.get(server.uri("/")));
        HotResponse second = pool.execute(HotRequest.get(server.uri("/")));
        HotResponse third = pool.execute(HotRequest.get(server.uri("/")));
        String firstConn = new String(first.body().readAllBytes());
        String secondConn = new String(second.body().readAllBytes());
        String thirdConn = new String(third.body().readAllBytes()); // Released last: the newest idle.
        assertThat(List.of(firstConn, secondConn, thirdConn)).doesNotHaveDuplicates();
        assertThat(get(pool, server.uri("/"))).isEqualTo(thirdConn);
        assertThat(get(pool, server.uri("/"))).isEqualTo(thirdConn);
        assertThat(server.connectionsAccepted()).isEqualTo(3);
        assertThat(pool.stats().reusedLeases()).isEqualTo(2);
    }

    @Test
    void releasedConnectionIsHandedToTheOldestWaiter() throws Exception {
        StubServer server = server(CONNECTION_ID);
        HotPool pool = pool(HotPoolConfig.builder().maxConnsPerHost(1));
        HotResponse held = pool.execute(HotRequest.get(server.uri("/held")));

        CompletableFuture<HotResponse> firstWaiter = CompletableFuture.supplyAsync(
                () -> execute(pool, server.uri("/w1")), this.executor);
        Await.until(() -> pool.stats().pending() == 1);
        CompletableFuture<HotResponse> secondWaiter = CompletableFuture.supplyAsync(
                () -> execute(pool, server.uri("/w2")), this.executor);
        Await.until(() -> pool.stats().pending() == 2);

        held.body().readAllBytes(); // End of body: the connection goes straight to the first waiter.
        HotResponse firstResponse = firstWaiter.get(10, TimeUnit.SECONDS);
        assertThat(firstResponse.reused()).isTrue();
        assertThat(secondWaiter).isNotDone();
        assertThat(pool.stats().pending()).isEqualTo(1);

        firstResponse.close();
        HotResponse secondResponse = secondWaiter.get(10, TimeUnit.SECONDS);
        assertThat(new String(secondResponse.body().readAllBytes())).isEqualTo("conn-1");
        assertThat(server.connectionsAccepted()).isEqualTo(1);
        assertThat(server.requestLog()).containsExactly("GET /held", "GET /w1", "GET /w2");
    }

    @Test
    void acquireTimeoutNamesTheOriginTheWaitAndTheCounts() throws Exception {
        StubServer server = server(StubServer.ECHO_PATH);
        HotPool pool = pool(HotPoolConfig.builder().maxConnsPerHost(1).maxConnections(5)
                .acquireTimeout(Duration.ofMillis(200)));
        try (HotResponse held = pool.execute(HotRequest.get(server.uri("/held")))) {
            assertThatThrownBy(() -> pool.execute(HotRequest.get(server.uri("/second"))))
                    .isInstanceOf(AcquireTimeoutException.class)
                    .hasMessageStartingWith("hotpool: no connection to http://localhost:" + server.port() + " within ")
                    .hasMessageContaining("per-host 1/1: 1 leased, 0 idle, 0 connecting, 0 waiting")
                    .hasMessageContaining("pool 1/5");
        }
        assertThat(pool.stats().acquireTimeouts()).isEqualTo(1);
        assertThat(pool.stats().pending()).isZero();
        assertThat(get(pool, server.uri("/after"))).isEqualTo("/after");
    }

    @Test
    void leaseFailsAtOnceWhenTheWaitingLineIsFull() throws Exception {
        StubServer server = server(StubServer.ECHO_PATH);
        HotPool pool = pool(HotPoolConfig.builder().maxConnsPerHost(1).maxPendingAcquires(1)
                .acquireTimeout(Duration.ofSeconds(30)));
        HotResponse held = pool.execute(HotRequest.get(server.uri("/held")));
        CompletableFuture<HotResponse> waiter = CompletableFuture.supplyAsync(
                () -> execute(pool, server.uri("/waiter")), this.executor);
        Await.until(() -> pool.stats().pending() == 1);

        assertThatThrownBy(() -> pool.execute(HotRequest.get(server.uri("/third"))))
                .isInstanceOf(AcquireTimeoutException.class)
                .hasMessageStartingWith("hotpool: too many leases waiting for http://localhost:" + server.port())
                .hasMessageContaining("1 waiting, hotpool.max-pending-acquires=1");

        held.close();
        try (HotResponse r = waiter.get(10, TimeUnit.SECONDS)) {
            assertThat(new String(r.body().readAllBytes())).isEqualTo("/waiter");
        }
    }

    @Test
    void atTheGlobalLimitAnotherHostsIdleConnectionIsClosedToMakeRoom() throws Exception {
        StubServer a = server(StubServer.ECHO_PATH);
        StubServer b = server(StubServer.ECHO_PATH);
        HotPool pool = pool(HotPoolConfig.builder().maxConnections(1).maxConnsPerHost(1)
                .acquireTimeout(Duration.ofSeconds(5)));
        assertThat(get(pool, a.uri("/a"))).isEqualTo("/a");
        assertThat(pool.stats().idle()).isEqualTo(1);

        assertThat(get(pool, b.uri("/b"))).isEqualTo("/b");

        assertThat(pool.stats().closed().get(CloseReason.EVICTED)).isEqualTo(1);
        assertThat(pool.stats().total()).isEqualTo(1);
        Await.until(() -> a.openConnections() == 0);
    }

    @Test
    void waiterAtTheGlobalLimitGetsTheRoomOfAConnectionReleasedByAnotherHost() throws Exception {
        StubServer a = server(StubServer.ECHO_PATH);
        StubServer b = server(StubServer.ECHO_PATH);
        HotPool pool = pool(HotPoolConfig.builder().maxConnections(1).maxConnsPerHost(1)
                .acquireTimeout(Duration.ofSeconds(10)));
        HotResponse held = pool.execute(HotRequest.get(a.uri("/a")));
        CompletableFuture<HotResponse> waiter = CompletableFuture.supplyAsync(
                () -> execute(pool, b.uri("/b")), this.executor);
        Await.until(() -> pool.stats().pending() == 1);

        held.close(); // Goes idle on host a, then makes room for b's waiter.

        try (HotResponse r = waiter.get(10, TimeUnit.SECONDS)) {
            assertThat(new String(r.body().readAllBytes())).isEqualTo("/b");
        }
        assertThat(pool.stats().closed().get(CloseReason.EVICTED)).isEqualTo(1);
    }

    @Test
    void idleConnectionsBeyondMaxIdleConnsAreClosedOldestFirst() throws Exception {
        StubServer server = server(CONNECTION_ID);
        HotPool pool = pool(HotPoolConfig.builder().maxIdleConns(1));
        HotResponse r1 = pool.execute(HotRequest.get(server.uri("/")));
        HotResponse r2 = pool.execute(HotRequest.get(server.uri("/")));
        r1.body().readAllBytes();
        String newest = new String(r2.body().readAllBytes());

        assertThat(pool.stats().idle()).isEqualTo(1);
        assertThat(pool.stats().closed().get(CloseReason.EVICTED)).isEqualTo(1);
        assertThat(get(pool, server.uri("/"))).isEqualTo(newest);
    }

    @Test
    void closedPoolRefusesLeasesAndClosesItsSockets() throws Exception {
        StubServer server = server(StubServer.ECHO_PATH);
        HotPool pool = pool(HotPoolConfig.builder().name("orders"));
        assertThat(get(pool, server.uri("/x"))).isEqualTo("/x");
        Await.until(() -> server.openConnections() == 1);

        pool.close();
        pool.close(); // Idempotent.

        assertThat(pool.isClosed()).isTrue();
        assertThat(pool.toString()).contains("closed");
        assertThatThrownBy(() -> pool.execute(HotRequest.get(server.uri("/y"))))
                .isInstanceOf(HotPoolException.class)
                .hasMessage("hotpool: pool 'orders' is closed; no connection to http://localhost:" + server.port()
                        + " can be leased");
        Await.until(() -> server.openConnections() == 0);
        assertThat(pool.stats().closed().get(CloseReason.SHUTDOWN)).isEqualTo(1);
    }

    @Test
    void closingThePoolWakesWaitersWithAnError() throws Exception {
        StubServer server = server(StubServer.ECHO_PATH);
        HotPool pool = pool(HotPoolConfig.builder().maxConnsPerHost(1).acquireTimeout(Duration.ofSeconds(30))
                .shutdownTimeout(Duration.ZERO));
        HotResponse held = pool.execute(HotRequest.get(server.uri("/held")));
        CompletableFuture<HotResponse> waiter = CompletableFuture.supplyAsync(
                () -> execute(pool, server.uri("/w")), this.executor);
        Await.until(() -> pool.stats().pending() == 1);

        pool.close();

        assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS)).hasRootCauseMessage(
                "hotpool: pool 'hotpool' is closed; no connection to http://localhost:" + server.port()
                        + " can be leased");
        held.close();
        assertThat(pool.stats().total()).isZero();
    }

    private static HotResponse execute(HotPool pool, URI uri) {
        try {
            return pool.execute(HotRequest.get(uri));
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
