package dev.hotpool.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.hotpool.FilteredAddressException;
import dev.hotpool.HotPool;
import dev.hotpool.spring.HotPoolClientHttpRequestFactory;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.FilteredHostException;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.InetAddressFilter;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What Spring Boot 4.1's {@code HttpClientSettings} add, on hotpool: its {@code InetAddressFilter} (Boot's guard
 * against server-side request forgery) and its cookie handling. Runs only with {@code -Pboot41}.
 */
class Boot41ClientSettingsTests {

    private final List<String> seen = new CopyOnWriteArrayList<>();

    private final StubServer server = StubServer.http((req, ex) -> {
        this.seen.add(req.target() + " cookie=" + req.header("Cookie"));
        if (req.target().equals("/login")) {
            ex.respond(200, "in", "Set-Cookie: sid=abc; Path=/");
        }
        else {
            ex.respond(200, "ok");
        }
    });

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class, SslAutoConfiguration.class,
                HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
                RestClientAutoConfiguration.class));

    Boot41ClientSettingsTests() throws IOException {
    }

    @AfterEach
    void stop() {
        this.server.close();
    }

    private String url(String path) {
        return "http://localhost:" + this.server.port() + path;
    }

    @Configuration(proxyBeanMethods = false)
    static class ExternalOnly {

        @Bean
        InetAddressFilter externalOnly() {
            return InetAddressFilter.externalAddresses();
        }
    }

    @Test
    void anInetAddressFilterBeanRefusesLocalhostWithBootsOwnExceptionAndNothingIsSent() {
        this.contextRunner.withUserConfiguration(ExternalOnly.class).run((context) -> {
            RestClient client = context.getBean(RestClient.Builder.class).build();

            assertThatExceptionOfType(FilteredHostException.class)
                .isThrownBy(() -> client.get().uri(url("/secret")).retrieve().body(String.class))
                .satisfies(e -> assertThat(e.getHost()).isEqualTo("localhost"))
                .withCauseInstanceOf(FilteredAddressException.class)
                .satisfies(e -> assertThat(e.getCause()).hasMessageStartingWith(
                        "hotpool: connecting to localhost at 127.0.0.1 is refused by the address filter Spring Boot's "
                                + "InetAddressFilter; nothing was sent"));
            assertThat(this.server.connectionsAccepted()).isZero();
            assertThat(context.getBean(HotPool.class).stats().total()).isZero();
        });
    }

    @Test
    void throughAProxyTheInetAddressFilterStillRefusesTheOriginBeforeTheProxyHearsOfIt() throws IOException {
        try (TestProxy proxy = TestProxy.start()) {
            this.contextRunner.withUserConfiguration(ExternalOnly.class)
                .withPropertyValues("hotpool.proxy.url=" + proxy.url())
                .run((context) -> {
                    RestClient client = context.getBean(RestClient.Builder.class).build();

                    assertThatExceptionOfType(FilteredHostException.class)
                        .isThrownBy(() -> client.get().uri(url("/secret")).retrieve().body(String.class))
                        .withCauseInstanceOf(FilteredAddressException.class);
                    assertThat(proxy.connectionsAccepted()).as("nothing sent to the proxy").isZero();
                    assertThat(this.server.connectionsAccepted()).isZero();
                });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DenySecondLoopback {

        @Bean
        InetAddressFilter denySecondLoopback() {
            return InetAddressFilter.not("127.0.0.2/32");
        }
    }

    @Test
    void withAFilterBeanRequestsRunOnTheConnectionsWarmUpOpened() {
        this.contextRunner.withUserConfiguration(DenySecondLoopback.class)
            .withPropertyValues("hotpool.warmup.hosts=" + url(""), "hotpool.warmup.min-idle-per-host=2",
                    "hotpool.warmup.wait-on-startup=10s", "hotpool.health-check.enabled=false")
            .run((context) -> {
                HotPool pool = context.getBean(HotPool.class);
                assertThat(pool.awaitWarmup(Duration.ofSeconds(10))).isTrue();
                Await.until(() -> this.server.connectionsAccepted() == 2); // The stub counts on its own thread.
                RestClient client = context.getBean(RestClient.Builder.class).build();

                for (int i = 0; i < 5; i++) {
                    assertThat(client.get().uri(url("/page")).retrieve().body(String.class)).isEqualTo("ok");
                }

                assertThat(this.server.connectionsAccepted()).as("no connection beyond the warm ones").isEqualTo(2);
                assertThat(pool.stats().total()).isEqualTo(2);
            });
    }

    @Test
    void withoutAFilterTheSameRequestIsAnswered() {
        this.contextRunner.run((context) -> {
            RestClient client = context.getBean(RestClient.Builder.class).build();
            assertThat(client.get().uri(url("/open")).retrieve().body(String.class)).isEqualTo("ok");
        });
    }

    @Test
    void aFactoryBuiltWithAFilterInItsSettingsIsRefusedAndOneWithoutIsNotAndTheyShareNoConnection() {
        this.contextRunner.run((context) -> {
            ClientHttpRequestFactoryBuilder<?> builder = context.getBean(ClientHttpRequestFactoryBuilder.class);
            HotPoolClientHttpRequestFactory filtered = (HotPoolClientHttpRequestFactory) builder
                .build(HttpClientSettings.defaults().withInetAddressFilter(InetAddressFilter.externalAddresses()));
            HotPoolClientHttpRequestFactory open = (HotPoolClientHttpRequestFactory) builder
                .build(HttpClientSettings.defaults());

            assertThat(RestClient.builder().requestFactory(open).build().get().uri(url("/a")).retrieve()
                .body(String.class)).isEqualTo("ok");
            assertThatExceptionOfType(FilteredHostException.class).isThrownBy(() -> RestClient.builder()
                .requestFactory(filtered).build().get().uri(url("/b")).retrieve().body(String.class));
            assertThat(this.seen).containsExactly("/a cookie=null");
        });
    }

    @Test
    void cookieHandlingEnableKeepsEachClientsCookiesAndNeverSharesThem() {
        this.contextRunner.withPropertyValues("spring.http.clients.cookie-handling=enable").run((context) -> {
            RestClient first = context.getBean(RestClient.Builder.class).build();
            RestClient second = context.getBean(RestClient.Builder.class).build();

            first.get().uri(url("/login")).retrieve().body(String.class);
            first.get().uri(url("/page")).retrieve().body(String.class);
            second.get().uri(url("/page")).retrieve().body(String.class);

            assertThat(this.seen).containsExactly("/login cookie=null", "/page cookie=sid=abc", "/page cookie=null");
        });
    }

    @Test
    void cookieHandlingEnableWhenPossibleDisableAndNoneKeepNoCookies() {
        for (String handling : new String[] { "enable-when-possible", "disable", null }) {
            this.seen.clear();
            ApplicationContextRunner runner = (handling != null)
                    ? this.contextRunner.withPropertyValues("spring.http.clients.cookie-handling=" + handling)
                    : this.contextRunner;
            runner.run((context) -> {
                RestClient client = context.getBean(RestClient.Builder.class).build();
                client.get().uri(url("/login")).retrieve().body(String.class);
                client.get().uri(url("/page")).retrieve().body(String.class);
            });
            assertThat(this.seen).as(String.valueOf(handling)).containsExactly("/login cookie=null",
                    "/page cookie=null");
        }
    }
}
