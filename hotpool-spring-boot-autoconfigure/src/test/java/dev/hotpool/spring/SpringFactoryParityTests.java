package dev.hotpool.spring;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.SSLHandshakeException;

import dev.hotpool.autoconfigure.HotPoolAutoConfiguration;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Where hotpool's factory must behave as Spring's own factories do (HttpComponents, Jetty, Reactor Netty agree):
 * null header values, TLS failure types, customizers that change the factory, response compression, odd statuses.
 */
class SpringFactoryParityTests {

    private final List<String> seen = new CopyOnWriteArrayList<>();

    /** Holds {@code /slow} until the test ends. */
    private final CountDownLatch release = new CountDownLatch(1);

    private final StubServer server = StubServer.http((req, ex) -> {
        this.seen.add(req.target() + " X-Test-Header=[" + req.header("X-Test-Header") + "] Accept-Encoding="
                + req.header("Accept-Encoding"));
        switch (req.target()) {
            case "/slow" -> {
                try {
                    this.release.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.respond(200, "late");
            }
            case "/gzip" -> {
                byte[] body = gzip("compressed hello");
                ex.raw("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .raw(body);
            }
            case "/555" -> ex.raw("HTTP/1.1 555 Custom\r\nContent-Length: 2\r\n\r\nok");
            case "/999" -> ex.raw("HTTP/1.1 999 \r\nContent-Length: 2\r\n\r\nok");
            case "/no-reason" -> ex.raw("HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok");
            default -> ex.respond(200, "ok");
        }
    });

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class, SslAutoConfiguration.class,
                HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
                RestClientAutoConfiguration.class));

    SpringFactoryParityTests() throws IOException {
    }

    @AfterEach
    void stop() {
        this.release.countDown();
        this.server.close();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private String url(String path) {
        return "http://localhost:" + this.server.port() + path;
    }

    @Test
    void aHeaderWithANullValueIsSentEmpty() {
        this.contextRunner.run((context) -> {
            RestClient client = context.getBean(RestClient.Builder.class).build();
            String body = client.get().uri(url("/null-header")).headers((h) -> h.add("X-Test-Header", null))
                .retrieve().body(String.class);
            assertThat(body).isEqualTo("ok");
            assertThat(this.seen).containsExactly("/null-header X-Test-Header=[] Accept-Encoding=null");
        });
    }

    @ParameterizedTest(name = "provider {0}")
    @ValueSource(strings = { "bc", "jdk" })
    void anUntrustedCertificateIsAnSslHandshakeExceptionForEitherProvider(String provider) throws Exception {
        try (StubServer https = StubServer.https(TestCertificates.localhost(TestCertificates.KeyType.EC)
            .serverContext())) {
            this.contextRunner.withPropertyValues("hotpool.tls.provider=" + provider).run((context) -> {
                RestClient client = context.getBean(RestClient.Builder.class).build();
                assertThatExceptionOfType(ResourceAccessException.class)
                    .isThrownBy(() -> client.get().uri("https://localhost:" + https.port() + "/").retrieve()
                        .body(String.class))
                    .withCauseInstanceOf(SSLHandshakeException.class)
                    .satisfies((e) -> assertThat(e.getCause()).hasMessageContaining("certificate not trusted"));
            });
        }
    }

    @Test
    void aCustomizerThatSetsTheReadTimeoutChangesTheRequests() {
        this.contextRunner.run((context) -> {
            ClientHttpRequestFactoryBuilder<?> builder = ((HotPoolClientHttpRequestFactoryBuilder) context
                .getBean(ClientHttpRequestFactoryBuilder.class))
                .withCustomizer((factory) -> factory.setReadTimeout(Duration.ofMillis(200)));
            ClientHttpRequestFactory factory = builder.build(HttpClientSettings.defaults());
            RestClient client = RestClient.builder().requestFactory(factory).build();

            assertThatExceptionOfType(ResourceAccessException.class)
                .isThrownBy(() -> client.get().uri(url("/slow")).retrieve().body(String.class))
                .satisfies((e) -> assertThat(e.getCause()).hasMessageContaining("within 200 ms (read timeout)"));
        });
    }

    @Test
    void withCompressionOnGzipIsAskedForAndDecodedAndWithoutItNot() {
        this.contextRunner.withPropertyValues("hotpool.compression.enabled=true").run((context) -> {
            ResponseEntity<String> response = context.getBean(RestClient.Builder.class).build().get()
                .uri(url("/gzip")).retrieve().toEntity(String.class);
            assertThat(response.getBody()).isEqualTo("compressed hello");
            assertThat(response.getHeaders().containsHeader("Content-Encoding")).isFalse();
        });
        this.contextRunner.run((context) -> context.getBean(RestClient.Builder.class).build().get()
            .uri(url("/plain")).retrieve().body(String.class));
        assertThat(this.seen).containsExactly("/gzip X-Test-Header=[null] Accept-Encoding=gzip, x-gzip, deflate",
                "/plain X-Test-Header=[null] Accept-Encoding=null");
    }

    @Test
    void statusesTheJdkDoesNotKnowAndAnEmptyReasonPhraseReachTheCaller() {
        this.contextRunner.run((context) -> {
            RestClient client = context.getBean(RestClient.Builder.class).build();
            for (String path : List.of("/555", "/999", "/no-reason")) {
                ResponseEntity<String> response = client.get().uri(url(path)).exchange((request, r) ->
                        ResponseEntity.status(r.getStatusCode()).body(r.getStatusText() + "|" + new String(
                                r.getBody().readAllBytes(), StandardCharsets.UTF_8)));
                assertThat(response.getStatusCode().value()).isEqualTo(path.equals("/no-reason") ? 200
                        : Integer.parseInt(path.substring(1)));
                assertThat(response.getBody()).endsWith("|ok");
            }
        });
    }
}
