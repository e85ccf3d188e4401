package dev.hotpool.internal.pool;

import dev.hotpool.AcquireTimeoutException;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.LogCapture;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestClock;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A caller that never closes its responses holds every connection of the host; the leases that then fail say so —
 * in their exception, and in one warning per interval naming the route, the holders' threads and how long they have
 * held on (and, with leak detection on, where they leased). Real sockets.
 */
class UnclosedResponsesStarvationTests {

    private final TestClock clock = new TestClock(); // Moves only the warning's interval: no sleep for 30 s.
    private final List<HotResponse> neverClosed = new ArrayList<>();
    private StubServer server;
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server);

    @AfterEach
    void closeTheResponsesAtLast() throws IOException {
        for (HotResponse r : this.neverClosed) {
            r.close();
        }
    }

    private void start(HotPoolConfig.Builder config) throws IOException {
        this.server = StubServer.http();
        this.pool = new HotPool(config.clock(this.clock).maxConnsPerHost(2).acquireTimeout(Duration.ofMillis(100))
                .build());
    }

    /** A request with a query string that must appear in no warning. */
    private HotRequest leakyRequest() {
        return HotRequest.get(this.server.uri("/orders?token=s3cret"));
    }

    private String origin() {
        return "http://localhost:" + this.server.port();
    }

    @Test
    void callerThatNeverClosesResponsesGetsEveryLaterLeaseAnExplainedFailureAndOneWarningPerInterval()
            throws Exception {
        start(HotPoolConfig.builder());
        ExecutorService forgetful = Executors.newSingleThreadExecutor(r -> new Thread(r, "forgetful-caller"));
        try {
            for (int i = 0; i < 2; i++) {
                this.neverClosed.add(forgetful.submit(() -> this.pool.execute(leakyRequest())).get());
            }
        }
        finally {
            forgetful.shutdown();
            forgetful.awaitTermination(5, TimeUnit.SECONDS);
        }
        try (LogCapture log = new LogCapture(StarvationWarning.class)) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> this.pool.execute(HotRequest.get(this.server.uri("/"))))
                        .isInstanceOf(AcquireTimeoutException.class)
                        .hasMessageStartingWith("hotpool: no connection to " + origin() + " within ")
                        .hasMessageMatching(".*check that responses are closed\\. All 2 connections to "
                                + origin() + " were leased, the longest for \\d+ ms by thread 'forgetful-caller'\\.");
            }

            assertThat(log.events()).hasSize(1);
            ILoggingEvent warning = log.events().get(0);
            assertThat(warning.getLevel()).isEqualTo(Level.WARN);
            assertThat(warning.getFormattedMessage())
                    .startsWith("hotpool - every connection to " + origin() + " is leased (2 of 2) and a lease timed "
                            + "out after ")
                    .containsPattern("Longest-held leases: #1 for \\d+ ms by thread 'forgetful-caller'; #2 for \\d+ ms "
                            + "by thread 'forgetful-caller'\\.")
                    .contains("close the response (ClientHttpResponse) or read its body to the end; set "
                            + "hotpool.leak-detection-threshold to log where leases are taken.")
                    .endsWith("At most one such warning every 30 s.")
                    .doesNotContain("s3cret").doesNotContain("/orders");
            assertThat(warning.getThrowableProxy()).isNull(); // Leak detection is off: no stack was taken.

            this.clock.advance(Duration.ofSeconds(30));
            assertThatThrownBy(() -> this.pool.execute(HotRequest.get(this.server.uri("/"))))
                    .isInstanceOf(AcquireTimeoutException.class);
            assertThat(log.messages()).hasSize(2);
            assertThat(log.messages().get(1)).contains("(2 more such failure(s) since the last warning)");
        }
    }

    @Test
    void withLeakDetectionOnTheWarningShowsWhereEachLeaseWasTaken() throws Exception {
        start(HotPoolConfig.builder().leakDetectionThreshold(Duration.ofMinutes(1)));
        this.neverClosed.add(this.pool.execute(leakyRequest()));
        this.neverClosed.add(this.pool.execute(leakyRequest()));

        try (LogCapture log = new LogCapture(StarvationWarning.class)) {
            assertThatThrownBy(() -> this.pool.execute(HotRequest.get(this.server.uri("/"))))
                    .isInstanceOf(AcquireTimeoutException.class)
                    .hasMessageContaining("All 2 connections to " + origin() + " were leased, the longest for ")
                    .hasMessageEndingWith(" ms by thread 'main'.");

            assertThat(log.events()).hasSize(1);
            ILoggingEvent warning = log.events().get(0);
            assertThat(warning.getFormattedMessage()).contains("by thread 'main'")
                    .contains("where each lease was taken follows.");
            IThrowableProxy first = warning.getThrowableProxy();
            assertThat(first.getMessage()).matches("lease #\\d for \\d+ ms by thread 'main' was taken here");
            assertThat(first.getSuppressed()).hasSize(1);
            for (IThrowableProxy site : List.of(first, first.getSuppressed()[0])) {
                assertThat(site.getStackTraceElementProxyArray()).anySatisfy(frame -> assertThat(frame.getSTEAsString())
                        .contains(getClass().getName() + ".withLeakDetectionOnTheWarningShowsWhereEachLeaseWasTaken"));
            }
        }
    }

    @Test
    void fullLineOfWaitingLeasesSaysSoToo() throws Exception {
        start(HotPoolConfig.builder().maxPendingAcquires(0));
        this.neverClosed.add(this.pool.execute(leakyRequest()));
        this.neverClosed.add(this.pool.execute(leakyRequest()));

        try (LogCapture log = new LogCapture(StarvationWarning.class)) {
            assertThatThrownBy(() -> this.pool.execute(HotRequest.get(this.server.uri("/"))))
                    .isInstanceOf(AcquireTimeoutException.class)
                    .hasMessageStartingWith("hotpool: too many leases waiting for " + origin())
                    .hasMessageMatching(".*\\. All 2 connections to " + origin() + " were leased, the longest for "
                            + "\\d+ ms by thread 'main'\\.");
            assertThat(log.messages()).singleElement().asString()
                    .contains("is leased (2 of 2) and a lease was refused: the line of waiting leases is full.");
        }
    }
}
