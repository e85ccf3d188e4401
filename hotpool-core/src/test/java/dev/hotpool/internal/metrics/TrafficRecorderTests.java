package dev.hotpool.internal.metrics;

import dev.hotpool.ConnectException;
import dev.hotpool.ConnectFailure;
import dev.hotpool.ConnectPhase;
import dev.hotpool.Origin;
import dev.hotpool.TrafficStats;
import dev.hotpool.testsupport.TestClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool's own request counters, and how long the per-host counts are kept. */
class TrafficRecorderTests {

    private static final Origin API = Origin.of("https", "api.example.com", 443);
    private static final Origin CDN = Origin.of("https", "cdn.example.com", 443);

    private final TrafficRecorder recorder = new TrafficRecorder();

    /** What the pool says it has a connection to. */
    private final Set<Origin> connected = ConcurrentHashMap.newKeySet();

    private void requests(Origin origin, int n) {
        for (int i = 0; i < n; i++) {
            this.recorder.requestCompleted(origin, true, false);
        }
    }

    private int healthCheck() {
        return this.recorder.forgetIdle(this.connected::contains);
    }

    @Test
    void requestCountOfAHostIsKeptWhileThePoolHasARouteToItAndDroppedByTheFirstHealthCheckAfter() {
        requests(API, 3);
        this.connected.add(API);

        assertThat(healthCheck()).isZero();
        assertThat(this.recorder.snapshot().requestsByHost()).containsEntry("api.example.com:443", 3L);

        this.connected.clear();
        assertThat(healthCheck()).isEqualTo(1);
        TrafficStats stats = this.recorder.snapshot();
        assertThat(stats.requestsByHost()).isEmpty();
        assertThat(stats.requests()).as("the totals stay").isEqualTo(3);
        assertThat(stats.succeeded()).isEqualTo(3);
    }

    @Test
    void onlyTheHostsWithoutARouteAreDropped() {
        requests(API, 2);
        requests(CDN, 1);
        this.connected.add(API);

        assertThat(healthCheck()).isEqualTo(1);
        assertThat(this.recorder.snapshot().requestsByHost()).containsOnlyKeys("api.example.com:443");
    }

    @Test
    void hostUsedAgainAfterItsCountWasDroppedCountsFromZero() {
        requests(API, 4);
        healthCheck();

        requests(API, 1);

        assertThat(this.recorder.snapshot().requestsByHost()).containsEntry("api.example.com:443", 1L);
        assertThat(this.recorder.snapshot().requests()).isEqualTo(5);
    }

    @Test
    void tenThousandHostsUsedOnceKeepAtMostTheTrackedNumberOfCountsAndNoneAfterAHealthCheck() {
        for (int i = 0; i < 10_000; i++) {
            requests(Origin.of("https", "host" + i + ".example.com", 443), 1);
        }
        assertThat(this.recorder.snapshot().requestsByHost()).hasSize(TrafficRecorder.MIN_TRACKED_ORIGINS);
        assertThat(this.recorder.snapshot().requests()).as("the totals count every one").isEqualTo(10_000);

        assertThat(healthCheck()).isEqualTo(TrafficRecorder.MIN_TRACKED_ORIGINS);

        assertThat(this.recorder.snapshot().requestsByHost()).isEmpty();
        requests(API, 1);
        assertThat(this.recorder.snapshot().requestsByHost()).as("room again").containsEntry("api.example.com:443", 1L);
    }

    /**
     * Requests on threads while health checks keep dropping the count (the pool has no route to the host): every
     * request lands on a live count (or the totals), none is stuck on a dropped one, and the count left behind is
     * dropped as usual.
     */
    @Test
    void requestsRacingWithHealthChecksLeaveOneLiveCount() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                workers.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20_000; i++) {
                        this.recorder.requestCompleted(API, true, false);
                    }
                    return null;
                }));
            }
            start.countDown();
            while (!workers.stream().allMatch(Future::isDone)) {
                healthCheck();
            }
            for (Future<?> f : workers) {
                f.get(30, TimeUnit.SECONDS);
            }

            requests(API, 1);
            assertThat(this.recorder.snapshot().requestsByHost()).hasEntrySatisfying("api.example.com:443",
                    n -> assertThat(n).isPositive());
            assertThat(this.recorder.snapshot().requests()).isEqualTo(40_001);
            assertThat(healthCheck()).isEqualTo(1);
            assertThat(this.recorder.snapshot().requestsByHost()).isEmpty();
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theLastConnectFailureOfAHostIsKeptWithItsPhaseAndTimeWhileInUseOrForTheRetention() {
        TestClock clock = new TestClock();
        TrafficRecorder recorder = new TrafficRecorder(2, clock);
        recorder.connectFailed(API, ConnectPhase.TCP, new ConnectException("hotpool: refused", null));
        clock.advance(Duration.ofSeconds(1));
        recorder.connectFailed(API, ConnectPhase.TLS, new ConnectException("hotpool: bad certificate", null));

        ConnectFailure last = recorder.snapshot().connectFailures().get("api.example.com:443");
        assertThat(last.phase()).isEqualTo(ConnectPhase.TLS);
        assertThat(last.at()).isEqualTo(clock.instant());
        assertThat(last.message()).isEqualTo("hotpool: bad certificate");

        clock.advance(TrafficRecorder.FAILURE_RETENTION.plusSeconds(1));
        this.connected.add(API);
        recorder.forgetIdle(this.connected::contains);
        assertThat(recorder.snapshot().connectFailures()).as("in use: kept").containsKey("api.example.com:443");
        this.connected.clear();
        recorder.forgetIdle(this.connected::contains);
        assertThat(recorder.snapshot().connectFailures()).as("past the retention, not in use").isEmpty();
    }

    @Test
    void connectFailuresAreBoundedLikeTheRequestCounts() {
        TrafficRecorder recorder = new TrafficRecorder(2, new TestClock());
        for (int i = 0; i < 1_000; i++) {
            recorder.connectFailed(Origin.of("https", "h" + i + ".example.com", 443), ConnectPhase.DNS,
                    new ConnectException("hotpool: unknown host", null));
        }
        recorder.connectFailed(API, ConnectPhase.DNS, new ConnectException("x", null));
        assertThat(recorder.snapshot().connectFailures()).hasSize(2).containsKeys("h0.example.com:443",
                "h1.example.com:443");
        recorder.connectFailed(Origin.of("https", "h0.example.com", 443), ConnectPhase.TCP,
                new ConnectException("y", null));
        assertThat(recorder.snapshot().connectFailures().get("h0.example.com:443").phase())
            .as("a tracked host's failure is still replaced").isEqualTo(ConnectPhase.TCP);
    }
}
