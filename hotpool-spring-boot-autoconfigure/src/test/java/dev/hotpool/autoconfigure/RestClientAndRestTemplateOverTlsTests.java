package dev.hotpool.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.hotpool.HotPool;
import dev.hotpool.spring.HotPoolClientHttpRequestFactory;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user's path: an application with the starter injects a {@code RestClient.Builder} and a
 * {@code RestTemplateBuilder} and, with nothing but properties, talks HTTPS over hotpool's kept-alive
 * connections, trusting the server through an SSL bundle.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE,
        properties = { "hotpool.max-conns-per-host=4", "hotpool.tls.bundle=test-server" })
@DirtiesContext // Closes the pool (and its connections) before the server stops.
class RestClientAndRestTemplateOverTlsTests {

    private static final int THREADS = 8;

    private static final int REQUESTS = 1000;

    private static Path dir;

    private static StubServer server;

    @Autowired
    private RestClient.Builder restClientBuilder;

    @Autowired
    private RestTemplateBuilder restTemplateBuilder;

    @Autowired
    private HotPool pool;

    @BeforeAll
    static void startServer() throws IOException {
        TestCertificates certificates = TestCertificates.localhost(TestCertificates.KeyType.RSA);
        dir = Files.createTempDirectory("hotpool-tls-test");
        certificates.writeTrustStore(dir.resolve("trust.p12"));
        server = StubServer.https(certificates.serverContext());
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            FileSystemUtils.deleteRecursively(dir);
        }
    }

    @DynamicPropertySource
    static void sslBundle(DynamicPropertyRegistry registry) {
        registry.add("spring.ssl.bundle.jks.test-server.truststore.location",
                () -> dir.resolve("trust.p12").toUri().toString());
        registry.add("spring.ssl.bundle.jks.test-server.truststore.password",
                () -> new String(TestCertificates.PASSWORD));
        registry.add("spring.ssl.bundle.jks.test-server.truststore.type", () -> "PKCS12");
    }

    @Test
    void thousandRequestsFromEightThreadsShareAtMostFourTlsConnections() throws Exception {
        RestClient restClient = this.restClientBuilder.build();
        RestTemplate restTemplate = this.restTemplateBuilder.build();
        assertThat(restTemplate.getRequestFactory()).isInstanceOf(HotPoolClientHttpRequestFactory.class);

        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int t = thread;
                results.add(executor.submit(() -> {
                    List<String> mismatches = new ArrayList<>();
                    for (int i = t; i < REQUESTS; i += THREADS) {
                        String path = ((i % 2 == 0) ? "/rest-client/" : "/rest-template/") + i;
                        String body = (i % 2 == 0)
                                ? restClient.get().uri(server.uri(path)).retrieve().body(String.class)
                                : restTemplate.getForObject(server.uri(path), String.class);
                        if (!path.equals(body)) {
                            mismatches.add(path + " -> " + body);
                        }
                    }
                    return mismatches;
                }));
            }
            List<String> mismatches = new ArrayList<>();
            for (Future<List<String>> result : results) {
                mismatches.addAll(result.get());
            }
            assertThat(mismatches).isEmpty();
        }
        finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }

        assertThat(server.requestsServed()).isEqualTo(REQUESTS);
        assertThat(server.connectionsAccepted()).isBetween(1, 4);
        assertThat(this.pool.stats().created()).isLessThanOrEqualTo(4);
        System.out.println("hotpool: " + REQUESTS + " requests over " + server.connectionsAccepted()
                + " TLS connections (server side); pool " + this.pool.stats());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApplication {

    }
}
