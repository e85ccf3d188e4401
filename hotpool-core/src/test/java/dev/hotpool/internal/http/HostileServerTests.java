package dev.hotpool.internal.http;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Servers that misbehave: each bad answer gives an exception naming the origin, the connection it came on
 * is discarded (never pooled), and the next request succeeds on a fresh connection.
 */
class HostileServerTests {

    private StubServer server;
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server);
    private String origin;

    /** The first request on each connection gets {@code hostile}; later ones a good answer. */
    private void start(StubServer.Handler hostile) throws IOException {
        start(hostile, HotPoolConfig.builder());
    }

    private void start(StubServer.Handler hostile, HotPoolConfig.Builder config) throws IOException {
        this.server = StubServer.http((req, ex) -> {
            if (req.target().equals("/bad")) {
                hostile.handle(req, ex);
            }
            else {
                ex.respond(200, "good");
            }
        });
        this.pool = new HotPool(config.build());
        this.origin = "http://localhost:" + this.server.port();
    }

    private String read(String path) throws IOException {
        try (HotResponse response = this.pool.execute(HotRequest.get(this.server.uri(path)))) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The pool discarded the bad connection and still serves. */
    private void assertDiscardedAndStillServing() throws IOException {
        assertThat(this.pool.stats().closed().get(CloseReason.ERROR)).isEqualTo(1);
        assertThat(this.pool.stats().leased()).isZero();
        assertThat(read("/good")).isEqualTo("good");
        assertThat(this.server.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void garbageStatusLine() throws Exception {
        start((req, ex) -> ex.raw("SMTP ready, not HTTP\r\n\r\n"));
        assertThatThrownBy(() -> read("/bad"))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageStartingWith("hotpool: malformed response from " + this.origin + ": ");
        assertDiscardedAndStillServing();
    }

    @Test
    void invalidChunkSize() throws Exception {
        start((req, ex) -> ex.raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZ\r\n"));
        assertThatThrownBy(() -> read("/bad"))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageStartingWith("hotpool: malformed response body from " + this.origin + ": ");
        assertDiscardedAndStillServing();
    }

    @Test
    void contentLengthLongerThanTheBody() throws Exception {
        start((req, ex) -> {
            ex.raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly-this");
            ex.close();
        });
        assertThatThrownBy(() -> read("/bad"))
                .isInstanceOf(HotPoolException.class)
                .hasMessageStartingWith("hotpool: reading the response body from " + this.origin + " failed: ")
                .hasMessageContaining("expected: 100; received: 9");
        assertDiscardedAndStillServing();
    }

    @Test
    void conflictingContentLengths() throws Exception {
        start((req, ex) -> ex.raw("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"));
        assertThatThrownBy(() -> read("/bad"))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessage("hotpool: malformed response from " + this.origin
                        + ": conflicting Content-Length values 3 and 4");
        assertDiscardedAndStillServing();
    }

    @Test
    void oversizedHeaderLine() throws Exception {
        start((req, ex) -> ex.raw("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(10_000) + "\r\nContent-Length: 0\r\n\r\n"));
        assertThatThrownBy(() -> read("/bad"))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageStartingWith("hotpool: malformed response from " + this.origin + ": ")
                .hasMessageContaining("hotpool.max-response-line-length");
        assertDiscardedAndStillServing();
    }

    @Test
    void tooManyHeaders() throws Exception {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 150; i++) {
            head.append("X-H").append(i).append(": v\r\n");
        }
        start((req, ex) -> ex.raw(head + "Content-Length: 0\r\n\r\n"));
        assertThatThrownBy(() -> read("/bad"))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("hotpool.max-response-header-count");
        assertDiscardedAndStillServing();
    }

    @Test
    void responseHeadLargerThanTheTotalLimit() throws Exception {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 20; i++) {
            head.append("X-H").append(i).append(": ").append("v".repeat(1000)).append("\r\n");
        }
        start((req, ex) -> ex.raw(head + "Content-Length: 0\r\n\r\n"),
                HotPoolConfig.builder().maxResponseHeadSize(16 * 1024));
        assertThatThrownBy(() -> read("/bad"))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageStartingWith("hotpool: the response head from " + this.origin + " is about ")
                .hasMessageEndingWith("bytes, more than hotpool.max-response-head-size (16384)");
        assertDiscardedAndStillServing();
    }

    @Test
    void serverClosingMidBody() throws Exception {
        start((req, ex) -> {
            ex.raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + "z".repeat(100));
            ex.close();
        });
        assertThatThrownBy(() -> read("/bad"))
                .isInstanceOf(HotPoolException.class)
                .hasMessageContaining(this.origin);
        assertDiscardedAndStillServing();
    }

    @Test
    void resetInTheMiddleOfABody() throws Exception {
        start((req, ex) -> {
            ex.raw("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "r".repeat(1000));
            ex.reset();
        });
        assertThatThrownBy(() -> read("/bad"))
                .isInstanceOf(HotPoolException.class)
                .hasMessageStartingWith("hotpool: reading the response body from " + this.origin + " failed: ");
        assertDiscardedAndStillServing();
    }

    @Test
    void serverClosingWithoutAnswering() throws Exception {
        start((req, ex) -> ex.close());
        assertThatThrownBy(() -> read("/bad"))
                .isInstanceOf(HotPoolException.class)
                .hasMessage("hotpool: " + this.origin + " closed the connection without answering GET " + this.origin
                        + "/bad");
        assertDiscardedAndStillServing();
    }

    @Test
    void serverThatNeverAnswersHitsTheReadTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start((req, ex) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        }, HotPoolConfig.builder().readTimeout(Duration.ofMillis(300)));
        try {
            assertThatThrownBy(() -> read("/bad"))
                    .isInstanceOf(HotPoolException.class)
                    .hasMessage("hotpool: no response from " + this.origin + " to GET " + this.origin
                            + "/bad within 300 ms (read timeout)");
        }
        finally {
            release.countDown();
        }
        assertDiscardedAndStillServing();
    }

    @Test
    void bytesAfterTheEndOfAMessageMakeTheConnectionUnusable() throws Exception {
        start((req, ex) -> ex.raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokGARBAGE"));
        assertThat(read("/bad")).isEqualTo("ok");
        assertDiscardedAndStillServing();
    }
}
