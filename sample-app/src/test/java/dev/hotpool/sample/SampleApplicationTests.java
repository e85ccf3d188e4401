package dev.hotpool.sample;

import java.util.List;
import java.util.Map;

import dev.hotpool.HotPool;
import dev.hotpool.spring.HotPoolClientHttpRequestFactory;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application starts with the starter on its classpath, and {@code /demo} answers over hotpool.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

    @LocalServerPort
    private int port;

    @Autowired
    private RestClient.Builder restClientBuilder;

    @Autowired
    private RestTemplateBuilder restTemplateBuilder;

    @Autowired
    private HotPool pool;

    @Test
    void demoCallsHelloOverThePool() {
        Map<String, Object> demo = this.restClientBuilder.build()
            .get()
            .uri("http://localhost:" + this.port + "/demo")
            .retrieve()
            .body(new ParameterizedTypeReference<>() {
            });
        assertThat(demo).isNotNull();
        assertThat(demo.get("called")).isEqualTo("http://localhost:" + this.port + "/hello");
        assertThat((List<?>) demo.get("answers")).hasSize(3)
            .allSatisfy((answer) -> assertThat((String) answer).startsWith("hello from hotpool #"));
        // The test's own call to /demo and the three calls to /hello all went through the one pool.
        assertThat(this.pool.stats().leases()).isGreaterThanOrEqualTo(4);
        assertThat(this.pool.stats().reusedLeases()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void injectedBuildersRunOnHotpool() {
        assertThat(this.restTemplateBuilder.build().getRequestFactory())
            .isInstanceOf(HotPoolClientHttpRequestFactory.class);
        String hello = this.restTemplateBuilder.build().getForObject("http://localhost:" + this.port + "/hello",
                String.class);
        assertThat(hello).startsWith("hello from hotpool #");
    }
}
