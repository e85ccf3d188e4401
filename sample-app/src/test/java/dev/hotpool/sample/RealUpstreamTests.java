package dev.hotpool.sample;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code sample.upstream.url} set, the sample calls that upstream and starts no embedded one; a call that
 * fails is reported in the aggregator's answer with its reason instead of failing the page. The "real" upstream
 * here is a closed loopback port, so nothing leaves the machine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = { "sample.upstream.url=https://localhost:1", "hotpool.tls.bundle=", "hotpool.warmup.hosts=",
                "hotpool.health-check-interval=1h" })
class RealUpstreamTests {

    @Autowired
    private ApplicationContext context;

    @Autowired
    private UpstreamProperties upstream;

    @Autowired
    private AggregatorService aggregator;

    @Test
    void callsTheConfiguredUpstreamAndStartsNoEmbeddedOne() {
        assertThat(this.upstream.isEmbedded()).isFalse();
        assertThat(this.context.getBeanNamesForType(EmbeddedUpstream.class)).isEmpty();
        AggregatorService.Aggregate page = this.aggregator.aggregate();
        assertThat(page.upstream()).isEqualTo("https://localhost:1");
        assertThat(page.parts()).hasSize(3).allSatisfy((part) -> {
            assertThat(part.status()).isZero();
            assertThat(part.error()).contains("localhost:1");
        });
    }
}
