package dev.hotpool.autoconfigure.actuate;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;

import dev.hotpool.ConnectException;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The endpoint's per-host rows name the phase in which the last connect to the host failed ({@code dns},
 * {@code tcp}), with when, also for a host the pool never got a connection to.
 */
class HotPoolEndpointConnectFailureTests {

    private static final JsonMapper json = JsonMapper.builder().build();

    private final HotPool pool = new HotPool(HotPoolConfig.builder().resolver((host) -> {
        if (host.equals("nowhere.test")) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.getLoopbackAddress());
    }).build());

    private final HotPoolEndpoint endpoint = new HotPoolEndpoint(this.pool, () -> null);

    @AfterEach
    void close() {
        this.pool.close();
    }

    @Test
    void hostRowsShowThePhaseThatFailedAndWhen() throws Exception {
        int refused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = s.getLocalPort(); // Closed at once: nothing listens there.
        }
        Instant before = Instant.now();
        assertThatThrownBy(() -> this.pool.execute(HotRequest.get(URI.create("http://localhost:" + refused + "/"))))
            .isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> this.pool.execute(HotRequest.get(URI.create("http://nowhere.test/"))))
            .isInstanceOf(ConnectException.class);

        JsonNode hosts = json.readTree(json.writeValueAsString(this.endpoint.hotpool())).path("hosts");
        JsonNode tcp = hosts.path("localhost:" + refused).path("lastConnectFailure");
        assertThat(tcp.propertyNames()).containsExactly("phase", "at", "message");
        assertThat(tcp.path("phase").asString()).isEqualTo("tcp");
        assertThat(Instant.parse(tcp.path("at").asString())).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(tcp.path("message").asString()).contains("127.0.0.1:" + refused);
        assertThat(hosts.path("localhost:" + refused).path("connections").asInt()).isZero();
        assertThat(hosts.path("nowhere.test:80").path("lastConnectFailure").path("phase").asString())
            .isEqualTo("dns");
        assertThat(this.endpoint.host("nowhere.test:80").lastConnectFailure().phase()).isEqualTo("dns");
    }
}
