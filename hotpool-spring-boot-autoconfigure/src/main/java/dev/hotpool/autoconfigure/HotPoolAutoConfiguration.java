package dev.hotpool.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.internal.spring.BootClientSettings;
import dev.hotpool.internal.spring.HotPoolHealthCheckTask;
import dev.hotpool.internal.spring.HotPoolRuntimeHints;
import dev.hotpool.internal.spring.SslBundleTlsSettings;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.net.AddressFilter;
import dev.hotpool.spring.HotPoolClientHttpRequestFactoryBuilder;
import dev.hotpool.tls.TlsSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.util.LambdaSafe;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.config.TaskManagementConfigUtils;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of hotpool: one {@link HotPool} for the application, and the
 * {@link ClientHttpRequestFactoryBuilder} through which every {@code RestClient.Builder} and
 * {@code RestTemplateBuilder} Spring Boot injects runs on that pool.
 *
 * <p>Ordered before {@link ImperativeHttpClientAutoConfiguration}: Boot's own builder is
 * {@code @ConditionalOnMissingBean}, so it backs off when this one is defined (and this one backs off when
 * the application defines its own). After {@link SslAutoConfiguration}, so {@code hotpool.tls.bundle} can
 * name an SSL bundle. Spring AOT takes {@link HotPoolRuntimeHints} from here for native images.
 */
@AutoConfiguration(before = ImperativeHttpClientAutoConfiguration.class, after = SslAutoConfiguration.class)
@ConditionalOnClass(HotPool.class)
@ConditionalOnBooleanProperty(name = "hotpool.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HotPoolProperties.class)
@ImportRuntimeHints(HotPoolRuntimeHints.class)
public final class HotPoolAutoConfiguration {

    private static final Log logger = LogFactory.getLog(HotPoolAutoConfiguration.class);

    /** Shared by the pool (its default TLS) and the factories (bundles passed by Boot) so they share connections. */
    private final SslBundleTlsSettings tlsSettings;

    HotPoolAutoConfiguration(ObjectProvider<SslBundles> sslBundles) {
        this.tlsSettings = new SslBundleTlsSettings(sslBundles.getIfAvailable());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    HotPool hotPool(HotPoolProperties properties, ObjectProvider<PoolListener> listeners,
            ObjectProvider<HttpClientSettings> clientSettings, Environment environment) {
        HostPropertyNames.check(environment); // hotpool.hosts names Spring would ignore fail instead.
        BootClientSettings.check(); // Boot 4.1 settings hotpool cannot read (a native image without hints) fail too.
        // Listeners (the Micrometer meters among them) must be in the settings before the pool is built.
        PoolListener listener = listeners.orderedStream().reduce(PoolListener.NONE, PoolListener::both);
        HotPoolConfig config = HotPoolConfigMapper.map(properties, poolTls(properties.getTls().getBundle()), listener);
        // Boot 4.1's InetAddressFilter bean (in its default client settings) guards every connection, warm-up too.
        AddressFilter filter = BootClientSettings.addressFilter(clientSettings.getIfAvailable());
        HotPool pool = new HotPool(filter != null ? config.toBuilder().addressFilter(filter).build() : config);
        Duration wait = properties.getWarmup().getWaitOnStartup();
        if (wait != null && !wait.isZero() && !wait.isNegative()) {
            try {
                if (!pool.awaitWarmup(wait)) {
                    logger.info("hotpool: warm-up still running after hotpool.warmup.wait-on-startup (" + wait
                            + "); startup goes on");
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        return pool;
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "hotpool.health-check.enabled", matchIfMissing = true)
    HotPoolHealthCheckTask hotPoolHealthCheckTask(HotPool hotPool, ConfigurableListableBeanFactory beanFactory) {
        boolean applicationSchedules = beanFactory
            .containsBean(TaskManagementConfigUtils.SCHEDULED_ANNOTATION_PROCESSOR_BEAN_NAME);
        return new HotPoolHealthCheckTask(hotPool, applicationSchedules);
    }

    /**
     * hotpool's builder, passed through the application's {@link ClientHttpRequestFactoryBuilderCustomizer}
     * beans in order as Boot does for its own: those declared for any builder, or for
     * {@link HotPoolClientHttpRequestFactoryBuilder}, apply; those for another client's builder are skipped.
     */
    @Bean
    @ConditionalOnMissingBean(ClientHttpRequestFactoryBuilder.class)
    ClientHttpRequestFactoryBuilder<?> hotPoolClientHttpRequestFactoryBuilder(HotPool hotPool,
            ObjectProvider<ClientHttpRequestFactoryBuilderCustomizer<?>> customizers) {
        return customize(new HotPoolClientHttpRequestFactoryBuilder(hotPool, this.tlsSettings::forBundle),
                customizers.orderedStream().toList());
    }

    /** Each customizer is matched against the builder as it is when its turn comes (Boot matches the first). */
    @SuppressWarnings("unchecked")
    private static ClientHttpRequestFactoryBuilder<?> customize(ClientHttpRequestFactoryBuilder<?> builder,
            List<ClientHttpRequestFactoryBuilderCustomizer<?>> customizers) {
        ClientHttpRequestFactoryBuilder<?> customized = builder;
        for (ClientHttpRequestFactoryBuilderCustomizer<?> customizer : customizers) {
            ClientHttpRequestFactoryBuilder<?> current = customized;
            customized = LambdaSafe.callback(ClientHttpRequestFactoryBuilderCustomizer.class, customizer, current)
                .invokeAnd((c) -> c.customize(current))
                .get(current);
        }
        return customized;
    }

    private TlsSettings poolTls(String bundle) {
        if (!StringUtils.hasText(bundle)) {
            return TlsSettings.defaults();
        }
        try {
            return this.tlsSettings.forBundle(bundle);
        }
        catch (NoSuchSslBundleException ex) {
            throw new InvalidConfigurationPropertyValueException("hotpool.tls.bundle", bundle,
                    "no SSL bundle named '" + bundle + "' is defined; define it under spring.ssl.bundle.jks."
                            + bundle + " or spring.ssl.bundle.pem." + bundle + ", or name an existing bundle");
        }
    }
}
