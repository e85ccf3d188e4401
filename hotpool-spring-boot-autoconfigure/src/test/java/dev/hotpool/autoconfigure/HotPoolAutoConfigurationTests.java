package dev.hotpool.autoconfigure;

import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.hotpool.HotPool;
import dev.hotpool.CallTimeoutException;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.RedirectPolicy;
import dev.hotpool.spring.HotPoolClientHttpRequestFactory;
import dev.hotpool.spring.HotPoolClientHttpRequestFactoryBuilder;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.tls.TlsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.JdkClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientSsl;
import org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link HotPoolAutoConfiguration}: the beans, backing off, property mapping and startup failures.
 */
class HotPoolAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class, SslAutoConfiguration.class,
                HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
                RestClientAutoConfiguration.class, RestTemplateAutoConfiguration.class));

    @Test
    void bootsFactoryPropertyIsIgnoredWhileHotpoolIsOn() {
        this.contextRunner.withPropertyValues("spring.http.clients.imperative.factory=jdk").run((context) -> {
            assertThat(context.getBean(ClientHttpRequestFactoryBuilder.class))
                .isInstanceOf(HotPoolClientHttpRequestFactoryBuilder.class);
            assertThat(context.getBean(ClientHttpRequestFactory.class))
                .isInstanceOf(HotPoolClientHttpRequestFactory.class);
        });
    }

    @Test
    void poolAndRequestFactoryBuilderAreAutoConfigured() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(HotPool.class);
            assertThat(context).hasSingleBean(ClientHttpRequestFactoryBuilder.class);
            assertThat(context.getBean(ClientHttpRequestFactoryBuilder.class))
                .isInstanceOf(HotPoolClientHttpRequestFactoryBuilder.class);
            HotPoolClientHttpRequestFactory factory = (HotPoolClientHttpRequestFactory) context
                .getBean(ClientHttpRequestFactory.class);
            assertThat(factory.pool()).isSameAs(context.getBean(HotPool.class));
        });
    }

    @Test
    void restClientBuilderAndRestTemplateBuilderRunOnTheOnePool() throws Exception {
        try (StubServer server = StubServer.http()) {
            this.contextRunner.run((context) -> {
                HotPool pool = context.getBean(HotPool.class);
                RestClient restClient = context.getBean(RestClient.Builder.class).build();
                RestTemplate restTemplate = context.getBean(RestTemplateBuilder.class).build();
                assertThat(restTemplate.getRequestFactory()).isInstanceOf(HotPoolClientHttpRequestFactory.class);

                String fromRestClient = restClient.get().uri(server.uri("/rest-client")).retrieve().body(String.class);
                String fromRestTemplate = restTemplate.getForObject(server.uri("/rest-template"), String.class);

                assertThat(fromRestClient).isEqualTo("/rest-client");
                assertThat(fromRestTemplate).isEqualTo("/rest-template");
                assertThat(pool.stats().leases()).isEqualTo(2);
                assertThat(pool.stats().created()).isEqualTo(1);
                assertThat(server.connectionsAccepted()).isEqualTo(1);
            });
        }
    }

    @Test
    void poolIsClosedWithTheContext() {
        HotPool[] pool = new HotPool[1];
        this.contextRunner.run((context) -> pool[0] = context.getBean(HotPool.class));
        assertThat(pool[0].isClosed()).isTrue();
    }

    @Test
    void whenDisabledSpringBootsOwnBuilderIsUsed() {
        this.contextRunner.withPropertyValues("hotpool.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(HotPool.class);
            assertThat(context).doesNotHaveBean(HotPoolProperties.class);
            assertThat(context.getBean(ClientHttpRequestFactoryBuilder.class))
                .isNotInstanceOf(HotPoolClientHttpRequestFactoryBuilder.class);
            assertThat(context.getBean(RestTemplateBuilder.class).build().getRequestFactory())
                .isNotInstanceOf(HotPoolClientHttpRequestFactory.class);
        });
    }

    @Test
    void whenHotPoolIsNotOnTheClasspathTheAutoConfigurationBacksOff() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(HotPool.class)).run((context) -> {
            assertThat(context).doesNotHaveBean(HotPoolProperties.class);
            assertThat(context.getBean(ClientHttpRequestFactoryBuilder.class))
                .isNotInstanceOf(HotPoolClientHttpRequestFactoryBuilder.class);
        });
    }

    @Test
    void usersOwnPoolIsTheOneTheFactoriesUse() {
        this.contextRunner
            .withBean("myPool", HotPool.class, () -> new HotPool(HotPoolConfig.builder().maxConnections(17).build()))
            .run((context) -> {
                assertThat(context).hasSingleBean(HotPool.class);
                HotPool pool = context.getBean(HotPool.class);
                assertThat(pool.config().maxConnections()).isEqualTo(17);
                assertThat(((HotPoolClientHttpRequestFactory) context.getBean(ClientHttpRequestFactory.class)).pool())
                    .isSameAs(pool);
            });
    }

    @Test
    void usersOwnRequestFactoryBuilderWins() {
        this.contextRunner
            .withBean(ClientHttpRequestFactoryBuilder.class, ClientHttpRequestFactoryBuilder::jdk)
            .run((context) -> {
                assertThat(context).hasSingleBean(ClientHttpRequestFactoryBuilder.class);
                assertThat(context.getBean(ClientHttpRequestFactoryBuilder.class))
                    .isInstanceOf(JdkClientHttpRequestFactoryBuilder.class);
                assertThat(context.getBean(RestTemplateBuilder.class).build().getRequestFactory())
                    .isNotInstanceOf(HotPoolClientHttpRequestFactory.class);
            });
    }

    @Test
    void defaultsAreTheCoresDefaults() {
        this.contextRunner.run((context) -> {
            HotPoolConfig config = context.getBean(HotPool.class).config();
            HotPoolConfig defaults = HotPoolConfig.DEFAULTS;
            assertThat(config.maxConnections()).isEqualTo(defaults.maxConnections()).isEqualTo(100);
            assertThat(config.maxConnsPerHost()).isEqualTo(defaults.maxConnsPerHost()).isEqualTo(10);
            assertThat(config.maxIdleConns()).isEqualTo(defaults.maxIdleConns()).isEqualTo(100);
            assertThat(config.connectTimeout()).isEqualTo(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(config.readTimeout()).isEqualTo(defaults.readTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(config.acquireTimeout()).isEqualTo(defaults.acquireTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(config.maxPendingAcquires()).isEqualTo(defaults.maxPendingAcquires()).isEqualTo(1000);
            assertThat(config.idleTimeout()).isEqualTo(defaults.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(config.maxLifetime()).isEqualTo(defaults.maxLifetime()).isEqualTo(Duration.ofMinutes(5));
            assertThat(config.validateAfterInactivity()).isEqualTo(defaults.validateAfterInactivity())
                .isEqualTo(Duration.ofSeconds(2));
            assertThat(config.healthCheckInterval()).isEqualTo(defaults.healthCheckInterval())
                .isEqualTo(Duration.ofSeconds(30));
            assertThat(config.maxResponseLineLength()).isEqualTo(defaults.maxResponseLineLength()).isEqualTo(8192);
            assertThat(config.maxResponseHeaderCount()).isEqualTo(defaults.maxResponseHeaderCount()).isEqualTo(100);
            assertThat(config.maxResponseHeadSize()).isEqualTo(defaults.maxResponseHeadSize()).isEqualTo(65536);
            assertThat(config.drainLimit()).isEqualTo(defaults.drainLimit()).isEqualTo(64 * 1024);
            assertThat(config.drainTimeout()).isEqualTo(defaults.drainTimeout()).isEqualTo(Duration.ofMillis(500));
            assertThat(config.maxRedirects()).isEqualTo(defaults.maxRedirects()).isEqualTo(10);
            assertThat(config.tls()).isSameAs(TlsSettings.defaults());
            assertThat(config.callTimeout()).isEqualTo(defaults.callTimeout()).isZero();
            assertThat(config.maxRequestsPerConnection()).isEqualTo(defaults.maxRequestsPerConnection()).isZero();
            assertThat(config.fallbackDelay()).isEqualTo(defaults.fallbackDelay()).isEqualTo(Duration.ofMillis(250));
            assertThat(config.tcpKeepAlive()).isEqualTo(defaults.tcpKeepAlive()).isTrue();
            assertThat(config.tcpKeepAliveIdle()).isEqualTo(defaults.tcpKeepAliveIdle())
                .isEqualTo(Duration.ofSeconds(30));
            assertThat(config.tcpKeepAliveInterval()).isEqualTo(defaults.tcpKeepAliveInterval())
                .isEqualTo(Duration.ofSeconds(10));
            assertThat(config.tcpKeepAliveCount()).isEqualTo(defaults.tcpKeepAliveCount()).isEqualTo(3);
        });
    }

    @Test
    void connectingPropertiesMapOntoThePoolsConfig() {
        this.contextRunner
            .withPropertyValues("hotpool.call-timeout=2s", "hotpool.max-requests-per-connection=100",
                    "hotpool.connect.fallback-delay=100ms", "hotpool.tcp.keep-alive=false",
                    "hotpool.tcp.keep-alive-idle=1m", "hotpool.tcp.keep-alive-interval=5s",
                    "hotpool.tcp.keep-alive-count=6")
            .run((context) -> {
                HotPoolConfig config = context.getBean(HotPool.class).config();
                assertThat(config.callTimeout()).isEqualTo(Duration.ofSeconds(2));
                assertThat(config.maxRequestsPerConnection()).isEqualTo(100);
                assertThat(config.fallbackDelay()).isEqualTo(Duration.ofMillis(100));
                assertThat(config.tcpKeepAlive()).isFalse();
                assertThat(config.tcpKeepAliveIdle()).isEqualTo(Duration.ofMinutes(1));
                assertThat(config.tcpKeepAliveInterval()).isEqualTo(Duration.ofSeconds(5));
                assertThat(config.tcpKeepAliveCount()).isEqualTo(6);
            });
    }

    @Test
    void aFractionalKeepAliveTimeOrANegativeCallTimeoutFailsTheStartupNamingTheProperty() {
        this.contextRunner.withPropertyValues("hotpool.tcp.keep-alive-idle=1500ms").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessage("hotpool.tcp.keep-alive-idle (PT1.5S) must be a whole number of seconds");
        });
        this.contextRunner.withPropertyValues("hotpool.call-timeout=-1s").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessage("hotpool.call-timeout (PT-1S) must not be negative");
        });
        this.contextRunner.withPropertyValues("hotpool.max-requests-per-connection=-1").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessage("hotpool.max-requests-per-connection (-1) must not be negative");
        });
    }

    @Test
    @Timeout(60)
    void aCallTimeoutSetOnTheFactoryEndsARequestWhoseHeadTricklesIn() throws Exception {
        try (StubServer trickle = StubServer.http((request, exchange) -> {
            try {
                for (char c : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".toCharArray()) {
                    exchange.raw(String.valueOf(c));
                    Thread.sleep(1000);
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            this.contextRunner.withPropertyValues("hotpool.read-timeout=5s").run((context) -> {
                HotPoolClientHttpRequestFactory factory = context.getBean(HotPoolClientHttpRequestFactoryBuilder.class)
                    .build()
                    .withCallTimeout(Duration.ofMillis(1200));
                RestClient restClient = RestClient.builder().requestFactory(factory).build();
                assertThatExceptionOfType(ResourceAccessException.class)
                    .isThrownBy(() -> restClient.get().uri(trickle.uri("/slow")).retrieve().body(String.class))
                    .withCauseInstanceOf(CallTimeoutException.class)
                    .withMessageContaining("ran out of its call timeout (1200 ms, the request's own) waiting for "
                            + "the response head");
            });
        }
    }

    @Test
    void propertiesMapOntoThePoolsConfig() {
        this.contextRunner
            .withPropertyValues("hotpool.max-connections=50", "hotpool.max-conns-per-host=5",
                    "hotpool.max-idle-conns=20", "hotpool.connect-timeout=3s", "hotpool.read-timeout=4s",
                    "hotpool.acquire-timeout=250ms",
                    "hotpool.max-pending-acquires=7", "hotpool.idle-timeout=45s", "hotpool.max-lifetime=10m",
                    "hotpool.validate-after-inactivity=0", "hotpool.health-check-interval=1m",
                    "hotpool.max-response-line-length=4096", "hotpool.max-response-header-count=50",
                    "hotpool.max-response-head-size=32768", "hotpool.drain-limit=1MB", "hotpool.drain-timeout=2s",
                    "hotpool.max-redirects=3")
            .run((context) -> {
                HotPoolConfig config = context.getBean(HotPool.class).config();
                assertThat(config.maxConnections()).isEqualTo(50);
                assertThat(config.maxConnsPerHost()).isEqualTo(5);
                assertThat(config.maxIdleConns()).isEqualTo(20);
                assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(4));
                assertThat(config.acquireTimeout()).isEqualTo(Duration.ofMillis(250));
                assertThat(config.maxPendingAcquires()).isEqualTo(7);
                assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(45));
                assertThat(config.maxLifetime()).isEqualTo(Duration.ofMinutes(10));
                assertThat(config.validateAfterInactivity()).isEqualTo(Duration.ZERO);
                assertThat(config.healthCheckInterval()).isEqualTo(Duration.ofMinutes(1));
                assertThat(config.maxResponseLineLength()).isEqualTo(4096);
                assertThat(config.maxResponseHeaderCount()).isEqualTo(50);
                assertThat(config.maxResponseHeadSize()).isEqualTo(32768);
                assertThat(config.drainLimit()).isEqualTo(1024 * 1024);
                assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(2));
                assertThat(config.maxRedirects()).isEqualTo(3);
            });
    }

    @Test
    void checkBeforeRequestsThatCannotBeRetriedDefaultsTo50msAndMapsOntoThePoolsConfig() {
        this.contextRunner.run((context) -> assertThat(context.getBean(HotPool.class).config()
            .validateNonRetryableAfterInactivity()).isEqualTo(Duration.ofMillis(50))
            .isEqualTo(HotPoolConfig.builder().build().validateNonRetryableAfterInactivity()));
        this.contextRunner.withPropertyValues("hotpool.validate-non-retryable-after-inactivity=200ms")
            .run((context) -> assertThat(context.getBean(HotPool.class).config()
                .validateNonRetryableAfterInactivity()).isEqualTo(Duration.ofMillis(200)));
        this.contextRunner.withPropertyValues("hotpool.validate-non-retryable-after-inactivity=-1ms")
            .run((context) -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessage("hotpool.validate-non-retryable-after-inactivity (PT-0.001S) must not be negative"));
    }

    @Test
    void perHostLimitAboveTheGlobalLimitFailsTheStartupNamingBothProperties() {
        this.contextRunner.withPropertyValues("hotpool.max-conns-per-host=50", "hotpool.max-connections=20")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("hotpool.max-conns-per-host (50) must not exceed hotpool.max-connections (20)");
                FailureAnalysis analysis = new HotPoolConfigurationFailureAnalyzer()
                    .analyze(context.getStartupFailure());
                assertThat(analysis).isNotNull();
                assertThat(analysis.getDescription()).isEqualTo("Invalid hotpool configuration: "
                        + "hotpool.max-conns-per-host (50) must not exceed hotpool.max-connections (20)");
                assertThat(analysis.getAction()).startsWith("Update hotpool.max-conns-per-host and/or "
                        + "hotpool.max-connections in your application's configuration");
            });
    }

    @Test
    void negativeDurationFailsTheStartupNamingTheProperty() {
        this.contextRunner.withPropertyValues("hotpool.connect-timeout=-1s").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hotpool.connect-timeout (PT-1S) must be greater than 0");
        });
    }

    @Test
    void negativeDrainLimitFailsTheStartupNamingTheProperty() {
        this.contextRunner.withPropertyValues("hotpool.drain-limit=-1B").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hotpool.drain-limit (-1) must not be negative");
        });
    }

    @Test
    void idleTimeoutLongerThanMaxLifetimeFailsTheStartup() {
        this.contextRunner.withPropertyValues("hotpool.idle-timeout=10m", "hotpool.max-lifetime=5m").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessage("hotpool.idle-timeout (PT10M) must not exceed hotpool.max-lifetime (PT5M)");
        });
    }

    @Test
    void unknownTlsBundleFailsTheStartupNamingThePropertyAndTheBundle() {
        this.contextRunner.withPropertyValues("hotpool.tls.bundle=no-such-bundle").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("hotpool.tls.bundle")
                .hasMessageContaining("'no-such-bundle'");
            Throwable failure = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
            assertThat(failure).isInstanceOf(InvalidConfigurationPropertyValueException.class);
            InvalidConfigurationPropertyValueException invalid = (InvalidConfigurationPropertyValueException) failure;
            assertThat(invalid.getName()).isEqualTo("hotpool.tls.bundle");
            assertThat(invalid.getValue()).isEqualTo("no-such-bundle");
        });
    }

    @Test
    void tlsBundleGivesThePoolItsDefaultTlsSettings(@TempDir Path dir) {
        Path trustStore = TestCertificates.localhost(KeyType.EC).writeTrustStore(dir.resolve("trust.p12"));
        this.contextRunner.withPropertyValues(trustBundle("test", trustStore))
            .withPropertyValues("hotpool.tls.bundle=test")
            .run((context) -> {
                TlsSettings tls = context.getBean(HotPool.class).config().tls();
                assertThat(tls.name()).isEqualTo("test");
                assertThat(tls.trustStore()).isNotNull();
                assertThat(tls.trustStore().size()).isEqualTo(
                        context.getBean(SslBundles.class).getBundle("test").getStores().getTrustStore().size());
                assertThat(tls.keyStore()).isNull();
            });
    }

    @Test
    void httpClientSettingsReachTheFactories() {
        this.contextRunner
            .withPropertyValues("spring.http.clients.connect-timeout=2s", "spring.http.clients.read-timeout=3s",
                    "spring.http.clients.redirects=dont-follow")
            .run((context) -> {
                HotPoolClientHttpRequestFactory factory = (HotPoolClientHttpRequestFactory) context
                    .getBean(ClientHttpRequestFactory.class);
                assertThat(factory.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
                assertThat(factory.readTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(factory.redirects()).isEqualTo(RedirectPolicy.DONT_FOLLOW);
                assertThat(factory.tls()).isNull();
                HotPoolClientHttpRequestFactory fromRestTemplate = (HotPoolClientHttpRequestFactory) context
                    .getBean(RestTemplateBuilder.class)
                    .build()
                    .getRequestFactory();
                assertThat(fromRestTemplate.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
                assertThat(fromRestTemplate.pool()).isSameAs(factory.pool());
            });
    }

    @Test
    void withoutHttpClientSettingsTheFactoriesUseThePoolsTimeouts() {
        this.contextRunner.run((context) -> {
            HotPoolClientHttpRequestFactory factory = (HotPoolClientHttpRequestFactory) context
                .getBean(ClientHttpRequestFactory.class);
            assertThat(factory.connectTimeout()).isNull();
            assertThat(factory.readTimeout()).isNull();
            assertThat(factory.redirects()).isEqualTo(RedirectPolicy.FOLLOW);
        });
    }

    @Test
    @Timeout(60) // A guard: with the pool's 10-minute read timeout, a lost setting would hang here.
    void readTimeoutFromSpringHttpClientsEndsARequestTheServerNeverAnswers() throws Exception {
        try (StubServer silent = StubServer.http((request, exchange) -> {
        })) {
            this.contextRunner
                .withPropertyValues("hotpool.read-timeout=10m", "spring.http.clients.read-timeout=200ms")
                .run((context) -> {
                    RestClient restClient = context.getBean(RestClient.Builder.class).build();
                    assertThatExceptionOfType(ResourceAccessException.class)
                        .isThrownBy(() -> restClient.get().uri(silent.uri("/silent")).retrieve().body(String.class))
                        .withRootCauseInstanceOf(SocketTimeoutException.class);
                });
        }
    }

    @Test
    void sslBundleFromSpringHttpClientsGivesTheFactoriesOneSharedTlsSettings(@TempDir Path dir) {
        Path trustStore = TestCertificates.localhost(KeyType.EC).writeTrustStore(dir.resolve("trust.p12"));
        this.contextRunner.withPropertyValues(trustBundle("clients", trustStore))
            .withPropertyValues("spring.http.clients.ssl.bundle=clients")
            .run((context) -> {
                HotPoolClientHttpRequestFactory first = (HotPoolClientHttpRequestFactory) context
                    .getBean(RestTemplateBuilder.class)
                    .build()
                    .getRequestFactory();
                HotPoolClientHttpRequestFactory second = context.getBean(HotPoolClientHttpRequestFactoryBuilder.class)
                    .build(context.getBean(HttpClientSettings.class));
                assertThat(first.tls()).isNotNull();
                assertThat(first.tls().name()).isEqualTo("clients");
                assertThat(second.tls()).isSameAs(first.tls());
                assertThat(context.getBean(HotPool.class).config().tls()).isSameAs(TlsSettings.defaults());
            });
    }

    @Test
    void sameBundleForThePoolAndSpringHttpClientsSharesOneTlsSettings(@TempDir Path dir) {
        Path trustStore = TestCertificates.localhost(KeyType.EC).writeTrustStore(dir.resolve("trust.p12"));
        this.contextRunner.withPropertyValues(trustBundle("shared", trustStore))
            .withPropertyValues("hotpool.tls.bundle=shared", "spring.http.clients.ssl.bundle=shared")
            .run((context) -> {
                HotPoolClientHttpRequestFactory factory = (HotPoolClientHttpRequestFactory) context
                    .getBean(ClientHttpRequestFactory.class);
                assertThat(factory.tls()).isSameAs(context.getBean(HotPool.class).config().tls());
            });
    }

    @Test
    void bundleFromRestClientSslIsTrustedByThatClientOnly(@TempDir Path dir) throws Exception {
        TestCertificates certificates = TestCertificates.localhost(KeyType.RSA);
        Path trustStore = certificates.writeTrustStore(dir.resolve("trust.p12"));
        try (StubServer server = StubServer.https(certificates.serverContext())) {
            this.contextRunner.withPropertyValues(trustBundle("server", trustStore)).run((context) -> {
                RestClient trusting = context.getBean(RestClient.Builder.class)
                    .apply(context.getBean(RestClientSsl.class).fromBundle("server"))
                    .build();
                RestClient plain = context.getBean(RestClient.Builder.class).build();

                assertThat(trusting.get().uri(server.uri("/trusted")).retrieve().body(String.class))
                    .isEqualTo("/trusted");
                assertThatExceptionOfType(ResourceAccessException.class)
                    .isThrownBy(() -> plain.get().uri(server.uri("/untrusted")).retrieve().body(String.class));
                assertThat(server.requestsServed()).isEqualTo(1);
            });
        }
    }

    @Test
    void sslBundleOptionsNarrowTheConnectionsTlsAndBadOnesFailNamingTheBundle(@TempDir Path dir) throws Exception {
        TestCertificates certificates = TestCertificates.localhost(KeyType.EC);
        Path trustStore = certificates.writeTrustStore(dir.resolve("trust.p12"));
        try (StubServer server = StubServer.https(certificates.serverContext())) {
            this.contextRunner.withPropertyValues(trustBundle("narrow", trustStore))
                .withPropertyValues(trustBundle("typo", trustStore))
                .withPropertyValues("hotpool.tls.bundle=narrow",
                        "spring.ssl.bundle.jks.narrow.options.enabled-protocols=TLSv1.3",
                        "spring.ssl.bundle.jks.narrow.options.ciphers=TLS_CHACHA20_POLY1305_SHA256",
                        "spring.ssl.bundle.jks.typo.options.ciphers=TLS_CHACHA20_POLY1305_SHA257")
                .run((context) -> {
                    HotPool pool = context.getBean(HotPool.class);
                    RestClient narrow = context.getBean(RestClient.Builder.class).build();
                    RestClient typo = context.getBean(RestClient.Builder.class)
                        .apply(context.getBean(RestClientSsl.class).fromBundle("typo"))
                        .build();

                    assertThat(narrow.get().uri(server.uri("/narrow")).retrieve().body(String.class))
                        .isEqualTo("/narrow");
                    assertThat(pool.connections(dev.hotpool.Origin.of(server.uri("/"))))
                        .singleElement()
                        .satisfies((connection) -> assertThat(connection.cipher())
                            .isEqualTo("TLS_CHACHA20_POLY1305_SHA256"));
                    assertThatExceptionOfType(ResourceAccessException.class)
                        .isThrownBy(() -> typo.get().uri(server.uri("/typo")).retrieve().body(String.class))
                        .withMessageContaining("TLS settings 'typo'")
                        .withMessageContaining("lists cipher suites BouncyCastle JSSE does not support:"
                                + " [TLS_CHACHA20_POLY1305_SHA257] (options.ciphers)");
                    // The failed connection never completed a handshake nor joined the pool, which goes on serving
                    // on the one connection it has.
                    assertThat(narrow.get().uri(server.uri("/again")).retrieve().body(String.class))
                        .isEqualTo("/again");
                    assertThat(server.connectionsAccepted()).isEqualTo(1);
                    assertThat(server.requestsServed()).isEqualTo(2);
                });
        }
    }

    @Test
    void poolBundleWithOptionsTheProviderCannotHonourFailsTheStartup(@TempDir Path dir) {
        Path trustStore = TestCertificates.localhost(KeyType.EC).writeTrustStore(dir.resolve("trust.p12"));
        this.contextRunner.withPropertyValues(trustBundle("typo", trustStore))
            .withPropertyValues("hotpool.tls.bundle=typo", "hotpool.tls.profile=modern",
                    "spring.ssl.bundle.jks.typo.options.ciphers=TLS_AES_128_GCM_SHA256,TLS_AES_128_GCM_SHA257")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessage("hotpool.tls.bundle (typo) cannot be used: SSL bundle 'typo' lists cipher suites"
                        + " BouncyCastle JSSE does not support: [TLS_AES_128_GCM_SHA257] (options.ciphers)"));
        this.contextRunner.withPropertyValues(trustBundle("old", trustStore))
            .withPropertyValues("hotpool.tls.bundle=old", "hotpool.tls.profile=modern",
                    "spring.ssl.bundle.jks.old.options.enabled-protocols=TLSv1.2")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessage("hotpool.tls.bundle (old) cannot be used: SSL bundle 'old' enables only [TLSv1.2]"
                        + " (options.enabled-protocols), and TLS profile 'modern' offers [TLSv1.3]: no protocol in"
                        + " common"));
    }

    @Test
    void bundleFromSpringHttpClientsIsTrustedByTheInjectedBuilders(@TempDir Path dir) throws Exception {
        TestCertificates certificates = TestCertificates.localhost(KeyType.EC);
        Path trustStore = certificates.writeTrustStore(dir.resolve("trust.p12"));
        try (StubServer server = StubServer.https(certificates.serverContext())) {
            this.contextRunner.withPropertyValues(trustBundle("server", trustStore))
                .withPropertyValues("spring.http.clients.ssl.bundle=server")
                .run((context) -> {
                    RestTemplate restTemplate = context.getBean(RestTemplateBuilder.class).build();
                    RestClient restClient = context.getBean(RestClient.Builder.class).build();
                    assertThat(restTemplate.getForObject(server.uri("/one"), String.class)).isEqualTo("/one");
                    assertThat(restClient.get().uri(server.uri("/two")).retrieve().body(String.class))
                        .isEqualTo("/two");
                    // One bundle, one TlsSettings: the second client reused the first one's connection.
                    assertThat(server.connectionsAccepted()).isEqualTo(1);
                });
        }
    }

    @Test
    void builderCustomizersForAnyBuilderOrForHotpoolsApplyAndThoseForAnotherClientAreSkipped() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        try (StubServer server = StubServer.http()) {
            this.contextRunner.withBean(AnyBuilderCustomizer.class, () -> new AnyBuilderCustomizer(calls))
                .withBean(HotPoolBuilderCustomizer.class, () -> new HotPoolBuilderCustomizer(calls))
                .withBean(JdkBuilderCustomizer.class, () -> new JdkBuilderCustomizer(calls))
                .run((context) -> {
                    assertThat(calls).containsExactlyInAnyOrder("any builder: HotPoolClientHttpRequestFactoryBuilder",
                            "hotpool builder");
                    calls.clear();

                    RestClient restClient = context.getBean(RestClient.Builder.class).build();
                    String body = restClient.get().uri(server.uri("/customized")).retrieve().body(String.class);

                    assertThat(body).isEqualTo("/customized");
                    assertThat(calls).containsExactly("factory: HotPoolClientHttpRequestFactory");
                    assertThat(context.getBean(HotPool.class).stats().leases()).isEqualTo(1);
                    assertThat(server.connectionsAccepted()).isEqualTo(1);
                });
        }
    }

    /**
     * Records that it was called and returns the builder as it came; a subclass per builder type it is declared for
     * (Boot matches customizers to builders by that type).
     */
    abstract static class RecordingCustomizer<B extends ClientHttpRequestFactoryBuilder<?>>
            implements ClientHttpRequestFactoryBuilderCustomizer<B> {

        final List<String> calls;

        private final String label;

        RecordingCustomizer(List<String> calls, String label) {
            this.calls = calls;
            this.label = label;
        }

        @Override
        public B customize(B builder) {
            this.calls.add(this.label);
            return builder;
        }
    }

    static final class AnyBuilderCustomizer extends RecordingCustomizer<ClientHttpRequestFactoryBuilder<?>> {

        AnyBuilderCustomizer(List<String> calls) {
            super(calls, "any builder");
        }

        @Override
        public ClientHttpRequestFactoryBuilder<?> customize(ClientHttpRequestFactoryBuilder<?> builder) {
            this.calls.add("any builder: " + builder.getClass().getSimpleName());
            return builder.withCustomizer((factory) -> this.calls.add("factory: " + factory.getClass().getSimpleName()));
        }
    }

    static final class HotPoolBuilderCustomizer extends RecordingCustomizer<HotPoolClientHttpRequestFactoryBuilder> {

        HotPoolBuilderCustomizer(List<String> calls) {
            super(calls, "hotpool builder");
        }
    }

    static final class JdkBuilderCustomizer extends RecordingCustomizer<JdkClientHttpRequestFactoryBuilder> {

        JdkBuilderCustomizer(List<String> calls) {
            super(calls, "jdk builder");
        }
    }

    private static String[] trustBundle(String name, Path trustStore) {
        String prefix = "spring.ssl.bundle.jks." + name + ".truststore.";
        return new String[] { prefix + "location=" + trustStore.toUri(),
                prefix + "password=" + new String(TestCertificates.PASSWORD), prefix + "type=PKCS12" };
    }
}
