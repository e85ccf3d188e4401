package dev.hotpool.internal.pool;

import dev.hotpool.AddressInfo;
import dev.hotpool.CloseReason;
import dev.hotpool.ConnectionInfo;
import dev.hotpool.HealthCheckReport;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.TrafficStats;
import dev.hotpool.internal.metrics.TrafficRecorder;
import dev.hotpool.internal.net.AddressBook;
import dev.hotpool.internal.net.OutlierDetector;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.net.AddressFilter;
import dev.hotpool.tls.TlsSettings;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine behind {@link dev.hotpool.HotPool}: the {@link ConnectionPool} and its {@link Leaser}, the health check and
 * the warm-up, over parts it is given (the address book and outlier detector, the connector, the probe). The protocol
 * layer leases through {@link #lease} and holds nothing but the {@link Lease}.
 *
 * <p>Thread-safe.
 */
public final class Engine implements AutoCloseable {

    private final HotPoolConfig config;
    private final TrafficRecorder traffic;
    private final PoolListener listener;
    private final AddressBook addressBook;
    private final OutlierDetector outliers;
    private final ConnectionPool pool;
    private final Leaser leaser;
    private final Warmer warmer;
    private final HealthChecker healthChecker;

    /**
     * Builds the engine from parts made before it; nothing is connected until {@link #startWarmup()} or the first lease.
     * The pool's assembly ({@code dev.hotpool.internal.PoolAssembly}) makes the parts in dependency order.
     *
     * @param traffic the recorder of requests and handshakes, already one of {@code listener}'s
     * @param listener every event of the pool's life: the traffic recorder's and the configured listener's
     * @param connector opens connections: the real one (addresses, access policy, TCP, TLS), or a test's
     * @param probe the check of idle and newly warmed connections: {@link ConnectionProbe#LIVENESS}, or the protocol
     *     layer's probe request
     */
    public Engine(HotPoolConfig config, TrafficRecorder traffic, PoolListener listener, AddressBook addressBook,
            OutlierDetector outliers, Connector connector, ConnectionProbe probe) {
        this(config, traffic, listener, addressBook, outliers, connector, probe, Multiplexing.NONE);
    }

    /**
     * As {@link #Engine(HotPoolConfig, TrafficRecorder, PoolListener, AddressBook, OutlierDetector, Connector,
     * ConnectionProbe)}, with the protocol layer's {@code multiplexing}: which routes may multiplex, and how a session
     * starts on a new connection that agreed to.
     */
    public Engine(HotPoolConfig config, TrafficRecorder traffic, PoolListener listener, AddressBook addressBook,
            OutlierDetector outliers, Connector connector, ConnectionProbe probe, Multiplexing multiplexing) {
        this.config = config;
        this.traffic = traffic;
        this.listener = listener;
        this.addressBook = addressBook;
        this.outliers = outliers;
        Set<Route> warmRoutes = Warmer.routes(config);
        this.pool = new ConnectionPool(config, this.listener, warmRoutes, this::originGone, multiplexing);
        this.leaser = new Leaser(this.pool, connector, config, multiplexing);
        this.outliers.onEjection(this::ejected);
        this.warmer = new Warmer(config, this.pool, this.leaser, probe, warmRoutes);
        this.healthChecker = new HealthChecker(config, this.pool, probe, this.warmer, this.addressBook, this.outliers,
                this.traffic);
    }

    /** Starts the first warm-up in the background. */
    public void startWarmup() {
        this.warmer.start();
    }

    /**
     * Leases a connection to the origin, made with the TLS settings for {@code https} (ignored for {@code http}), to an
     * address the filter allows ({@code null}: only the pool's filter and access policy apply), through the proxy
     * {@code hotpool.proxy.*} selects for the origin (see {@link dev.hotpool.ProxySettings#select}).
     *
     * @throws dev.hotpool.AcquireTimeoutException when none could be had in time, or the line of waiting leases is full
     * @throws dev.hotpool.HotPoolException when the pool is closed, or connecting failed
     */
    public Lease lease(Origin origin, TlsSettings tls, AddressFilter filter, LeaseMode mode, Duration acquireTimeout,
            int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        return this.leaser.lease(origin, tls, filter, this.config.proxy().select(origin), mode, acquireTimeout,
                connectTimeoutMillis, readTimeoutMillis);
    }

    /** Every event of the pool's life: the traffic recorder's and the configured listener's. */
    public PoolListener listener() {
        return this.listener;
    }

    public OutlierDetector outliers() {
        return this.outliers;
    }

    public PoolStats stats() {
        return this.pool.stats();
    }

    public TrafficStats traffic() {
        return this.traffic.snapshot();
    }

    /** Closes the idle connections of one origin, or of all origins when {@code origin} is {@code null}. */
    public int evictIdle(Origin origin) {
        return this.pool.upkeep().evictIdle(origin);
    }

    public HealthCheckReport runHealthCheck() {
        return this.healthChecker.run();
    }

    public HealthCheckReport lastHealthCheck() {
        return this.healthChecker.lastReport();
    }

    public Duration nextHealthCheckDelay() {
        return this.healthChecker.nextDelay();
    }

    public boolean awaitWarmup(Duration timeout) throws InterruptedException {
        return this.warmer.awaitFirstRun(timeout.toMillis());
    }

    /**
     * The addresses of an origin the pool knows (its answer from DNS or the static pool, any other address it has
     * outlier state for, and any it still has connections to), with their connections and ejection state.
     */
    public List<AddressInfo> addresses(Origin origin) {
        Map<InetAddress, Integer> connections = this.pool.upkeep().connectionsByAddress(origin);
        Map<InetAddress, OutlierDetector.AddressState> states = new LinkedHashMap<>();
        for (OutlierDetector.AddressState s : this.outliers.snapshot(origin.authority())) {
            states.put(s.address(), s);
        }
        Map<InetAddress, AddressInfo> rows = new LinkedHashMap<>();
        for (InetAddress address : this.addressBook.cached(origin.host())) {
            rows.put(address, row(address, connections, states.get(address)));
        }
        states.forEach((address, s) -> rows.computeIfAbsent(address, a -> row(a, connections, s)));
        connections.forEach((address, n) -> rows.computeIfAbsent(address, a -> row(a, connections, null)));
        return List.copyOf(rows.values());
    }

    private static AddressInfo row(InetAddress address, Map<InetAddress, Integer> connections,
            OutlierDetector.AddressState state) {
        int n = connections.getOrDefault(address, 0);
        return state == null ? new AddressInfo(address.getHostAddress(), n, false, null, 0)
                : new AddressInfo(address.getHostAddress(), n, state.ejected(), state.ejectedUntil(),
                        state.consecutiveFailures());
    }

    /** One row per open connection of an origin, oldest first. */
    public List<ConnectionInfo> connections(Origin origin) {
        return this.pool.upkeep().connections(origin);
    }

    public boolean isClosed() {
        return this.pool.isClosed();
    }

    /** Stops warming, then closes the pool gracefully (see {@link ConnectionPool#close()}). Idempotent. */
    @Override
    public void close() {
        this.warmer.close();
        this.pool.close();
    }

    @Override
    public String toString() {
        return this.pool.toString();
    }


    /** The pool removed an origin's last route; with the host's last, its DNS answer goes. */
    private void originGone(Origin origin, boolean lastRouteToHost) {
        if (lastRouteToHost) {
            this.addressBook.forget(origin.host());
        }
    }

    /** An address was ejected: its connections retire, and the listener hears of it once per origin. */
    private void ejected(String hostKey, InetAddress address, java.time.Instant until) {
        String host = OutlierDetector.hostOf(hostKey);
        this.pool.upkeep().retireAddress(host, hostKey, address, CloseReason.EJECTED);
        for (Origin origin : this.pool.upkeep().originsOf(host)) {
            if (origin.authority().equals(hostKey)) {
                this.listener.addressEjected(origin, address);
            }
        }
    }
}
