package dev.hotpool.internal.spring;

import java.time.Duration;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.autoconfigure.HotPoolAutoConfiguration;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.StubServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the health-check task, warm-up at startup and the checker's properties: both scheduling modes,
 * switching it off, and the mapping of the health, warm-up, retry, leak and shutdown settings.
 */
class HotPoolHealthCheckTaskTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class, SslAutoConfiguration.class,
                HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
                RestClientAutoConfiguration.class, TaskSchedulingAutoConfiguration.class));

    @Test
    void withoutApplicationSchedulingTheCheckRunsOnItsOwnThreadAtTheInterval() {
        this.contextRunner.withPropertyValues("hotpool.health-check-interval=50ms").run((context) -> {
            HotPoolHealthCheckTask task = context.getBean(HotPoolHealthCheckTask.class);
            assertThat(task.scheduledByApplication()).isFalse();
            Await.until(() -> task.runs() >= 3);
            assertThat(task.lastThread()).isEqualTo("hotpool-health");
            assertThat(context.getBean(HotPool.class).lastHealthCheck().startedAt()).isNotNull();
            // The starter did not switch scheduling on for the application.
            assertThat(context).doesNotHaveBean(TaskScheduler.class);
        });
    }

    @Test
    void withApplicationSchedulingSpringsSchedulerRunsTheCheck() {
        this.contextRunner.withUserConfiguration(SchedulingApplication.class)
            .withPropertyValues("hotpool.health-check-interval=50ms")
            .run((context) -> {
                HotPoolHealthCheckTask task = context.getBean(HotPoolHealthCheckTask.class);
                assertThat(task.scheduledByApplication()).isTrue();
                assertThat(task.isRunning()).isFalse(); // No thread of its own.
                Await.until(() -> task.runs() >= 3);
                assertThat(task.lastThread()).startsWith("scheduling-");
            });
    }

    @Test
    void healthCheckCanBeSwitchedOff() {
        this.contextRunner.withPropertyValues("hotpool.health-check.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(HotPoolHealthCheckTask.class)
                .hasSingleBean(HotPool.class));
    }

    @Test
    void warmHostsAreConnectedBeforeTheFirstRequestWhichPerformsNoHandshake() throws Exception {
        try (StubServer server = StubServer.http()) {
            this.contextRunner
                .withPropertyValues("hotpool.warmup.hosts=http://localhost:" + server.port(),
                        "hotpool.warmup.min-idle-per-host=2", "hotpool.warmup.wait-on-startup=10s")
                .run((context) -> {
                    HotPool pool = context.getBean(HotPool.class);
                    assertThat(pool.stats().idle()).isEqualTo(2);
                    Await.until(() -> server.connectionsAccepted() == 2);

                    RestClient client = context.getBean(RestClient.Builder.class).build();
                    assertThat(client.get().uri(server.uri("/first")).retrieve().body(String.class))
                        .isEqualTo("/first");

                    assertThat(server.connectionsAccepted()).isEqualTo(2);
                    assertThat(pool.stats().reusedLeases()).isEqualTo(1);
                });
        }
    }

    @Test
    void checkerWarmupRetryLeakAndShutdownPropertiesReachThePool() {
        this.contextRunner
            .withPropertyValues("hotpool.health-check.probe-path=/health", "hotpool.health-check.probe-method=GET",
                    "hotpool.health-check.timeout=3s", "hotpool.warmup.hosts=https://api.example.com",
                    "hotpool.warmup.min-idle-per-host=0", "hotpool.warmup.max-concurrent=2",
                    "hotpool.retry.enabled=false", "hotpool.retry.max-retries=2",
                    "hotpool.leak-detection-threshold=20s", "hotpool.shutdown-timeout=1s")
            .run((context) -> {
                HotPoolConfig config = context.getBean(HotPool.class).config();
                assertThat(config.healthCheckProbePath()).isEqualTo("/health");
                assertThat(config.healthCheckProbeMethod()).isEqualTo("GET");
                assertThat(config.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(config.warmupHosts()).extracting(Object::toString).containsExactly("https://api.example.com:443");
                assertThat(config.warmupMaxConcurrent()).isEqualTo(2);
                assertThat(config.retryEnabled()).isFalse();
                assertThat(config.maxRetries()).isEqualTo(2);
                assertThat(config.leakDetectionThreshold()).isEqualTo(Duration.ofSeconds(20));
                assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(1));
            });
    }

    @Test
    void invalidWarmHostFailsStartupNamingTheProperty() {
        this.contextRunner.withPropertyValues("hotpool.warmup.hosts=https://ok.example.com,ftp://files.example.com")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageStartingWith("hotpool.warmup.hosts[1] (ftp://files.example.com) is not an origin"));
    }

    @Test
    void probePathMustBeAPath() {
        this.contextRunner.withPropertyValues("hotpool.health-check.probe-path=health")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessage("hotpool.health-check.probe-path (health) must start with /"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class SchedulingApplication {

    }
}
