package dev.hotpool.autoconfigure.actuate;

import dev.hotpool.HotPool;
import dev.hotpool.autoconfigure.HotPoolAutoConfiguration;
import dev.hotpool.autoconfigure.HotPoolProperties;
import dev.hotpool.internal.spring.HotPoolHealthCheckTask;
import dev.hotpool.metrics.micrometer.HotPoolMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the pool shows of itself: the {@code hotpool} actuator endpoint, the {@code hotpool} health contributor
 * and the Micrometer meters ({@code hotpool.*}). Each sits in its own nested configuration behind a
 * {@code @ConditionalOnClass}, so the starter runs without actuator, without the health module and without
 * Micrometer; each backs off to a bean of the application's.
 *
 * <p>The meters are a {@link dev.hotpool.metrics.PoolListener}: {@link HotPoolAutoConfiguration} puts every
 * listener bean into the pool's settings before it builds the pool, and Spring Boot binds the meters to the
 * registry once the context is up.
 */
@AutoConfiguration(after = HotPoolAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnBean(HotPool.class)
public final class HotPoolActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        HotPoolEndpoint hotPoolEndpoint(HotPool hotPool, ObjectProvider<HotPoolHealthCheckTask> healthCheckTask) {
            return new HotPoolEndpoint(hotPool, () -> {
                HotPoolHealthCheckTask task = healthCheckTask.getIfAvailable();
                return task != null ? task.nextRunAt() : null;
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
    static class HealthConfiguration {

        /** Named so the contributor is {@code hotpool}. */
        @Bean
        @ConditionalOnMissingBean(name = "hotpoolHealthIndicator")
        @ConditionalOnEnabledHealthIndicator("hotpool")
        HotPoolHealthIndicator hotpoolHealthIndicator(HotPool hotPool) {
            return new HotPoolHealthIndicator(hotPool);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ MeterBinder.class, MeterRegistry.class })
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnBooleanProperty(name = "hotpool.metrics.enabled", matchIfMissing = true)
    static class MetricsConfiguration {

        /**
         * The meters: a listener of the pool (in its settings before it is built, so from its first connection)
         * and a binder whose gauges read the pool, looked up when Spring Boot binds it.
         */
        @Bean
        @ConditionalOnMissingBean
        HotPoolMetrics hotPoolMetrics(HotPoolProperties properties, ObjectProvider<HotPool> hotPool) {
            HotPoolProperties.Metrics metrics = properties.getMetrics();
            HotPoolMetrics.Naming naming = (metrics.getNaming() == HotPoolProperties.Naming.OTEL)
                    ? HotPoolMetrics.Naming.OTEL : HotPoolMetrics.Naming.HOTPOOL;
            return new HotPoolMetrics(new HotPoolMetrics.Options(metrics.isPerHostTags(), metrics.getMaxHosts(),
                    naming))
                .monitor(hotPool::getObject);
        }
    }
}
