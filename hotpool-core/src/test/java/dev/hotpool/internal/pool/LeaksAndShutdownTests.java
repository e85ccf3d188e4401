package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.LogCapture;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TaskThreads;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Leak detection, reclaiming abandoned responses, and graceful shutdown. */
class LeaksAndShutdownTests {

    private final TaskThreads threads = new TaskThreads("leaks-and-shutdown");
    private StubServer server;
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.threads, () -> this.server);

    @Test
    void leaseHeldPastTheThresholdIsLoggedWithTheLeasingStackAndAgainWhenItComesBack() throws Exception {
        this.server = StubServer.http();
        this.pool = new HotPool(HotPoolConfig.builder().leakDetectionThreshold(Duration.ofMillis(100)).build());
        try (LogCapture log = new LogCapture(LeakDetector.class)) {
            HotResponse held = this.pool.execute(HotRequest.get(this.server.uri("/slow-reader")));
            Await.until(() -> !log.events().isEmpty());

            ILoggingEvent warning = log.events().get(0);
            assertThat(warning.getLevel()).isEqualTo(Level.WARN);
            assertThat(warning.getFormattedMessage()).startsWith("hotpool - apparent connection leak: #1 http://localhost:"
                    + this.server.port()).contains("has been leased for more than 100 ms by thread main")
                    .endsWith("close the response (ClientHttpResponse) or read its body to the end");
            assertThat(warning.getThrowableProxy().getMessage()).isEqualTo("leased here");
            assertThat(warning.getThrowableProxy().getStackTraceElementProxyArray()).anySatisfy(frame ->
                    assertThat(frame.getSTEAsString()).contains(getClass().getName()));

            held.close();
            assertThat(log.messages()).hasSize(2);
            assertThat(log.messages().get(1)).contains("previously reported leaked connection #1").contains("came back");
        }
    }

    @Test
    void leaseReturnedInTimeIsNotReported() throws Exception {
        this.server = StubServer.http();
        this.pool = new HotPool(HotPoolConfig.builder().leakDetectionThreshold(Duration.ofSeconds(30)).build());
        try (LogCapture log = new LogCapture(LeakDetector.class)) {
            for (int i = 0; i < 10; i++) {
                this.pool.execute(HotRequest.get(this.server.uri("/"))).close();
            }
            assertThat(log.events()).isEmpty();
        }
    }

    @Test
    void abandonedResponseGetsItsConnectionClosedAndCounted() throws Exception {
        this.server = StubServer.http((req, ex) -> ex.respond(200, "x".repeat(100)));
        this.pool = new HotPool(HotPoolConfig.builder().build());
        try (LogCapture log = new LogCapture(Class.forName("dev.hotpool.internal.http.ResponseBody"))) {
            abandon();
            assertThat(this.pool.stats().leased()).isEqualTo(1);

            Await.until(() -> {
                System.gc();
                return this.pool.stats().leased() == 0;
            });

            assertThat(this.pool.stats().closed().get(CloseReason.ERROR)).isEqualTo(1);
            Await.until(() -> !log.messages().isEmpty());
            assertThat(log.messages().get(0)).isEqualTo("hotpool: a response from http://localhost:"
                    + this.server.port() + " was never closed and has been garbage-collected; its connection was "
                    + "closed. Close the response (ClientHttpResponse) or read its body to the end");
        }
        try (HotResponse next = this.pool.execute(HotRequest.get(this.server.uri("/")))) {
            assertThat(next.body().readAllBytes()).hasSize(100);
        }
    }

    private void abandon() throws IOException {
        HotResponse response = this.pool.execute(HotRequest.get(this.server.uri("/abandoned")));
        assertThat(response.status()).isEqualTo(200); // Then dropped without reading or closing.
    }

    @Test
    void gracefulShutdownWaitsForALeasedConnectionToComeBack() throws Exception {
        this.server = StubServer.http((req, ex) -> ex.respond(200, "payload"));
        this.pool = new HotPool(HotPoolConfig.builder().shutdownTimeout(Duration.ofSeconds(30)).build());
        HotResponse held = this.pool.execute(HotRequest.get(this.server.uri("/")));
        this.pool.execute(HotRequest.get(this.server.uri("/"))).close(); // One idle connection too.

        CompletableFuture<Void> closing = CompletableFuture.runAsync(this.pool::close, this.threads);
        Await.until(this.pool::isClosed);
        Await.until(() -> this.pool.stats().idle() == 0);
        assertThat(closing).isNotDone();
        assertThatThrownBy(() -> this.pool.execute(HotRequest.get(this.server.uri("/")))).hasMessageContaining("is closed");

        assertThat(new String(held.body().readAllBytes())).isEqualTo("payload"); // Still served during the grace period.
        closing.get(10, TimeUnit.SECONDS);
        assertThat(this.pool.stats().total()).isZero();
        assertThat(this.pool.stats().closed().get(CloseReason.SHUTDOWN)).isEqualTo(2);
    }

    @Test
    void shutdownClosesLeasedConnectionsAfterTheTimeout() throws Exception {
        this.server = StubServer.http((req, ex) -> ex.respond(200, "y".repeat(1_000_000)));
        this.pool = new HotPool(HotPoolConfig.builder().shutdownTimeout(Duration.ofMillis(100)).build());
        HotResponse held = this.pool.execute(HotRequest.get(this.server.uri("/")));

        this.pool.close();

        assertThatThrownBy(() -> held.body().readAllBytes()).isInstanceOf(IOException.class)
                .hasMessageContaining("http://localhost:" + this.server.port());
        assertThat(this.pool.stats().total()).isZero();
        assertThat(this.pool.stats().closed().get(CloseReason.SHUTDOWN)).isEqualTo(1);
        Await.until(() -> this.server.openConnections() == 0);
    }
}
