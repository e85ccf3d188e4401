package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.FilteredAddressException;
import dev.hotpool.HealthCheckReport;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Origin;
import dev.hotpool.net.AddressFilter;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Address filters (the pool's and a request's), on loopback: checked before anything is sent, and on reuse. */
class AddressFilterTests {

    private final StubServer server = StubServer.http(StubServer.ECHO_PATH);
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server);

    AddressFilterTests() throws IOException {
    }

    /** Allows every address but loopback while {@link #refusing}; names itself in messages. */
    private static final class NoLoopback implements AddressFilter {

        final AtomicBoolean refusing = new AtomicBoolean(true);

        @Override
        public boolean allows(InetAddress address) {
            return !(this.refusing.get() && address.isLoopbackAddress());
        }

        @Override
        public String toString() {
            return "no-loopback";
        }
    }

    private String get(HotRequest request) throws IOException {
        try (HotResponse response = this.pool.execute(request)) {
            return new String(response.body().readAllBytes());
        }
    }

    private HotRequest request(String path, AddressFilter filter) {
        return HotRequest.builder("GET", this.server.uri(path)).addressFilter(filter).build();
    }

    @Test
    void theFilterOfARequestRefusesBeforeAnythingIsSentAndNamesTheHostTheAddressAndTheFilter() throws IOException {
        this.pool = new HotPool();
        NoLoopback filter = new NoLoopback();

        assertThatThrownBy(() -> get(request("/", filter))).isInstanceOf(FilteredAddressException.class)
                .hasMessage("hotpool: connecting to localhost at 127.0.0.1 is refused by the address filter "
                        + "no-loopback; nothing was sent")
                .satisfies(e -> assertThat(((FilteredAddressException) e).host()).isEqualTo("localhost"));

        assertThat(this.server.connectionsAccepted()).isZero();
        assertThat(get(request("/other", null))).as("other requests are not filtered").isEqualTo("/other");
    }

    @Test
    void thePoolsFilterAppliesToEveryRequestAndToWarmUp() throws IOException, InterruptedException {
        NoLoopback filter = new NoLoopback();
        this.pool = new HotPool(HotPoolConfig.builder().addressFilter(filter)
                .warmupHosts(List.of(Origin.of(URI.create("http://127.0.0.1:" + this.server.port())))).build());
        this.pool.awaitWarmup(Duration.ofSeconds(10));

        assertThatThrownBy(() -> get(HotRequest.get(this.server.uri("/"))))
                .isInstanceOf(FilteredAddressException.class);
        assertThat(this.server.connectionsAccepted()).as("warm-up did not connect either").isZero();
    }

    @Test
    void requestsWithDifferentFiltersDoNotShareConnectionsAndOneFilterObjectDoes() throws IOException {
        this.pool = new HotPool();
        NoLoopback first = new NoLoopback();
        NoLoopback second = new NoLoopback();
        first.refusing.set(false);
        second.refusing.set(false);

        get(request("/a", first));
        get(request("/b", first));
        get(request("/c", second));
        get(request("/d", null));

        assertThat(this.server.connectionsAccepted()).isEqualTo(3);
    }

    @Test
    void anIdleConnectionToAnAddressTheFilterNowRefusesIsClosedNotReused() throws IOException {
        this.pool = new HotPool();
        NoLoopback filter = new NoLoopback();
        filter.refusing.set(false);
        get(request("/a", filter));
        assertThat(this.pool.stats().idle()).isEqualTo(1);

        filter.refusing.set(true);

        assertThatThrownBy(() -> get(request("/b", filter))).isInstanceOf(FilteredAddressException.class);
        assertThat(this.pool.stats().closed().get(CloseReason.EVICTED)).isEqualTo(1);
        assertThat(this.server.requestsServed()).isEqualTo(1);
    }

    @Test
    void theHealthCheckClosesIdleConnectionsTheFilterNowRefuses() throws IOException {
        this.pool = new HotPool();
        NoLoopback filter = new NoLoopback();
        filter.refusing.set(false);
        get(request("/a", filter));
        filter.refusing.set(true);

        HealthCheckReport report = this.pool.runHealthCheck();

        assertThat(report.closed()).containsEntry(CloseReason.EVICTED, 1);
        assertThat(this.pool.stats().total()).isZero();
    }
}
