package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.testsupport.StubServer;

import java.io.IOException;
import java.net.URI;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hotpool.max-requests-per-connection}: a connection is closed when it comes back from its last exchange. */
class MaxRequestsPerConnectionTests {

    private final StubServer server;
    private HotPool pool;

    MaxRequestsPerConnectionTests() throws IOException {
        this.server = StubServer.http((req, ex) -> ex.respond(200, "ok"));
    }

    @AfterEach
    void tearDown() {
        if (this.pool != null) {
            this.pool.close();
        }
        this.server.close();
    }

    private void get(URI uri) throws IOException {
        try (HotResponse response = this.pool.execute(HotRequest.get(uri))) {
            response.body().readAllBytes();
        }
    }

    @Test
    void aConnectionServesAtMostThatManyRequests() throws Exception {
        this.pool = new HotPool(HotPoolConfig.builder().maxRequestsPerConnection(3).build());

        for (int i = 0; i < 7; i++) {
            get(this.server.uri("/" + i));
        }

        assertThat(this.server.requestsServed()).isEqualTo(7);
        assertThat(this.server.connectionsAccepted()).as("3 + 3 + 1").isEqualTo(3);
        assertThat(this.pool.stats().closed().get(CloseReason.MAX_REQUESTS)).isEqualTo(2);
        assertThat(this.pool.stats().idle()).isEqualTo(1);
    }

    @Test
    void byDefaultAConnectionServesEveryRequest() throws Exception {
        this.pool = new HotPool(HotPoolConfig.DEFAULTS);

        for (int i = 0; i < 50; i++) {
            get(this.server.uri("/" + i));
        }

        assertThat(this.server.connectionsAccepted()).isEqualTo(1);
        assertThat(this.pool.stats().closed().get(CloseReason.MAX_REQUESTS)).isZero();
    }
}
