package dev.hotpool.sample;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.hotpool.HotPool;
import dev.hotpool.autoconfigure.HotPoolProperties;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * A Spring Boot application that uses the hotpool starter the way a user would: its services take the
 * {@link RestClient.Builder} and {@link RestTemplateBuilder} Spring Boot injects, and every request they make runs
 * on hotpool's kept-alive connections. Without {@code sample.upstream.url} it also runs the service it calls
 * ({@link EmbeddedUpstream}), so it works offline.
 */
@SpringBootApplication
@ImportHttpServices(group = "upstream", types = ProfileApi.class)
@EnableConfigurationProperties(UpstreamProperties.class)
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /** The upstream's client for the aggregator: a {@link RestClient} with the upstream as its base URL. */
    @Bean
    RestClient upstreamRestClient(RestClient.Builder builder, UpstreamProperties upstream) {
        return builder.baseUrl(upstream.getUrl()).build();
    }

    /** The upstream's client for the demo: a {@link RestTemplate} from Boot's builder, on the same pool. */
    @Bean
    RestTemplate upstreamRestTemplate(RestTemplateBuilder builder, UpstreamProperties upstream) {
        return builder.rootUri(upstream.getUrl()).build();
    }

    /** The acquire waits the status page's history charts (a pool listener: the starter hands it to the pool). */
    @Bean
    AcquireWaits acquireWaits() {
        return new AcquireWaits();
    }

    /** The last five minutes of the pool, sampled once a second off the request path, for the status page. */
    @Bean(initMethod = "start", destroyMethod = "close")
    PoolHistory poolHistory(HotPool pool, AcquireWaits acquireWaits) {
        return new PoolHistory(pool, acquireWaits, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnProperty("sample.upstream.embedded")
    EmbeddedUpstream embeddedUpstream(SslBundles sslBundles, HotPoolProperties poolProperties,
            UpstreamProperties upstream) {
        return new EmbeddedUpstream(sslBundles, poolProperties, upstream.getPort());
    }

    /**
     * Creates the embedded upstream (when there is one) before the pool, which starts warming connections to it
     * as soon as it exists: a real upstream is up before the application too.
     */
    @Bean
    static BeanFactoryPostProcessor upstreamBeforePool() {
        return (beanFactory) -> {
            if (!beanFactory.containsBeanDefinition("embeddedUpstream")) {
                return;
            }
            for (String name : beanFactory.getBeanNamesForType(HotPool.class, true, false)) {
                BeanDefinition pool = beanFactory.getBeanDefinition(name);
                Set<String> dependsOn = new LinkedHashSet<>();
                if (pool.getDependsOn() != null) {
                    dependsOn.addAll(Arrays.asList(pool.getDependsOn()));
                }
                dependsOn.add("embeddedUpstream");
                pool.setDependsOn(dependsOn.toArray(String[]::new));
            }
        };
    }
}
