package dev.hotpool.metrics;

import dev.hotpool.CloseReason;
import dev.hotpool.ConnectFailure;
import dev.hotpool.ConnectPhase;
import dev.hotpool.ConnectionInfo;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Origin;
import dev.hotpool.TrafficStats;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestCertificates;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The events a pool reports, its traffic counters and its per-connection rows. */
class PoolListenerTests {

    /** Counts every event by name. */
    static final class CountingListener implements PoolListener {

        final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        private void count(String event) {
            this.counts.computeIfAbsent(event, e -> new LongAdder()).increment();
        }

        long count(String event, int ignored) {
            LongAdder n = this.counts.get(event);
            return n == null ? 0 : n.sum();
        }

        @Override
        public void connectionOpened(Origin origin, InetAddress address) {
            count("opened");
        }

        @Override
        public void connectionClosed(Origin origin, CloseReason reason) {
            count("closed:" + reason);
        }

        @Override
        public void acquired(Origin origin, long waitNanos, boolean reused) {
            count(reused ? "acquired:reused" : "acquired:new");
        }

        @Override
        public void acquireFailed(Origin origin) {
            count("acquireFailed");
        }

        @Override
        public void released(Origin origin, long heldNanos) {
            count("released");
        }

        @Override
        public void requestCompleted(Origin origin, boolean succeeded, boolean retried) {
            count(succeeded ? "request:ok" : "request:failed");
        }

        @Override
        public void connect(Origin origin, InetAddress address, boolean succeeded, long nanos) {
            count(succeeded ? "connect:success" : "connect:failure");
        }

        @Override
        public void connectFailed(Origin origin, ConnectPhase phase, Exception cause) {
            count("connectFailed:" + phase);
        }
    }

    private final CountingListener listener = new CountingListener();
    private StubServer server;
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server);

    private void get(String path) throws IOException {
        try (HotResponse r = this.pool.execute(HotRequest.get(this.server.uri(path)))) {
            r.body().readAllBytes();
        }
    }

    @Test
    void requestsLeasesAndConnectionsAreReportedAndCounted() throws Exception {
        this.server = StubServer.http((req, ex) -> {
            if (req.target().equals("/broken")) {
                ex.raw("NOT HTTP\r\n\r\n");
            }
            else {
                ex.respond(200, "ok");
            }
        });
        this.pool = new HotPool(HotPoolConfig.builder().listener(this.listener).build());
        for (int i = 0; i < 4; i++) {
            get("/ok");
        }
        assertThatThrownBy(() -> get("/broken")).isInstanceOf(IOException.class);

        assertThat(this.listener.count("opened", 0)).isEqualTo(1); // The bad answer came on the reused connection.
        assertThat(this.listener.count("acquired:new", 0)).isEqualTo(1);
        assertThat(this.listener.count("acquired:reused", 0)).isEqualTo(4);
        assertThat(this.listener.count("released", 0)).isEqualTo(5);
        assertThat(this.listener.count("closed:ERROR", 0)).isEqualTo(1);
        assertThat(this.listener.count("request:ok", 0)).isEqualTo(4);
        assertThat(this.listener.count("request:failed", 0)).isEqualTo(1);

        TrafficStats traffic = this.pool.traffic();
        assertThat(traffic.requests()).isEqualTo(5);
        assertThat(traffic.succeeded()).isEqualTo(4);
        assertThat(traffic.failed()).isEqualTo(1);
        assertThat(traffic.reuseRatio()).isEqualTo(0.8);
        assertThat(traffic.handshakes()).isZero(); // Plain HTTP.
        assertThat(traffic.requestsByHost()).containsEntry("localhost:" + this.server.port(), 5L);
    }

    @Test
    void aFailedConnectIsReportedWithItsPhaseAndShownPerHost() throws Exception {
        TestCertificates untrusted = TestCertificates.forHosts(TestCertificates.KeyType.EC, "localhost");
        this.server = StubServer.https(untrusted.serverContext());
        int refused;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = s.getLocalPort();
        }
        this.pool = new HotPool(HotPoolConfig.builder().listener(this.listener).resolver((host) -> {
            if (host.equals("nowhere.test")) {
                throw new java.net.UnknownHostException(host);
            }
            return List.of(InetAddress.getLoopbackAddress());
        }).build());

        assertThatThrownBy(() -> this.pool.execute(HotRequest.get(java.net.URI.create("http://nowhere.test/"))))
            .isInstanceOf(dev.hotpool.ConnectException.class);
        assertThatThrownBy(() -> this.pool.execute(HotRequest.get(java.net.URI.create("http://localhost:" + refused
                + "/")))).isInstanceOf(dev.hotpool.ConnectException.class);
        assertThatThrownBy(() -> get("/")).isInstanceOf(IOException.class);

        assertThat(this.listener.count("connectFailed:DNS", 0)).isEqualTo(1);
        assertThat(this.listener.count("connectFailed:TCP", 0)).isEqualTo(1);
        assertThat(this.listener.count("connectFailed:TLS", 0)).isEqualTo(1);
        assertThat(this.listener.count("connect:failure", 0)).as("the refused attempt").isEqualTo(1);
        assertThat(this.listener.count("connect:success", 0)).as("the TCP connect under the failed handshake")
            .isEqualTo(1);
        Map<String, ConnectFailure> failures = this.pool.traffic().connectFailures();
        assertThat(failures.get("nowhere.test:80").phase()).isEqualTo(ConnectPhase.DNS);
        assertThat(failures.get("localhost:" + refused).phase()).isEqualTo(ConnectPhase.TCP);
        assertThat(failures.get("localhost:" + refused).message()).contains("localhost:" + refused);
        assertThat(failures.get("localhost:" + this.server.port()).phase()).isEqualTo(ConnectPhase.TLS);
    }

    @Test
    void acquireTimeoutIsReported() throws Exception {
        this.server = StubServer.http();
        this.pool = new HotPool(HotPoolConfig.builder().listener(this.listener).maxConnsPerHost(1)
                .acquireTimeout(Duration.ofMillis(50)).build());
        try (HotResponse held = this.pool.execute(HotRequest.get(this.server.uri("/")))) {
            assertThatThrownBy(() -> get("/")).isInstanceOf(IOException.class);
        }
        assertThat(this.listener.count("acquireFailed", 0)).isEqualTo(1);
        assertThat(this.pool.traffic().failed()).isEqualTo(1);
    }

    @Test
    void eachOpenConnectionHasARow() throws Exception {
        this.server = StubServer.http();
        this.pool = new HotPool(HotPoolConfig.builder().build());
        HotResponse held = this.pool.execute(HotRequest.get(this.server.uri("/")));
        get("/");
        get("/");

        List<ConnectionInfo> rows = this.pool.connections(Origin.of(this.server.uri("/")));

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).state()).isEqualTo("leased");
        assertThat(rows.get(0).requests()).isEqualTo(1);
        assertThat(rows.get(1).state()).isEqualTo("idle");
        assertThat(rows.get(1).requests()).isEqualTo(2);
        assertThat(rows.get(1).address()).startsWith("127.0.0.1:");
        assertThat(rows.get(1).protocol()).isEqualTo("TCP");
        assertThat(rows.get(1).cipher()).isNull();
        held.close();
    }
}
