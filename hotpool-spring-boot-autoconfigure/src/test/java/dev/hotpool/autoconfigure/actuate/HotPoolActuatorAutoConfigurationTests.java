package dev.hotpool.autoconfigure.actuate;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;

import dev.hotpool.HotPool;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Origin;
import dev.hotpool.autoconfigure.HotPoolAutoConfiguration;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.metrics.micrometer.HotPoolMetrics;
import dev.hotpool.testsupport.StubServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HotPoolActuatorAutoConfiguration}: the endpoint, the health contributor and the meters, each
 * present with its library and backing off without it, when disabled, or to a bean of the application's.
 */
class HotPoolActuatorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class,
                HotPoolActuatorAutoConfiguration.class, MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
        .withPropertyValues("management.endpoints.web.exposure.include=hotpool");

    @Test
    void endpointHealthContributorAndMetersAreConfigured() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(HotPoolEndpoint.class);
            assertThat(context).hasBean("hotpoolHealthIndicator");
            assertThat(context.getBean("hotpoolHealthIndicator")).isInstanceOf(HotPoolHealthIndicator.class);
            assertThat(context).hasSingleBean(HotPoolMetrics.class);
            assertThat(context.getBean(HotPoolMetrics.class).options()).isEqualTo(HotPoolMetrics.Options.DEFAULTS);
        });
    }

    @Test
    void theMetersHearThePoolFromItsFirstConnection() throws IOException {
        try (StubServer server = StubServer.http()) {
            this.contextRunner.run((context) -> {
                HotPool pool = context.getBean(HotPool.class);
                get(pool, server);
                get(pool, server);

                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get("hotpool.connections.created").tag("pool", "hotpool").functionCounter().count())
                    .isEqualTo(1);
                assertThat(registry.get("hotpool.connections.acquire").timer().count()).isEqualTo(2);
                assertThat(registry.get("hotpool.connections.max").gauge().value()).isEqualTo(100);
            });
        }
    }

    @Test
    void metricsPropertiesReachTheMeters() {
        this.contextRunner.withPropertyValues("hotpool.metrics.per-host-tags=true", "hotpool.metrics.max-hosts=7")
            .run((context) -> assertThat(context.getBean(HotPoolMetrics.class).options())
                .isEqualTo(new HotPoolMetrics.Options(true, 7)));
    }

    @Test
    void otelNamingIsOptInAndReachesTheMeters() {
        this.contextRunner.run((context) -> assertThat(context.getBean(HotPoolMetrics.class).options().naming())
            .isEqualTo(HotPoolMetrics.Naming.HOTPOOL));
        this.contextRunner.withPropertyValues("hotpool.metrics.naming=otel")
            .run((context) -> assertThat(context.getBean(HotPoolMetrics.class).options())
                .isEqualTo(new HotPoolMetrics.Options(false, 100, HotPoolMetrics.Naming.OTEL)));
    }

    @Test
    void negativeMaxHostsFailsTheStartupNamingTheProperty() {
        this.contextRunner.withPropertyValues("hotpool.metrics.max-hosts=-1").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hotpool.metrics.max-hosts (-1) must not be negative");
        });
    }

    @Test
    void metersBackOffWhenDisabled() {
        this.contextRunner.withPropertyValues("hotpool.metrics.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(HotPoolMetrics.class)
                .hasSingleBean(HotPoolEndpoint.class));
    }

    @Test
    void metersBackOffWithoutAMeterRegistry() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class,
                    HotPoolActuatorAutoConfiguration.class))
            .run((context) -> assertThat(context).hasSingleBean(HotPool.class)
                .doesNotHaveBean(HotPoolMetrics.class));
    }

    @Test
    void endpointIsNotCreatedUnlessExposed() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class,
                    HotPoolActuatorAutoConfiguration.class))
            .run((context) -> assertThat(context).hasSingleBean(HotPool.class)
                .doesNotHaveBean(HotPoolEndpoint.class));
    }

    @Test
    void healthContributorCanBeSwitchedOff() {
        this.contextRunner.withPropertyValues("management.health.hotpool.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean("hotpoolHealthIndicator"));
    }

    @Test
    void applicationsOwnBeansWin() {
        HealthIndicator own = () -> Health.up().withDetail("own", true).build();
        this.contextRunner.withBean("hotpoolHealthIndicator", HealthIndicator.class, () -> own)
            .withUserConfiguration(OwnBeansConfiguration.class)
            .run((context) -> {
                assertThat(context.getBean("hotpoolHealthIndicator")).isSameAs(own);
                assertThat(context).getBeanNames(HotPoolEndpoint.class).containsExactly("myEndpoint");
                assertThat(context).getBeanNames(HotPoolMetrics.class).containsExactly("myMetrics");
            });
    }

    @Test
    void aPoolListenerOfTheApplicationHearsThePoolToo() throws IOException {
        AtomicInteger opened = new AtomicInteger();
        PoolListener listener = new PoolListener() {
            @Override
            public void connectionOpened(Origin origin, InetAddress address) {
                opened.incrementAndGet();
            }
        };
        try (StubServer server = StubServer.http()) {
            this.contextRunner.withBean(PoolListener.class, () -> listener).run((context) -> {
                get(context.getBean(HotPool.class), server);
                assertThat(opened).hasValue(1);
                assertThat(context.getBean(HotPoolMetrics.class).created()).isEqualTo(1);
            });
        }
    }

    @Test
    void everythingBacksOffWhenHotpoolIsDisabled() {
        this.contextRunner.withPropertyValues("hotpool.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(HotPool.class)
                .doesNotHaveBean(HotPoolEndpoint.class)
                .doesNotHaveBean("hotpoolHealthIndicator")
                .doesNotHaveBean(HotPoolMetrics.class));
    }

    @Test
    void startsWithoutMicrometer() throws IOException {
        try (StubServer server = StubServer.http()) {
            this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer")).run((context) -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(HotPoolMetrics.class);
                assertThat(context).hasSingleBean(HotPoolEndpoint.class).hasBean("hotpoolHealthIndicator");
                get(context.getBean(HotPool.class), server);
                assertThat(context.getBean(HotPoolEndpoint.class).hotpool().requests().total()).isEqualTo(1);
            });
        }
    }

    @Test
    void startsWithoutActuator() {
        this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
            .run((context) -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(HotPoolEndpoint.class);
                assertThat(context).hasBean("hotpoolHealthIndicator").hasSingleBean(HotPoolMetrics.class);
            });
    }

    @Test
    void startsWithoutTheHealthModule() {
        this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
            .run((context) -> {
                assertThat(context).hasNotFailed().doesNotHaveBean("hotpoolHealthIndicator");
                assertThat(context).hasSingleBean(HotPoolEndpoint.class).hasSingleBean(HotPoolMetrics.class);
            });
    }

    @Test
    void startsWithNeitherActuatorNorHealthNorMicrometer() throws IOException {
        try (StubServer server = StubServer.http()) {
            new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class,
                        HotPoolActuatorAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.actuate",
                        "org.springframework.boot.health"))
                .run((context) -> {
                    assertThat(context).hasNotFailed().hasSingleBean(HotPool.class);
                    get(context.getBean(HotPool.class), server);
                    assertThat(context.getBean(HotPool.class).traffic().requests()).isEqualTo(1);
                });
        }
    }

    @Test
    void healthIsUpWhileThePoolServesAndDownOnceItIsClosed() {
        this.contextRunner.run((context) -> {
            HealthIndicator health = context.getBean("hotpoolHealthIndicator", HealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            closePool(context);
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.health().getDetails()).containsEntry("reason", "the pool is closed");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeansConfiguration {

        @Bean
        HotPoolEndpoint myEndpoint(HotPool pool) {
            return new HotPoolEndpoint(pool, () -> null);
        }

        @Bean
        HotPoolMetrics myMetrics(ObjectProvider<HotPool> pool) {
            return new HotPoolMetrics().monitor(pool::getObject);
        }
    }

    private static void closePool(AssertableApplicationContext context) {
        context.getBean(HotPool.class).close();
    }

    private static void get(HotPool pool, StubServer server) throws IOException {
        try (HotResponse response = pool.execute(HotRequest.get(server.uri("/")))) {
            response.body().readAllBytes();
        }
    }
}
