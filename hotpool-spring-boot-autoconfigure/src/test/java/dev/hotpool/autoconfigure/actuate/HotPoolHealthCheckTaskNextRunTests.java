package dev.hotpool.autoconfigure.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.internal.spring.HotPoolHealthCheckTask;
import dev.hotpool.testsupport.Closer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code healthCheck.nextRunAt} the endpoint shows, on the pool's clock (fixed here). */
class HotPoolHealthCheckTaskNextRunTests {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final HotPool pool = new HotPool(HotPoolConfig.builder()
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .healthCheckInterval(Duration.ofSeconds(20))
        .build());

    private HotPoolHealthCheckTask task;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.task != null ? this.task::stop : null, () -> this.pool);

    @Test
    void onItsOwnThreadTheNextRunIsTheJitteredDelayAheadAndNoneOnceStopped() {
        this.task = new HotPoolHealthCheckTask(this.pool, false);
        assertThat(this.task.nextRunAt()).isNull();

        this.task.start();
        assertThat(this.task.nextRunAt()).isBetween(NOW.plusSeconds(18), NOW.plusSeconds(20));

        this.task.stop();
        assertThat(this.task.nextRunAt()).isNull();
    }

    @Test
    void underTheApplicationsSchedulerTheNextRunIsOneIntervalAfterTheLastEnded() {
        this.task = new HotPoolHealthCheckTask(this.pool, true);
        assertThat(this.task.nextRunAt()).isEqualTo(NOW.plusSeconds(20));

        this.task.run();

        assertThat(this.task.nextRunAt()).isEqualTo(NOW.plusSeconds(20));
        assertThat(this.pool.lastHealthCheck().startedAt()).isEqualTo(NOW);
    }
}
