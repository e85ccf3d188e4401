package dev.hotpool.internal.http;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.RedirectPolicy;
import dev.hotpool.RequestBody;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP/1.1 exchange: what goes on the wire, framing, keep-alive decisions, redirects. */
class Http1ExchangeTests {

    private StubServer server;
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server);

    private void start(StubServer.Handler handler) throws IOException {
        start(handler, HotPoolConfig.builder());
    }

    private void start(StubServer.Handler handler, HotPoolConfig.Builder config) throws IOException {
        this.server = StubServer.http(handler);
        this.pool = new HotPool(config.build());
    }

    private HotResponse send(HotRequest request) throws IOException {
        return this.pool.execute(request);
    }

    private static String text(HotResponse response) throws IOException {
        try (response) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String get(String path) throws IOException {
        return text(send(HotRequest.get(this.server.uri(path))));
    }

    @Test
    void headersGoInTheCallersOrderWithHostAndKeepAliveAdded() throws Exception {
        start((req, ex) -> ex.respond(200, String.join("|", req.headers().stream().map(h -> h[0] + "=" + h[1])
                .toList())));
        String seen = text(send(HotRequest.builder("GET", this.server.uri("/h"))
                .header("X-Zeta", "1").header("Accept", "text/plain").header("X-Alpha", "2").build()));
        assertThat(seen).isEqualTo("Host=localhost:" + this.server.port()
                + "|X-Zeta=1|Accept=text/plain|X-Alpha=2|Connection=keep-alive");
    }

    @Test
    void callersConnectionHeaderIsKeptAsGiven() throws Exception {
        start((req, ex) -> ex.respond(200, "conn-" + req.connection() + " " + req.header("Connection")));
        assertThat(text(send(HotRequest.builder("GET", this.server.uri("/")).header("Connection", "close").build())))
                .isEqualTo("conn-1 close");
        assertThat(get("/")).isEqualTo("conn-2 keep-alive"); // The first connection was not reused.
        assertThat(this.pool.stats().closed().get(CloseReason.SERVER_CLOSED)).isEqualTo(1);
    }

    @Test
    void bodyOfKnownLengthGoesWithContentLengthAndOthersChunked() throws Exception {
        start((req, ex) -> ex.respond(200, req.method() + " cl=" + req.header("Content-Length") + " te="
                + req.header("Transfer-Encoding") + " body=" + req.bodyText()));
        assertThat(text(send(HotRequest.builder("POST", this.server.uri("/")).body("hello".getBytes()).build())))
                .isEqualTo("POST cl=5 te=null body=hello");
        RequestBody streaming = new RequestBody() {
            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write("stream".getBytes());
                out.write("ed".getBytes());
            }

            @Override
            public boolean repeatable() {
                return false;
            }
        };
        assertThat(text(send(HotRequest.builder("PUT", this.server.uri("/")).body(streaming).build())))
                .isEqualTo("PUT cl=null te=chunked body=streamed");
        assertThat(text(send(HotRequest.builder("POST", this.server.uri("/")).build())))
                .isEqualTo("POST cl=0 te=null body=");
        assertThat(this.server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void bodyPeekedWithMarkAndResetIsReadWholeByReadNBytesAndTheConnectionReused() throws Exception {
        start((req, ex) -> ex.respond(200, "x".repeat(20_000) + "end"));
        for (int i = 0; i < 2; i++) {
            try (HotResponse response = send(HotRequest.get(this.server.uri("/big")))) {
                java.io.InputStream body = response.body();
                assertThat(body.markSupported()).isTrue();
                body.mark(1); // What RestClient does to tell an empty body.
                assertThat(body.read()).isEqualTo('x');
                body.reset();
                byte[] all = body.readNBytes(20_003);
                assertThat(all).hasSize(20_003);
                assertThat(new String(all, 19_990, 13, StandardCharsets.US_ASCII)).isEqualTo("xxxxxxxxxxend");
                assertThat(body.read()).isEqualTo(-1);
            }
        }
        try (HotResponse response = send(HotRequest.get(this.server.uri("/big")))) {
            java.io.InputStream body = response.body();
            body.mark(4);
            assertThat(body.readNBytes(3)).containsExactly('x', 'x', 'x');
            body.reset();
            assertThat(body.readNBytes(100_000)).hasSize(20_003); // No more than the body, whatever is asked.
            assertThatThrownBy(body::reset).hasMessageContaining("without a valid mark"); // Read limit passed.
        }
        assertThat(this.server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void headerValueWithCrOrLfIsRejectedBeforeAnythingIsSent() throws Exception {
        start(StubServer.ECHO_PATH);
        assertThatThrownBy(() -> HotRequest.builder("GET", this.server.uri("/"))
                .header("X-Injected", "a\r\nEvil: yes").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hotpool: header 'X-Injected' in a request to http://localhost:" + this.server.port()
                        + " contains CR (header injection); nothing was sent");
        assertThatThrownBy(() -> HotRequest.builder("GET", this.server.uri("/"))
                .header("X-Injected", "a\nb").build())
                .hasMessageContaining("contains LF");
        assertThatThrownBy(() -> HotRequest.builder("GET", this.server.uri("/"))
                .header("Bad Name", "x").build())
                .hasMessageContaining("invalid character 0x20 in the name of header 'Bad Name'");
        assertThat(this.server.connectionsAccepted()).isZero();
    }

    @Test
    void http10ServerConnectionIsClosedUnlessItSaysKeepAlive() throws Exception {
        start((req, ex) -> {
            String body = "conn-" + req.connection();
            String keepAlive = req.target().equals("/keep") ? "Connection: keep-alive\r\n" : "";
            ex.raw("HTTP/1.0 200 OK\r\n" + keepAlive + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            if (keepAlive.isEmpty()) {
                ex.closeAfter();
            }
        });
        assertThat(get("/close")).isEqualTo("conn-1");
        assertThat(get("/keep")).isEqualTo("conn-2");
        assertThat(get("/keep")).isEqualTo("conn-2");
        assertThat(this.pool.stats().closed().get(CloseReason.SERVER_CLOSED)).isEqualTo(1);
    }

    @Test
    void connectionCloseFromTheServerIsHonoured() throws Exception {
        start((req, ex) -> {
            ex.respond(200, "conn-" + req.connection(), "Connection: close");
            ex.closeAfter();
        });
        assertThat(get("/")).isEqualTo("conn-1");
        assertThat(get("/")).isEqualTo("conn-2");
        assertThat(this.pool.stats().idle()).isZero();
    }

    @Test
    void closeDelimitedBodyIsReadToTheEndAndTheConnectionClosed() throws Exception {
        start((req, ex) -> {
            ex.raw("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil-close-" + req.connection());
            ex.close();
        });
        assertThat(get("/")).isEqualTo("until-close-1");
        assertThat(get("/")).isEqualTo("until-close-2");
    }

    @Test
    void headAnd204And304HaveNoBodyAndKeepTheConnection() throws Exception {
        start((req, ex) -> {
            switch (req.target()) {
                case "/204" -> ex.raw("HTTP/1.1 204 No Content\r\n\r\n");
                case "/304" -> ex.raw("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n");
                default -> ex.raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"); // HEAD: length, no body.
            }
        });
        try (HotResponse head = send(HotRequest.builder("HEAD", this.server.uri("/")).build())) {
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("100");
            assertThat(head.body().read()).isEqualTo(-1);
        }
        HotResponse noContent = send(HotRequest.get(this.server.uri("/204")));
        assertThat(noContent.status()).isEqualTo(204);
        assertThat(text(noContent)).isEmpty();
        HotResponse notModified = send(HotRequest.get(this.server.uri("/304")));
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("ETag")).isEqualTo("\"x\"");
        assertThat(text(notModified)).isEmpty();
        assertThat(this.server.connectionsAccepted()).isEqualTo(1);
        assertThat(this.pool.stats().idle()).isEqualTo(1);
    }

    @Test
    void interimResponsesAreSkipped() throws Exception {
        start((req, ex) -> ex.raw("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal"));
        HotResponse response = send(HotRequest.get(this.server.uri("/")));
        assertThat(response.status()).isEqualTo(200);
        assertThat(text(response)).isEqualTo("final");
        assertThat(get("/")).isEqualTo("final");
        assertThat(this.server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void aCallersExpectContinueIsSentAsGivenWithTheWholeBodyAndTheConnectionStaysReusable() throws Exception {
        start((req, ex) -> ex.raw("HTTP/1.1 100 Continue\r\n\r\n").respond(201,
                req.header("Expect") + " " + req.bodyText()));
        HotResponse response = send(HotRequest.builder("POST", this.server.uri("/upload"))
                .header("Expect", "100-continue").body("data".getBytes()).build());
        assertThat(response.status()).isEqualTo(201);
        assertThat(text(response)).isEqualTo("100-continue data");
        assertThat(get("/again")).isNotNull();
        assertThat(this.server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void bodylessDeleteOptionsAndTraceCarryNoContentLength() throws Exception {
        start((req, ex) -> ex.respond(200, req.method() + " " + req.header("Content-Length")));
        for (String method : new String[] { "DELETE", "OPTIONS", "TRACE" }) {
            assertThat(text(send(HotRequest.builder(method, this.server.uri("/")).build())))
                    .isEqualTo(method + " null");
        }
    }

    @Test
    void chunkedBodyWithTrailersIsReadAndTheConnectionReused() throws Exception {
        start((req, ex) -> ex.raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n"));
        assertThat(get("/")).isEqualTo("hello, world");
        assertThat(get("/")).isEqualTo("hello, world");
        assertThat(this.server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void smallUnreadRemainderIsDrainedSoTheConnectionIsReused() throws Exception {
        String kilobyte = "x".repeat(1024);
        start((req, ex) -> ex.respond(200, kilobyte));
        for (int i = 0; i < 3; i++) {
            HotResponse response = send(HotRequest.get(this.server.uri("/")));
            assertThat(response.body().read()).isEqualTo('x');
            response.close(); // 1023 bytes left: drained.
        }
        assertThat(this.server.connectionsAccepted()).isEqualTo(1);
        assertThat(this.pool.stats().closedTotal()).isZero();
    }

    @Test
    void largeUnreadRemainderClosesTheConnection() throws Exception {
        String big = "y".repeat(1024 * 1024);
        start((req, ex) -> ex.respond(200, req.target().equals("/big") ? big : "small"));
        HotResponse response = send(HotRequest.get(this.server.uri("/big")));
        assertThat(response.body().read()).isEqualTo('y');
        response.close();
        response.close(); // Harmless.

        assertThat(this.pool.stats().closed().get(CloseReason.ERROR)).isEqualTo(1);
        assertThat(this.pool.stats().total()).isZero();
        assertThat(get("/small")).isEqualTo("small");
        assertThat(this.server.connectionsAccepted()).isEqualTo(2);
    }

    /**
     * A remainder small enough to drain that the server sends slowly: the drain stops at drain-timeout, closes the
     * connection and does not wait for the server, which had 10 seconds of its body left to send.
     */
    @Test
    void slowRemainderStopsTheDrainAtTheDrainTimeoutAndClosesTheConnection() throws Exception {
        int trickled = 200;
        CompletableFuture<Integer> sentBeforeClose = new CompletableFuture<>();
        start((req, ex) -> {
            if (req.target().equals("/small")) {
                ex.respond(200, "small");
                return;
            }
            ex.raw("HTTP/1.1 200 OK\r\nContent-Length: " + (1 + trickled) + "\r\n\r\nz");
            int sent = 0;
            try {
                for (; sent < trickled; sent++) { // One byte every 50 ms: 10 s in all.
                    Thread.sleep(50);
                    ex.raw("z");
                }
            }
            catch (IOException closedByTheClient) {
                // Expected: the client gave up on the drain.
            }
            catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
            sentBeforeClose.complete(sent);
            ex.close();
        }, HotPoolConfig.builder().drainTimeout(Duration.ofMillis(200)));
        HotResponse response = send(HotRequest.get(this.server.uri("/slow")));
        assertThat(response.body().read()).isEqualTo('z');
        response.close(); // 200 bytes left, under drain-limit, but they come slowly.

        assertThat(this.pool.stats().closed().get(CloseReason.ERROR)).isEqualTo(1);
        assertThat(this.pool.stats().total()).isZero();
        assertThat(get("/small")).isEqualTo("small");
        assertThat(this.server.connectionsAccepted()).isEqualTo(2);
        assertThat(sentBeforeClose.get(30, TimeUnit.SECONDS)).as("bytes the server sent before it saw the close").isLessThan(trickled);
    }

    @Test
    void readingAfterCloseFails() throws Exception {
        start((req, ex) -> ex.respond(200, "body"));
        HotResponse response = send(HotRequest.get(this.server.uri("/")));
        response.close();
        assertThatThrownBy(() -> response.body().read())
                .isInstanceOf(IOException.class)
                .hasMessage("hotpool: the response body from http://localhost:" + this.server.port()
                        + " has been closed");
    }

    @Test
    void responseReadToTheEndReleasesTheConnectionWithoutClose() throws Exception {
        start((req, ex) -> ex.respond(200, "body"));
        HotResponse response = send(HotRequest.get(this.server.uri("/")));
        assertThat(this.pool.stats().leased()).isEqualTo(1);
        assertThat(response.body().readAllBytes()).hasSize(4);
        assertThat(this.pool.stats().leased()).isZero();
        assertThat(this.pool.stats().idle()).isEqualTo(1);
        response.close();
        assertThat(this.pool.stats().idle()).isEqualTo(1);
    }

    @Test
    void readingExactlyTheAnnouncedLengthReleasesTheConnectionWithoutReadingEndOfStream() throws Exception {
        start((req, ex) -> ex.respond(200, "12345678"));
        HotResponse response = send(HotRequest.get(this.server.uri("/")));
        assertThat(response.body().readNBytes(8)).hasSize(8); // As RestClient does: no read of end of stream.

        assertThat(this.pool.stats().leased()).isZero();
        assertThat(this.pool.stats().idle()).isEqualTo(1);
        response.close();
        assertThat(this.pool.stats().closedTotal()).isZero();
    }

    @Test
    void redirectsAreFollowedPostTurningIntoGetAndDontFollowReturnsThem() throws Exception {
        start((req, ex) -> {
            switch (req.target()) {
                case "/old" -> ex.respond(301, "moved", "Location: /new");
                case "/temp" -> ex.respond(307, "temp", "Location: /new?x=1");
                default -> ex.respond(200, req.method() + " " + req.target());
            }
        });
        assertThat(get("/old")).isEqualTo("GET /new");
        assertThat(get("/temp")).isEqualTo("GET /new?x=1");
        HotResponse post = send(HotRequest.builder("POST", this.server.uri("/old")).body(new byte[0]).build());
        assertThat(post.status()).isEqualTo(200);
        assertThat(text(post)).isEqualTo("GET /new"); // As HttpClient 5: 301 turns POST into GET (RedirectTests).
        HotResponse notFollowed = send(HotRequest.builder("GET", this.server.uri("/old"))
                .redirects(RedirectPolicy.DONT_FOLLOW).build());
        assertThat(notFollowed.status()).isEqualTo(301);
        assertThat(text(notFollowed)).isEqualTo("moved");
        assertThat(this.server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void redirectLoopsStopAtTheLimit() throws Exception {
        start((req, ex) -> ex.respond(302, "again", "Location: /loop"),
                HotPoolConfig.builder().maxRedirects(3));
        HotResponse response = send(HotRequest.get(this.server.uri("/loop")));
        assertThat(response.status()).isEqualTo(302);
        response.close();
        assertThat(this.server.requestsServed()).isEqualTo(4);
    }

    @Test
    void responseHeadersAreKeptInOrder() throws Exception {
        start((req, ex) -> ex.raw("HTTP/1.1 200 OK\r\nB: 2\r\nA: 1\r\nB: 3\r\nContent-Length: 0\r\n\r\n"));
        try (HotResponse response = send(HotRequest.get(this.server.uri("/")))) {
            assertThat(response.headers()).extracting(h -> h.name() + "=" + h.value())
                    .containsExactly("B=2", "A=1", "B=3", "Content-Length=0");
            assertThat(response.protocol()).isEqualTo("HTTP/1.1");
            assertThat(response.reason()).isEqualTo("OK");
        }
    }

    @Test
    void requestsToDifferentOriginsNeverShareAConnection() throws Exception {
        start((req, ex) -> ex.respond(200, "a"));
        try (StubServer other = StubServer.http((req, ex) -> ex.respond(200, "b"))) {
            assertThat(get("/")).isEqualTo("a");
            assertThat(text(send(HotRequest.get(other.uri("/"))))).isEqualTo("b");
            assertThat(get("/")).isEqualTo("a");
            assertThat(this.pool.stats().hosts()).hasSize(2);
            assertThat(List.of(this.server.connectionsAccepted(), other.connectionsAccepted()))
                    .containsExactly(1, 1);
        }
    }

    @Test
    void requestTargetKeepsItsEncodedPathAndQuery() throws Exception {
        start(StubServer.ECHO_PATH);
        assertThat(text(send(HotRequest.get(URI.create("http://localhost:" + this.server.port()
                + "/a%20b/c?q=1%262&x"))))).isEqualTo("/a%20b/c?q=1%262&x");
        assertThat(text(send(HotRequest.get(URI.create("http://localhost:" + this.server.port()))))).isEqualTo("/");
    }
}
