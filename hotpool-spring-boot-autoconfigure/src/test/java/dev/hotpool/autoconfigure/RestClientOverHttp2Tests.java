package dev.hotpool.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.hotpool.HotPool;
import dev.hotpool.testsupport.JettyH2Server;
import dev.hotpool.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user's path to HTTP/2: {@code hotpool.protocols: h2, http/1.1} and nothing else, and an injected
 * {@code RestClient} talks HTTP/2 to Jetty 12 over TLS, many threads' requests as streams of one connection.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = { "hotpool.protocols=h2, http/1.1",
        "hotpool.max-conns-per-host=8", "hotpool.tls.bundle=test-server" })
@DirtiesContext
class RestClientOverHttp2Tests {

    private static Path dir;

    private static JettyH2Server jetty;

    @Autowired
    private RestClient.Builder restClientBuilder;

    @Autowired
    private HotPool pool;

    @BeforeAll
    static void startServer() throws Exception {
        TestCertificates certificates = TestCertificates.localhost(TestCertificates.KeyType.EC);
        dir = Files.createTempDirectory("hotpool-h2-test");
        certificates.writeTrustStore(dir.resolve("trust.p12"));
        jetty = JettyH2Server.start(certificates);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (jetty != null) {
            jetty.close();
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
    void eightThreadsShareOneHttp2Connection() throws Exception {
        RestClient restClient = this.restClientBuilder.build();
        String uri = "https://localhost:" + jetty.tlsPort() + "/";
        ExecutorService executor = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(executor.submit(() -> {
                    List<String> bodies = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        ResponseEntity<String> r = restClient.get().uri(uri).retrieve().toEntity(String.class);
                        bodies.add(r.getStatusCode().value() + " " + r.getBody());
                    }
                    return bodies;
                }));
            }
            for (Future<List<String>> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).containsOnly("200 jetty HTTP/2.0");
            }
        }
        finally {
            executor.shutdownNow();
        }
        assertThat(this.pool.stats().created()).isEqualTo(1);
        assertThat(this.pool.stats().leases()).isEqualTo(400);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

    }
}
