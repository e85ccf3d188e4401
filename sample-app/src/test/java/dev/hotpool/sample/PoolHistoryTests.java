package dev.hotpool.sample;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.Origin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The status page's history: a ring of the last 300 samples, and one second's acquire-wait quantiles. */
class PoolHistoryTests {

    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    private final Clock clock = new Clock() {
        @Override
        public long millis() {
            return PoolHistoryTests.this.millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };

    private final HotPool pool = new HotPool(HotPoolConfig.builder().build());

    private final AcquireWaits waits = new AcquireWaits();

    private final PoolHistory history = new PoolHistory(this.pool, this.waits, this.clock);

    @AfterEach
    void close() {
        this.pool.close();
    }

    @Test
    void keepsTheLast300SamplesOldestFirstAndServesThoseAfterATime() {
        for (int i = 0; i < PoolHistory.CAPACITY + 5; i++) {
            this.history.sample();
            this.millis.addAndGet(1000);
        }
        List<PoolHistory.Sample> all = this.history.after(0);
        assertThat(all).hasSize(PoolHistory.CAPACITY);
        assertThat(all.get(0).t()).isEqualTo(1_700_000_000_000L + 5_000);
        assertThat(all.get(all.size() - 1)).isSameAs(this.history.latest());
        assertThat(this.history.after(all.get(all.size() - 3).t())).hasSize(2);
        assertThat(all).allSatisfy((s) -> assertThat(s.max()).isEqualTo(100));
    }

    @Test
    void acquireQuantilesAreOfTheLastSecondOnly() {
        Origin origin = Origin.of("https", "api.example.com", 443);
        for (int i = 0; i < 99; i++) {
            this.waits.acquired(origin, TimeUnit.MICROSECONDS.toNanos(100), true);
        }
        this.waits.acquired(origin, TimeUnit.MILLISECONDS.toNanos(50), false);
        PoolHistory.Sample first = this.history.sample();
        assertThat(first.acquireP50Millis()).isEqualTo(0.128); // The 128 µs bucket holds 100 µs.
        assertThat(first.acquireP99Millis()).isEqualTo(0.128);
        this.millis.addAndGet(1000);
        this.waits.acquired(origin, TimeUnit.MILLISECONDS.toNanos(50), false);
        PoolHistory.Sample second = this.history.sample();
        assertThat(second.acquireP99Millis()).isEqualTo(65.536);
        this.millis.addAndGet(1000);
        assertThat(this.history.sample().acquireP50Millis()).as("no lease in that second").isNull();
    }
}
