package dev.hotpool.internal.http2;

import dev.hotpool.CloseReason;
import dev.hotpool.Header;
import dev.hotpool.HostSettings;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.ProxySettings;
import dev.hotpool.UnansweredRequestException;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.H2TestServer;
import dev.hotpool.testsupport.H2TestServer.Peer;

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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTP/2 servers that misbehave, written frame by frame ({@link H2TestServer}, cleartext by prior knowledge): each
 * failure is a specific exception naming the origin, what broke a stream fails that request only, what broke the
 * connection closes it, requests the server did not process go again, and the pool keeps serving.
 */
class Http2HostileServerTests {

    private static final List<Header> OK = List.of(new Header(":status", "200"));

    private static HotPool pool(UnaryOperator<HotPoolConfig.Builder> settings) {
        return new HotPool(settings.apply(HotPoolConfig.builder()
                .staticAddresses(Map.of("localhost", List.of("127.0.0.1")))
                .host("localhost", HostSettings.builder().protocols(List.of("h2c")).build())
                .maxConnsPerHost(4)
                .readTimeout(Duration.ofSeconds(5))
                .proxy(ProxySettings.NONE)).build());
    }

    private static String body(HotResponse response) throws IOException {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static HotRequest post(URI uri, String body) {
        return HotRequest.builder("POST", uri).body(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    /** Reads requests until {@code n} streams have ended, acknowledging SETTINGS meanwhile; their ids in order. */
    private static List<Integer> readRequests(Peer peer, int n) throws IOException {
        List<Integer> ended = new ArrayList<>();
        while (ended.size() < n) {
            Frame f = peer.readFrame();
            if (f.type() == FrameType.HEADERS) {
                peer.readBlock(f);
            }
            else if (f.type() == FrameType.SETTINGS && !f.isAck()) {
                peer.settingsAck();
                continue;
            }
            if ((f.type() == FrameType.HEADERS || f.type() == FrameType.DATA) && f.isEndStream()) {
                ended.add(f.streamId());
            }
        }
        return ended;
    }

    private static void answer(Peer peer, int stream, String body) throws IOException {
        peer.headers(stream, OK, false);
        peer.data(stream, body.getBytes(StandardCharsets.US_ASCII), true);
    }

    @Test
    void streamsAboveAGoAwaysLastStreamAreSentAgainOnANewConnectionEvenAPost() throws Exception {
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            if (peer.connection() > 1) {
                peer.handshake(H2TestServer.DEFAULT_SETTINGS);
                peer.serve((request) -> H2TestServer.Response.of(200, "second " + new String(request.body(),
                        StandardCharsets.UTF_8)));
                return;
            }
            peer.handshake(H2TestServer.DEFAULT_SETTINGS);
            List<Integer> streams = readRequests(peer, 2);
            int first = Math.min(streams.get(0), streams.get(1));
            peer.goAway(first, ErrorCode.NO_ERROR, "draining");
            answer(peer, first, "first");
            peer.readFrame(); // Until the client goes.
        });
                HotPool pool = pool((b) -> b)) {
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (String name : List.of("a", "b")) {
                    answers.add(threads.submit(() -> {
                        try (HotResponse r = pool.execute(post(server.uri("/"), name))) {
                            return body(r);
                        }
                    }));
                }
                List<String> bodies = new ArrayList<>();
                for (Future<String> f : answers) {
                    bodies.add(f.get(20, TimeUnit.SECONDS));
                }
                assertThat(bodies).containsExactlyInAnyOrder("first", bodies.contains("second a") ? "second a"
                        : "second b");
            }
            finally {
                threads.shutdownNow();
            }
            assertThat(server.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void aRefusedStreamIsSentAgainWhateverItsMethodAndTheConnectionGoesOn() throws Exception {
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            peer.handshake(H2TestServer.DEFAULT_SETTINGS);
            int refused = readRequests(peer, 1).get(0);
            peer.rstStream(refused, ErrorCode.REFUSED_STREAM);
            peer.serve((request) -> H2TestServer.Response.of(200, "took " + new String(request.body(),
                    StandardCharsets.UTF_8)));
        });
                HotPool pool = pool((b) -> b)) {
            try (HotResponse r = pool.execute(post(server.uri("/"), "order-1"))) {
                assertThat(body(r)).isEqualTo("took order-1");
            }
            assertThat(server.connectionsAccepted()).isEqualTo(1);
            assertThat(server.requestLog()).hasSize(1);
        }
    }

    @Test
    void aRefusedStreamIsNotSentAgainWhenRetriesAreOffAndTheMessageSaysWhy() throws Exception {
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            peer.handshake(H2TestServer.DEFAULT_SETTINGS);
            int refused = readRequests(peer, 1).get(0);
            peer.rstStream(refused, ErrorCode.REFUSED_STREAM);
            peer.serve((request) -> H2TestServer.Response.of(200, "late"));
        });
                HotPool pool = pool((b) -> b.retryEnabled(false))) {
            assertThatThrownBy(() -> pool.execute(post(server.uri("/"), "x")))
                    .isInstanceOf(UnansweredRequestException.class)
                    .hasMessageContaining("refused HTTP/2 stream")
                    .hasMessageContaining("hotpool.retry.enabled=false");
            try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                assertThat(body(r)).isEqualTo("late");
            }
        }
    }

    @Test
    void aWindowThatNeverOpensTimesOutNamingFlowControlAndTheConnectionServesOn() throws Exception {
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            peer.handshake(List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, 0)));
            peer.serve((request) -> H2TestServer.Response.of(200, "got " + request.body().length));
        });
                HotPool pool = pool((b) -> b.readTimeout(Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> pool.execute(post(server.uri("/"), "a body that cannot go")))
                    .isInstanceOf(HotPoolException.class)
                    .hasMessageContaining("flow control")
                    .hasMessageContaining("http://localhost:" + server.port());
            try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                assertThat(body(r)).isEqualTo("got 0");
            }
            assertThat(server.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void aServerThatAllowsNoStreamFailsTheLeaseNamingTheSetting() throws Exception {
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            peer.handshake(List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 0)));
            peer.readFrame();
        });
                HotPool pool = pool((b) -> b)) {
            assertThatThrownBy(() -> pool.execute(HotRequest.get(server.uri("/"))))
                    .isInstanceOf(HotPoolException.class)
                    .hasMessageContaining("http://localhost:" + server.port())
                    .hasMessageContaining("SETTINGS_MAX_CONCURRENT_STREAMS");
            assertThat(pool.stats().total()).isZero();
        }
    }

    @Test
    void aHeaderListAboveTheLimitFailsItsStreamOnlyAndNamesTheLimit() throws Exception {
        String big = "x".repeat(70_000);
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            peer.handshake(H2TestServer.DEFAULT_SETTINGS);
            int first = readRequests(peer, 1).get(0);
            peer.headers(first, List.of(new Header(":status", "200"), new Header("x-big", big)), true);
            peer.serve((request) -> H2TestServer.Response.of(200, "small"));
        });
                HotPool pool = pool((b) -> b)) {
            assertThatThrownBy(() -> pool.execute(HotRequest.get(server.uri("/"))))
                    .isInstanceOf(HotPoolException.class)
                    .hasMessageContaining("http://localhost:" + server.port())
                    .hasMessageContaining("header list")
                    .hasMessageNotContaining("xxxx");
            try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                assertThat(body(r)).isEqualTo("small");
            }
            assertThat(server.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void aMalformedResponseFailsItsRequestWithTheDefectAndTheConnectionServesOn() throws Exception {
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            peer.handshake(H2TestServer.DEFAULT_SETTINGS);
            int first = readRequests(peer, 1).get(0);
            peer.headers(first, List.of(new Header(":status", "200"), new Header("keep-alive", "secret-value")), true);
            peer.serve((request) -> H2TestServer.Response.of(200, "fine"));
        });
                HotPool pool = pool((b) -> b)) {
            assertThatThrownBy(() -> pool.execute(HotRequest.get(server.uri("/"))))
                    .isInstanceOf(MalformedResponseException.class)
                    .hasMessageContaining("malformed response from http://localhost:" + server.port())
                    .hasMessageNotContaining("secret-value");
            try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                assertThat(body(r)).isEqualTo("fine");
            }
            assertThat(server.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void dataShortOfTheContentLengthFailsTheBodyRead() throws Exception {
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            peer.handshake(H2TestServer.DEFAULT_SETTINGS);
            int first = readRequests(peer, 1).get(0);
            peer.headers(first, List.of(new Header(":status", "200"), new Header("content-length", "10")), false);
            peer.data(first, "short".getBytes(StandardCharsets.US_ASCII), true);
            peer.serve((request) -> H2TestServer.Response.of(200, "fine"));
        });
                HotPool pool = pool((b) -> b)) {
            try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(MalformedResponseException.class)
                        .hasMessageContaining("content-length is 10");
            }
            try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                assertThat(body(r)).isEqualTo("fine");
            }
        }
    }

    @Test
    void aServerThatClosesWithoutGoAwayFailsTheOpenStreamByNameAndTheNextRequestOpensAnotherConnection()
            throws Exception {
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            peer.handshake(H2TestServer.DEFAULT_SETTINGS);
            if (peer.connection() == 1) {
                readRequests(peer, 1);
                peer.close();
                return;
            }
            peer.serve((request) -> H2TestServer.Response.of(200, "again"));
        });
                HotPool pool = pool((b) -> b)) {
            assertThatThrownBy(() -> pool.execute(post(server.uri("/"), "x")))
                    .isInstanceOf(HotPoolException.class)
                    .hasMessageContaining("http://localhost:" + server.port())
                    .hasMessageContaining("without a GOAWAY");
            try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                assertThat(body(r)).isEqualTo("again");
            }
            assertThat(server.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void aGoAwayOnAnIdleConnectionClosesItInThePoolAndTheNextRequestOpensAnother() throws Exception {
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            peer.handshake(H2TestServer.DEFAULT_SETTINGS);
            if (peer.connection() == 1) {
                int id = readRequests(peer, 1).get(0);
                answer(peer, id, "one");
                peer.goAway(id, ErrorCode.NO_ERROR, "idle");
                peer.readFrame();
                return;
            }
            peer.serve((request) -> H2TestServer.Response.of(200, "two"));
        });
                HotPool pool = pool((b) -> b)) {
            try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                assertThat(body(r)).isEqualTo("one");
            }
            Await.until(() -> pool.stats().total() == 0); // The server's GOAWAY reaches the pool on the reader thread.
            assertThat(pool.stats().total()).isZero();
            assertThat(pool.stats().closed().get(CloseReason.SERVER_CLOSED)).isEqualTo(1);
            try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                assertThat(body(r)).isEqualTo("two");
            }
        }
    }

    @Test
    void aPingThatIsNeverAnsweredClosesTheIdleConnectionAtTheHealthCheck() throws Exception {
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            peer.handshake(H2TestServer.DEFAULT_SETTINGS);
            int id = readRequests(peer, 1).get(0);
            answer(peer, id, "one");
            while (true) {
                Frame f = peer.readFrame(); // Reads the PING, never answers it.
                if (f.type() == FrameType.GOAWAY) {
                    return;
                }
            }
        });
                HotPool pool = pool((b) -> b.healthCheckTimeout(Duration.ofMillis(200)))) {
            try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                assertThat(body(r)).isEqualTo("one");
            }
            assertThat(pool.stats().idle()).isEqualTo(1);
            pool.runHealthCheck();
            assertThat(pool.stats().total()).isZero();
            assertThat(pool.stats().closed().get(CloseReason.STALE)).isEqualTo(1);
        }
    }

    @Test
    void theProbeRequestGoesOnAStreamAfterAPingAndABadAnswerClosesTheConnection() throws Exception {
        java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();
        try (H2TestServer server = H2TestServer.h2c(H2TestServer.respond((request) -> {
            if ("hotpool-health-check".equals(request.field("user-agent"))) {
                return H2TestServer.Response.of(probes.incrementAndGet() == 1 ? 204 : 503, "");
            }
            return H2TestServer.Response.of(200, "work");
        }));
                HotPool pool = pool((b) -> b.healthCheckProbePath("/health"))) {
            try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                assertThat(body(r)).isEqualTo("work");
            }
            pool.runHealthCheck();
            assertThat(probes.get()).isEqualTo(1);
            assertThat(pool.stats().idle()).isEqualTo(1);
            pool.runHealthCheck();
            assertThat(probes.get()).isEqualTo(2);
            assertThat(pool.stats().total()).isZero();
            assertThat(pool.stats().closed().get(CloseReason.UNHEALTHY)).isEqualTo(1);
            assertThat(server.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void warmingAHostWhoseConnectionsMultiplexOpensOneConnectionWhateverTheMinimum() throws Exception {
        try (H2TestServer server = H2TestServer.h2c(H2TestServer.respond(200, "warm"))) {
            try (HotPool pool = pool((b) -> b.warmupHosts(List.of(dev.hotpool.Origin.of("http", "localhost",
                    server.port()))).warmupMinIdlePerHost(3))) {
                assertThat(pool.awaitWarmup(Duration.ofSeconds(10))).isTrue();
                assertThat(pool.stats().total()).isEqualTo(1);
                pool.runHealthCheck(); // Tops up again: still one.
                assertThat(pool.stats().total()).isEqualTo(1);
                try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                    assertThat(r.reused()).isTrue();
                    assertThat(body(r)).isEqualTo("warm");
                }
                assertThat(server.connectionsAccepted()).isEqualTo(1);
            }
        }
    }

    @Test
    void aPushPromiseIsAConnectionErrorThatFailsItsRequestByNameAndTheNextRequestOpensAnotherConnection()
            throws Exception {
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            peer.handshake(H2TestServer.DEFAULT_SETTINGS);
            if (peer.connection() == 1) {
                int id = readRequests(peer, 1).get(0);
                byte[] promise = {0, 0, 0, 2}; // Promised stream 2, no field block.
                peer.frame(FrameType.PUSH_PROMISE, Frame.FLAG_END_HEADERS, id, promise);
                while (peer.readFrame().type() != FrameType.GOAWAY) {
                    // Until hotpool's GOAWAY.
                }
                return;
            }
            peer.serve((request) -> H2TestServer.Response.of(200, "no push"));
        });
                HotPool pool = pool((b) -> b)) {
            assertThatThrownBy(() -> pool.execute(HotRequest.get(server.uri("/"))))
                    .isInstanceOf(HotPoolException.class)
                    .hasMessageContaining("http://localhost:" + server.port())
                    .hasMessageContaining("PUSH_PROMISE");
            try (HotResponse r = pool.execute(HotRequest.get(server.uri("/")))) {
                assertThat(body(r)).isEqualTo("no push");
            }
            assertThat(server.connectionsAccepted()).isEqualTo(2);
        }
    }
}
