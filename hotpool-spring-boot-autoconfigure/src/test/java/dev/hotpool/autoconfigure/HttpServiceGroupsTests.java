package dev.hotpool.autoconfigure;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolException;
import dev.hotpool.testsupport.StubServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * HTTP interface clients ({@code @ImportHttpServices}) run on hotpool, each group with its own
 * {@code spring.http.serviceclient.<group>.*} settings, all groups over the one pool.
 */
class HttpServiceGroupsTests {

    private final StubServer fast = StubServer.http(StubServer.ECHO_PATH);

    /** Holds the slow server's answers until the test ends. */
    private final CountDownLatch answer = new CountDownLatch(1);

    private final StubServer slow = StubServer.http((req, ex) -> {
        try {
            this.answer.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ex.respond(200, "late");
    });

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class, SslAutoConfiguration.class,
                HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
                RestClientAutoConfiguration.class, HttpServiceClientPropertiesAutoConfiguration.class,
                HttpServiceClientAutoConfiguration.class))
        .withUserConfiguration(Groups.class);

    HttpServiceGroupsTests() throws IOException {
    }

    @AfterEach
    void stop() {
        this.answer.countDown();
        this.fast.close();
        this.slow.close();
    }

    interface EchoClient {

        @GetExchange("/echo/{word}")
        String echo(@PathVariable String word);
    }

    interface SlowClient {

        @GetExchange("/slow")
        String slow();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportHttpServices(group = "echo", types = EchoClient.class)
    @ImportHttpServices(group = "slow", types = SlowClient.class)
    static class Groups {

    }

    @Test
    void eachGroupGetsItsBaseUrlAndTimeoutsAndAllGroupsShareThePool() {
        this.contextRunner
            .withPropertyValues("spring.http.serviceclient.echo.base-url=http://localhost:" + this.fast.port(),
                    "spring.http.serviceclient.slow.base-url=http://localhost:" + this.slow.port(),
                    "spring.http.serviceclient.slow.read-timeout=300ms")
            .run((context) -> {
                HotPool pool = context.getBean(HotPool.class);
                EchoClient echo = context.getBean(EchoClient.class);
                assertThat(echo.echo("one")).isEqualTo("/echo/one");
                assertThat(echo.echo("two")).isEqualTo("/echo/two");
                assertThat(this.fast.connectionsAccepted()).as("one kept-alive connection").isEqualTo(1);

                assertThatExceptionOfType(ResourceAccessException.class)
                    .isThrownBy(() -> context.getBean(SlowClient.class).slow())
                    .withCauseInstanceOf(HotPoolException.class)
                    .satisfies(e -> assertThat(e.getCause()).hasMessageContaining("within 300 ms (read timeout)"));

                assertThat(pool.stats().leases()).isEqualTo(3);
                assertThat(pool.traffic().requestsByHost()).containsKeys("localhost:" + this.fast.port(),
                        "localhost:" + this.slow.port());
            });
    }
}
