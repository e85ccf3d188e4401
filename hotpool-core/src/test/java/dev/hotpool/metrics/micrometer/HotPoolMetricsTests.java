package dev.hotpool.metrics.micrometer;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.ProxySettings;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.testsupport.TestProxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The meters of a pool, against real connections on loopback. */
class HotPoolMetricsTests {

    private static final TestCertificates certificates = TestCertificates.localhost(KeyType.EC);

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private final AtomicLong nanoTime = new AtomicLong();

    private StubServer server;

    private StubServer otherServer;

    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server, () -> this.otherServer);

    private HotPoolMetrics metrics(HotPoolMetrics.Options options) {
        return new HotPoolMetrics(options, this.nanoTime::get);
    }

    private HotPool pool(HotPoolMetrics metrics, HotPoolConfig.Builder builder) {
        this.pool = new HotPool(builder.listener(metrics).tls(certificates.clientSettings()).build());
        metrics.monitor(this.pool);
        return this.pool;
    }

    private void get(URI uri) throws IOException {
        try (HotResponse r = this.pool.execute(HotRequest.get(uri))) {
            r.body().readAllBytes();
        }
    }

    private double count(String name, String... tags) {
        return this.registry.get(name).tags(tags).functionCounter().count();
    }

    private double gauge(String name, String... tags) {
        return this.registry.get(name).tags(tags).gauge().value();
    }

    private long timerCount(String name, String... tags) {
        return this.registry.get(name).tags(tags).timer().count();
    }

    @Test
    void theProxyGaugeCountsTheConnectionsThroughTheConfiguredProxyAndExistsOnlyWithOne() throws Exception {
        try (TestProxy proxy = TestProxy.start()) {
            this.server = StubServer.https(certificates.serverContext());
            HotPoolMetrics metrics = metrics(HotPoolMetrics.Options.DEFAULTS);
            pool(metrics, HotPoolConfig.builder().name("proxied").proxy(ProxySettings.of(
                    HttpProxy.parse(proxy.url(), "svc", "pw"), java.util.List.of())));
            metrics.bindTo(this.registry);

            get(this.server.uri("/a"));
            get(this.server.uri("/b"));
            this.nanoTime.addAndGet(java.time.Duration.ofSeconds(2).toNanos()); // Past the snapshot's age.

            String tag = "127.0.0.1:" + proxy.port();
            assertThat(gauge("hotpool.proxy.connections", "pool", "proxied", "proxy", tag, "state", "idle")).isEqualTo(1);
            assertThat(gauge("hotpool.proxy.connections", "pool", "proxied", "proxy", tag, "state", "active")).isZero();
            assertThat(gauge("hotpool.connections", "pool", "proxied", "state", "idle")).isEqualTo(1);
            assertThat(proxy.connects()).isEqualTo(1);
            this.pool.close();
        }
        MeterRegistry direct = new SimpleMeterRegistry();
        HotPoolMetrics metrics = metrics(HotPoolMetrics.Options.DEFAULTS);
        pool(metrics, HotPoolConfig.builder().name("direct"));
        metrics.bindTo(direct);
        assertThat(direct.find("hotpool.proxy.connections").meters()).isEmpty();
        assertThat(direct.find("hotpool.connections").meters()).isNotEmpty();
    }

    @Test
    void countersAndTimersFollowThePoolsEvents() throws Exception {
        this.server = StubServer.https(certificates.serverContext());
        HotPoolMetrics metrics = metrics(HotPoolMetrics.Options.DEFAULTS);
        pool(metrics, HotPoolConfig.builder().name("backend"));
        metrics.bindTo(this.registry);

        for (int i = 0; i < 5; i++) {
            get(this.server.uri("/" + i));
        }
        assertThat(this.pool.evictIdle(null)).isEqualTo(1);

        assertThat(this.server.connectionsAccepted()).isEqualTo(1);
        assertThat(count("hotpool.connections.created", "pool", "backend")).isEqualTo(1);
        assertThat(count("hotpool.connections.closed", "pool", "backend", "reason", "evicted")).isEqualTo(1);
        assertThat(count("hotpool.connections.closed", "pool", "backend", "reason", "idle-timeout")).isZero();
        assertThat(timerCount("hotpool.connections.acquire", "pool", "backend")).isEqualTo(5);
        assertThat(timerCount("hotpool.connections.usage", "pool", "backend")).isEqualTo(5);
        assertThat(timerCount("hotpool.tls.handshake", "pool", "backend", "outcome", "success", "profile", "default"))
            .isEqualTo(this.server.connectionsAccepted());
        assertThat(count("hotpool.connections.timeout", "pool", "backend")).isZero();
        assertThat(count("hotpool.address.ejections", "pool", "backend")).isZero();
        assertThat(gauge("hotpool.connections.max", "pool", "backend")).isEqualTo(100);
        assertThat(metrics.created()).isEqualTo(this.pool.stats().created());
        assertThat(metrics.closed(CloseReason.EVICTED)).isEqualTo(1);
    }

    @Test
    void everyCloseReasonHasAKebabCaseCounterFromTheStart() throws Exception {
        this.server = StubServer.http();
        HotPoolMetrics metrics = metrics(HotPoolMetrics.Options.DEFAULTS);
        pool(metrics, HotPoolConfig.builder());
        metrics.bindTo(this.registry);

        List<String> reasons = this.registry.get("hotpool.connections.closed").functionCounters().stream()
            .map((c) -> c.getId().getTag("reason"))
            .sorted()
            .toList();

        assertThat(reasons).containsExactly("ejected", "error", "evicted", "idle-timeout", "max-lifetime",
                "max-requests", "server-closed", "shutdown", "stale", "unhealthy");
        assertThat(HotPoolMetrics.tagValue(CloseReason.SERVER_CLOSED)).isEqualTo("server-closed");
    }

    @Test
    void gaugesReadASnapshotThatIsRefreshedOnceASecondAtMost() throws Exception {
        this.server = StubServer.http();
        HotPoolMetrics metrics = metrics(HotPoolMetrics.Options.DEFAULTS);
        pool(metrics, HotPoolConfig.builder());
        metrics.bindTo(this.registry);

        HotResponse held = this.pool.execute(HotRequest.get(this.server.uri("/held")));
        assertThat(gauge("hotpool.connections", "state", "active")).isEqualTo(1);
        assertThat(gauge("hotpool.connections", "state", "idle")).isZero();
        assertThat(gauge("hotpool.connections", "state", "pending")).isZero();

        held.body().readAllBytes();
        held.close();
        this.nanoTime.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(gauge("hotpool.connections", "state", "active")).as("still the cached snapshot").isEqualTo(1);

        this.nanoTime.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(gauge("hotpool.connections", "state", "active")).isZero();
        assertThat(gauge("hotpool.connections", "state", "idle")).isEqualTo(1);
    }

    @Test
    void eventsBeforeBindingAreCountedAndTimed() throws Exception {
        this.server = StubServer.https(certificates.serverContext());
        HotPoolMetrics metrics = metrics(HotPoolMetrics.Options.DEFAULTS);
        pool(metrics, HotPoolConfig.builder());
        get(this.server.uri("/before"));
        get(this.server.uri("/before"));

        metrics.bindTo(this.registry);
        get(this.server.uri("/after"));

        assertThat(count("hotpool.connections.created")).isEqualTo(1);
        assertThat(timerCount("hotpool.connections.acquire")).isEqualTo(3);
        assertThat(timerCount("hotpool.connections.usage")).isEqualTo(3);
        assertThat(timerCount("hotpool.tls.handshake", "outcome", "success")).isEqualTo(1);
    }

    @Test
    void aFailedHandshakeIsTimedAsAFailure() throws Exception {
        TestCertificates untrusted = TestCertificates.forHosts(KeyType.RSA, "localhost", "127.0.0.1");
        this.server = StubServer.https(untrusted.serverContext());
        HotPoolMetrics metrics = metrics(HotPoolMetrics.Options.DEFAULTS);
        pool(metrics, HotPoolConfig.builder());
        metrics.bindTo(this.registry);

        assertThatThrownBy(() -> get(this.server.uri("/"))).isInstanceOf(IOException.class);

        assertThat(timerCount("hotpool.tls.handshake", "outcome", "failure", "profile", "default")).isEqualTo(1);
        assertThat(this.registry.find("hotpool.tls.handshake").tag("outcome", "success").timer()).isNull();
        assertThat(count("hotpool.connections.created")).isZero();
    }

    @Test
    void eachTcpConnectIsTimedByOutcomeBesideTheHandshake() throws Exception {
        this.server = StubServer.https(certificates.serverContext());
        HotPoolMetrics metrics = metrics(HotPoolMetrics.Options.DEFAULTS);
        pool(metrics, HotPoolConfig.builder().name("backend"));
        metrics.bindTo(this.registry);

        get(this.server.uri("/"));
        int refusedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusedPort = s.getLocalPort(); // Closed at once: nothing listens there.
        }
        assertThatThrownBy(() -> get(URI.create("http://127.0.0.1:" + refusedPort + "/")))
            .isInstanceOf(dev.hotpool.ConnectException.class);

        assertThat(timerCount("hotpool.connect", "pool", "backend", "outcome", "success")).isEqualTo(1);
        assertThat(timerCount("hotpool.connect", "pool", "backend", "outcome", "failure")).isEqualTo(1);
        assertThat(this.registry.get("hotpool.connect").tag("outcome", "success").timer().totalTime(
                java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
        assertThat(timerCount("hotpool.tls.handshake", "pool", "backend", "outcome", "success", "profile", "default"))
            .isEqualTo(1);
        assertThat(this.registry.find("http.client.open_connections").meters()).as("not by default").isEmpty();
        assertThat(this.registry.find("http.client.connection.duration").meters()).isEmpty();
    }

    @Test
    void otelNamingFollowsTheSemanticConventionsAndKeepsTheOtherMeters() throws Exception {
        this.server = StubServer.https(certificates.serverContext());
        HotPoolMetrics metrics = metrics(new HotPoolMetrics.Options(false, 100, HotPoolMetrics.Naming.OTEL));
        pool(metrics, HotPoolConfig.builder().name("backend"));
        metrics.bindTo(this.registry);
        String port = Integer.toString(this.server.uri("/").getPort());

        get(this.server.uri("/"));
        this.nanoTime.addAndGet(Duration.ofSeconds(2).toNanos());

        assertThat(gauge("http.client.open_connections", "pool", "backend", "http.connection.state", "idle",
                "server.address", "localhost", "server.port", port)).isEqualTo(1);
        assertThat(gauge("http.client.open_connections", "http.connection.state", "active", "server.address",
                "localhost", "server.port", port)).isZero();
        assertThat(this.registry.find("http.client.open_connections").meters())
            .extracting((m) -> m.getId().getTag("http.connection.state")).containsExactlyInAnyOrder("active", "idle");
        assertThat(this.registry.find("hotpool.connections").meters()).as("only leases waiting keep the old name")
            .extracting((m) -> m.getId().getTag("state")).containsExactly("pending");
        assertThat(this.registry.find("http.client.connection.duration").timers()).isEmpty();

        assertThat(this.pool.evictIdle(null)).isEqualTo(1);
        assertThat(timerCount("http.client.connection.duration", "pool", "backend", "server.address", "localhost",
                "server.port", port)).isEqualTo(1);
        assertThat(count("hotpool.connections.created", "server.address", "localhost", "server.port", port))
            .isEqualTo(1);
        assertThat(timerCount("hotpool.connect", "outcome", "success", "server.address", "localhost")).isEqualTo(1);
        assertThat(hotpoolMeters()).allSatisfy((m) -> assertThat(m.getId().getTag("host")).isNull());
        assertThat(this.registry.getMeters()).allSatisfy((m) -> assertThat(m.getId().getTag("network.peer.address"))
            .as("no per-address tags").isNull());
    }

    @Test
    void otelNamingBoundsServerAddressByMaxHosts() throws Exception {
        HotPoolMetrics metrics = metrics(new HotPoolMetrics.Options(false, 2, HotPoolMetrics.Naming.OTEL));
        pool(metrics, HotPoolConfig.builder());
        metrics.bindTo(this.registry);
        for (int i = 0; i < 50; i++) {
            metrics.connectionOpened(Origin.of("https", "host" + i + ".example.com", 443),
                    InetAddress.getLoopbackAddress());
        }
        assertThat(this.registry.find("hotpool.connections.created").meters())
            .extracting((m) -> m.getId().getTag("server.address"))
            .containsExactlyInAnyOrder("host0.example.com", "host1.example.com", "other");
        assertThat(count("hotpool.connections.created", "server.address", "other", "server.port", "other"))
            .isEqualTo(48);
    }

    @Test
    void aLeaseThatGetsNoConnectionIsATimeout() throws Exception {
        this.server = StubServer.http();
        HotPoolMetrics metrics = metrics(HotPoolMetrics.Options.DEFAULTS);
        pool(metrics, HotPoolConfig.builder().maxConnsPerHost(1).acquireTimeout(Duration.ofMillis(50)));
        metrics.bindTo(this.registry);

        try (HotResponse held = this.pool.execute(HotRequest.get(this.server.uri("/held")))) {
            assertThatThrownBy(() -> get(this.server.uri("/"))).isInstanceOf(IOException.class);
            this.nanoTime.addAndGet(Duration.ofSeconds(1).toNanos());
            assertThat(gauge("hotpool.connections", "state", "active")).isEqualTo(1);
        }

        assertThat(count("hotpool.connections.timeout")).isEqualTo(1);
        assertThat(timerCount("hotpool.connections.acquire")).isEqualTo(1);
    }

    @Test
    void noMeterCarriesAHostTagByDefault() throws Exception {
        this.server = StubServer.http();
        HotPoolMetrics metrics = metrics(HotPoolMetrics.Options.DEFAULTS);
        pool(metrics, HotPoolConfig.builder());
        metrics.bindTo(this.registry);
        get(this.server.uri("/"));

        assertThat(hotpoolMeters()).isNotEmpty()
            .allSatisfy((meter) -> assertThat(meter.getId().getTag("host")).isNull())
            .allSatisfy((meter) -> assertThat(meter.getId().getTag("pool")).isEqualTo("hotpool"));
    }

    @Test
    void perHostTagsAreBoundedByMaxHostsAndTheRestIsOther() throws Exception {
        this.server = StubServer.http();
        this.otherServer = StubServer.http();
        HotPoolMetrics metrics = metrics(new HotPoolMetrics.Options(true, 1));
        pool(metrics, HotPoolConfig.builder());
        metrics.bindTo(this.registry);
        String first = "localhost:" + this.server.port();

        get(this.server.uri("/"));
        get(this.otherServer.uri("/"));
        get(this.otherServer.uri("/"));
        metrics.addressEjected(Origin.of(this.otherServer.uri("/")), InetAddress.getLoopbackAddress());
        this.nanoTime.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(count("hotpool.connections.created", "host", first)).isEqualTo(1);
        assertThat(count("hotpool.connections.created", "host", "other")).isEqualTo(1);
        assertThat(timerCount("hotpool.connections.acquire", "host", first)).isEqualTo(1);
        assertThat(timerCount("hotpool.connections.acquire", "host", "other")).isEqualTo(2);
        assertThat(gauge("hotpool.connections", "host", first, "state", "idle")).isEqualTo(1);
        assertThat(gauge("hotpool.connections", "host", "other", "state", "idle")).isEqualTo(1);
        assertThat(count("hotpool.address.ejections", "host", "other")).isEqualTo(1);
        assertThat(hotpoolMeters().stream().map((m) -> m.getId().getTag("host")).distinct())
            .containsExactlyInAnyOrder(first, "other", null); // null: hotpool.connections.max, the pool's limit.
    }

    @Test
    void hostsPastMaxHostsStoreNothingPerHostAndCountAsOther() throws Exception {
        HotPoolMetrics metrics = metrics(new HotPoolMetrics.Options(true, 5));
        pool(metrics, HotPoolConfig.builder());
        metrics.bindTo(this.registry);
        InetAddress address = InetAddress.getLoopbackAddress();

        for (int i = 0; i < 10_005; i++) {
            Origin origin = Origin.of("https", "host" + i + ".example.com", 443);
            metrics.connectionOpened(origin, address);
            metrics.acquired(origin, 1_000, false);
            metrics.connectionClosed(origin, CloseReason.IDLE_TIMEOUT);
        }

        assertThat(metrics.namedHostEntries()).isEqualTo(5);
        assertThat(count("hotpool.connections.created", "host", "host0.example.com:443")).isEqualTo(1);
        assertThat(count("hotpool.connections.created", "host", "host4.example.com:443")).isEqualTo(1);
        assertThat(count("hotpool.connections.created", "host", "other")).isEqualTo(10_000);
        assertThat(count("hotpool.connections.closed", "host", "other", "reason", "idle-timeout")).isEqualTo(10_000);
        assertThat(timerCount("hotpool.connections.acquire", "host", "other")).isEqualTo(10_000);
        assertThat(metrics.created()).isEqualTo(10_005);
        assertThat(hotpoolMeters().stream().map((m) -> m.getId().getTag("host")).distinct()).hasSize(5 + 1 + 1);
    }

    @Test
    void hostsSeenBeforeBindingGetTheirMetersWhenBound() throws Exception {
        this.server = StubServer.http();
        HotPoolMetrics metrics = metrics(new HotPoolMetrics.Options(true, 100));
        pool(metrics, HotPoolConfig.builder());
        get(this.server.uri("/"));

        metrics.bindTo(this.registry);

        String host = "localhost:" + this.server.port();
        assertThat(count("hotpool.connections.created", "host", host)).isEqualTo(1);
        assertThat(timerCount("hotpool.connections.acquire", "host", host)).isEqualTo(1);
        assertThat(gauge("hotpool.connections", "host", host, "state", "idle")).isEqualTo(1);
    }

    @Test
    void closeRemovesTheMetersAndCountingGoesOn() throws Exception {
        this.server = StubServer.http();
        HotPoolMetrics metrics = metrics(HotPoolMetrics.Options.DEFAULTS);
        pool(metrics, HotPoolConfig.builder());
        metrics.bindTo(this.registry);
        get(this.server.uri("/"));

        metrics.close();
        assertThat(hotpoolMeters()).isEmpty();
        this.pool.evictIdle(null);

        assertThat(metrics.closed(CloseReason.EVICTED)).isEqualTo(1);
    }

    @Test
    void bindingWithoutAPoolSaysWhatToDo() {
        HotPoolMetrics metrics = new HotPoolMetrics();
        assertThatIllegalStateException().isThrownBy(() -> metrics.bindTo(this.registry))
            .withMessage("hotpool: HotPoolMetrics has no pool to read; call monitor(pool) before bindTo(registry)");
    }

    @Test
    void maxHostsMustNotBeNegative() {
        assertThatIllegalArgumentException().isThrownBy(() -> new HotPoolMetrics.Options(true, -1))
            .withMessage("hotpool.metrics.max-hosts (-1) must not be negative");
    }

    /** Micrometer is optional: only this package may refer to it, so the pool loads without it. */
    @Test
    void nothingOutsideThisPackageRefersToMicrometer() throws Exception {
        Path classes = Path.of(HotPool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        byte[] micrometer = "io/micrometer/".getBytes(StandardCharsets.ISO_8859_1);
        List<String> offenders;
        try (Stream<Path> files = Files.walk(classes)) {
            offenders = files.filter((f) -> f.toString().endsWith(".class"))
                .filter((f) -> !classes.relativize(f).toString().replace('\\', '/')
                    .startsWith("dev/hotpool/metrics/micrometer/"))
                .filter((f) -> contains(f, micrometer))
                .map((f) -> classes.relativize(f).toString())
                .toList();
        }
        assertThat(offenders).isEmpty();
    }

    private List<Meter> hotpoolMeters() {
        return this.registry.getMeters().stream().filter((m) -> m.getId().getName().startsWith("hotpool.")).toList();
    }

    private static boolean contains(Path file, byte[] needle) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readAllBytes();
            outer: for (int i = 0; i <= bytes.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (bytes[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
