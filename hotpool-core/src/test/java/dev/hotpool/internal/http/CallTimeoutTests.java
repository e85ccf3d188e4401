package dev.hotpool.internal.http;

import dev.hotpool.CallTimeoutException;
import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.PoolStats;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.BlackHole;
import dev.hotpool.testsupport.LoopbackServer;
import dev.hotpool.testsupport.StubServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code hotpool.call-timeout}: one bound on acquire, connect, TLS, request and response head, where per-read
 * timeouts never fire (a server that trickles a byte a second); the phase that ran out is named, the connection
 * discarded, and the pool keeps serving.
 */
class CallTimeoutTests {

    /** The head of a 200 answer, one byte a second; "/fast" answers at once. */
    private static final StubServer.Handler TRICKLE = (req, ex) -> {
        if (req.target().equals("/fast")) {
            ex.respond(200, "fast");
            return;
        }
        String answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        try {
            for (char c : answer.toCharArray()) {
                ex.raw(String.valueOf(c));
                Thread.sleep(1000);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = this.closing.size() - 1; i >= 0; i--) {
            this.closing.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        this.closing.add(c);
        return c;
    }

    private HotPool pool(HotPoolConfig.Builder config) {
        return closing(new HotPool(config.build()));
    }

    private static String get(HotPool pool, URI uri) throws IOException {
        try (HotResponse response = pool.execute(HotRequest.get(uri))) {
            return new String(response.body().readAllBytes());
        }
    }

    @Test
    void aServerTricklingTheHeadOneByteASecondIsCutOffAtTheCallTimeoutNotAfterTheWholeHead() throws Exception {
        StubServer server = closing(StubServer.http(TRICKLE));
        HotPool pool = pool(HotPoolConfig.builder().readTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofMillis(1500)));

        long start = System.nanoTime();
        assertThatThrownBy(() -> get(pool, server.uri("/slow?token=secret")))
                .isInstanceOfSatisfying(CallTimeoutException.class, e -> {
                    assertThat(e.phase()).isEqualTo(CallTimeoutException.Phase.RESPONSE_HEAD);
                    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(1500));
                })
                .hasMessage("hotpool: GET http://localhost:" + server.port() + "/slow?… to http://localhost:"
                        + server.port() + " ran out of its call timeout (1500 ms, hotpool.call-timeout) waiting for "
                        + "the response head");
        // The head takes 40 s at this pace and no read waits 5 s: only the call timeout can have ended it.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));

        PoolStats stats = pool.stats();
        assertThat(stats.total()).as("the connection was discarded").isZero();
        assertThat(stats.closed().get(CloseReason.ERROR)).isEqualTo(1);
        assertThat(get(pool, server.uri("/fast"))).as("the pool keeps serving").isEqualTo("fast");
    }

    @Test
    void theRequestsOwnCallTimeoutWinsOverThePoolsAndItsMessageSaysSo() throws Exception {
        StubServer server = closing(StubServer.http(TRICKLE));
        HotPool pool = pool(HotPoolConfig.builder().readTimeout(Duration.ofSeconds(5)));

        HotRequest request = HotRequest.builder("GET", server.uri("/slow")).callTimeout(Duration.ofMillis(800))
                .build();
        assertThatThrownBy(() -> pool.execute(request)).isInstanceOf(CallTimeoutException.class)
                .hasMessageContaining("(800 ms, the request's own)");
    }

    @Test
    void waitingForAConnectionCountsAgainstTheCallTimeout() throws Exception {
        StubServer server = closing(StubServer.http((req, ex) -> ex.respond(200, "ok")));
        HotPool pool = pool(HotPoolConfig.builder().maxConnsPerHost(1).maxConnections(1)
                .acquireTimeout(Duration.ofSeconds(30)).callTimeout(Duration.ofMillis(500)));
        HotResponse held = closing(pool.execute(HotRequest.get(server.uri("/held")))); // Never read: stays leased.

        assertThatThrownBy(() -> get(pool, server.uri("/next")))
                .isInstanceOfSatisfying(CallTimeoutException.class,
                        e -> assertThat(e.phase()).isEqualTo(CallTimeoutException.Phase.ACQUIRE))
                .hasMessageEndingWith("ran out of its call timeout (500 ms, hotpool.call-timeout) waiting for a "
                        + "connection");
        held.close();
        assertThat(get(pool, server.uri("/after"))).isEqualTo("ok");
    }

    @Test
    void aConnectThatHangsIsCutOffAtTheCallTimeout() throws Exception {
        BlackHole hole = closing(BlackHole.on(InetAddress.getByName("127.0.0.2")));
        HotPool pool = pool(HotPoolConfig.builder().connectTimeout(Duration.ofSeconds(30))
                .callTimeout(Duration.ofMillis(500))
                .staticAddresses(Map.of("hole.test", List.of("127.0.0.2"))));

        assertThatThrownBy(() -> get(pool, URI.create("http://hole.test:" + hole.port() + "/")))
                .isInstanceOfSatisfying(CallTimeoutException.class,
                        e -> assertThat(e.phase()).isEqualTo(CallTimeoutException.Phase.CONNECT))
                .hasMessageEndingWith("connecting");
        assertThat(pool.stats().total()).isZero();
    }

    @Test
    void aTlsHandshakeThatNeverAnswersIsCutOffAtTheCallTimeout() throws Exception {
        // Takes the ClientHello and never answers it.
        LoopbackServer silent = closing(LoopbackServer.start("silent", LoopbackServer.SILENT));
        HotPool pool = pool(HotPoolConfig.builder().connectTimeout(Duration.ofSeconds(30))
                .callTimeout(Duration.ofMillis(700)));

        assertThatThrownBy(() -> get(pool, URI.create("https://localhost:" + silent.port() + "/")))
                .isInstanceOfSatisfying(CallTimeoutException.class,
                        e -> assertThat(e.phase()).isEqualTo(CallTimeoutException.Phase.TLS_HANDSHAKE))
                .hasMessageEndingWith("in the TLS handshake");
        Await.until(() -> pool.stats().total() == 0);
    }

    @Test
    void aCallWellWithinItsTimeoutIsUntouchedAndItsConnectionReused() throws Exception {
        StubServer server = closing(StubServer.http((req, ex) -> ex.respond(200, "ok")));
        HotPool pool = pool(HotPoolConfig.builder().callTimeout(Duration.ofSeconds(10)));

        for (int i = 0; i < 5; i++) {
            assertThat(get(pool, server.uri("/" + i))).isEqualTo("ok");
        }
        assertThat(server.connectionsAccepted()).isEqualTo(1);
        assertThat(pool.stats().closed().get(CloseReason.ERROR)).isZero();
    }
}
