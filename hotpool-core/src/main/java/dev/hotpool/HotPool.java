package dev.hotpool;

import dev.hotpool.http.Http1Client;
import dev.hotpool.pool.ConnectionPool;
import dev.hotpool.pool.ConnectionProbe;
import dev.hotpool.pool.Connector;
import dev.hotpool.pool.HealthChecker;
import dev.hotpool.pool.Warmer;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.net.AddressBook;
import dev.hotpool.net.OutlierDetector;
import dev.hotpool.metrics.TrafficRecorder;
import dev.hotpool.tls.TlsConnector;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pool of kept-alive HTTP/1.1 connections, plain and TLS, with per-host and global limits.
 *
 * <p>Thread-safe. One instance serves a whole application: {@link #execute} leases a connection to the
 * request's origin (reusing the newest idle one, opening one under the limits, or waiting in line),
 * sends the request and returns a response whose body gives the connection back when read to its end
 * or closed. {@link #close()} is idempotent; afterwards requests fail and every socket is closed.
 */
public final class HotPool implements AutoCloseable {

    private final HotPoolConfig config;
    private final ConnectionPool pool;
    private final Http1Client client;
    private final Warmer warmer;
    private final AddressBook addressBook;
    private final OutlierDetector outliers;
    private final TrafficRecorder traffic = new TrafficRecorder();
    private final HealthChecker healthChecker;

    /** A pool with every default setting. */
    public HotPool() {
        this(HotPoolConfig.DEFAULTS);
    }

    public HotPool(HotPoolConfig config) {
        this.config = config;
        PoolListener listener = PoolListener.both(this.traffic, config.listener());
        this.addressBook = new AddressBook(config.staticAddresses(), config.resolver(), config.dnsRefreshInterval(),
                config.clock());
        this.outliers = new OutlierDetector(config.outlier(), config.clock(),
                hostKey -> this.addressBook.cached(OutlierDetector.hostOf(hostKey)));
        TlsConnector tls = new TlsConnector(config.tlsProfiles().provider());
        tls.checkOptions(config.tls(), config.tlsProfiles().inUse());
        Connector connector = new Connector(config, tls, listener, this.addressBook, this.outliers);
        this.pool = new ConnectionPool(config, connector, listener);
        this.outliers.onEjection((hostKey, address, until) -> {
            this.pool.retireAddress(hostKey, address, CloseReason.EJECTED);
            for (Origin origin : this.pool.origins()) {
                if (origin.authority().equals(hostKey)) {
                    listener.addressEjected(origin, address);
                }
            }
        });
        this.client = new Http1Client(config, this.pool, listener, this.outliers);
        ConnectionProbe probe = config.healthCheckProbePath() != null ? this.client::probe : ConnectionProbe.LIVENESS;
        this.warmer = new Warmer(config, this.pool, probe);
        this.healthChecker = new HealthChecker(config, this.pool, probe, this.warmer, this.addressBook,
                this.outliers);
        this.warmer.start();
    }

    /**
     * Sends a request and returns the response head; the body streams from the connection.
     *
     * @throws AcquireTimeoutException when no connection could be leased in time
     * @throws ConnectException when no address of the origin accepted a TCP connection
     * @throws TlsHandshakeException when the TLS handshake failed
     * @throws MalformedResponseException when the server's answer was not valid HTTP/1.1
     * @throws HotPoolException when the pool is closed, or the exchange failed; the message names the origin
     */
    public HotResponse execute(HotRequest request) throws IOException {
        return this.client.execute(request);
    }

    /** A snapshot of the counts. */
    public PoolStats stats() {
        return this.pool.stats();
    }

    public HotPoolConfig config() {
        return this.config;
    }

    /** Closes the idle connections of one origin, or of all origins when {@code origin} is {@code null}. */
    public int evictIdle(Origin origin) {
        return this.pool.evictIdle(origin);
    }

    /**
     * Runs the background upkeep once: expired idle connections closed, the others checked (liveness read or
     * probe request), warm hosts topped up. Spring's scheduler or the starter's own thread call this every
     * {@code health-check-interval}; a run that overlaps another returns that one's report.
     */
    public HealthCheckReport runHealthCheck() {
        return this.healthChecker.run();
    }

    /** The last health check's report, or {@link HealthCheckReport#NEVER}. */
    public HealthCheckReport lastHealthCheck() {
        return this.healthChecker.lastReport();
    }

    /** The delay until the next health check: {@code health-check-interval} less up to 10% jitter. */
    public Duration nextHealthCheckDelay() {
        return this.healthChecker.nextDelay();
    }

    /**
     * Waits up to {@code timeout} for the first warm-up (started when the pool was created) to finish;
     * returns whether it did.
     */
    public boolean awaitWarmup(Duration timeout) throws InterruptedException {
        return this.warmer.awaitFirstRun(timeout.toMillis());
    }

    /** Requests and handshakes since the pool started. */
    public TrafficStats traffic() {
        return this.traffic.snapshot();
    }

    /**
     * The addresses of an origin the pool knows (from DNS or the static pool, plus any it still has
     * connections to), with their connections and ejection state.
     */
    public List<AddressInfo> addresses(Origin origin) {
        Map<InetAddress, Integer> connections = this.pool.connectionsByAddress(origin);
        Map<InetAddress, AddressInfo> rows = new LinkedHashMap<>();
        for (OutlierDetector.AddressState s : this.outliers.snapshot(origin.authority())) {
            rows.put(s.address(), new AddressInfo(s.address().getHostAddress(),
                    connections.getOrDefault(s.address(), 0), s.ejected(), s.ejectedUntil(), s.consecutiveFailures()));
        }
        connections.forEach((address, n) -> rows.putIfAbsent(address,
                new AddressInfo(address.getHostAddress(), n, false, null, 0)));
        return List.copyOf(rows.values());
    }

    /** One row per open connection of an origin, for the actuator endpoint. */
    public List<ConnectionInfo> connections(Origin origin) {
        return this.pool.connections(origin);
    }

    public boolean isClosed() {
        return this.pool.isClosed();
    }

    /**
     * Stops warming, fails new leases, closes idle connections now, gives leased ones up to
     * {@code shutdown-timeout} to come back, then closes everything and logs the final state. Idempotent.
     */
    @Override
    public void close() {
        this.warmer.close();
        this.pool.close();
    }

    @Override
    public String toString() {
        return "HotPool[" + this.config.name() + (isClosed() ? ", closed" : "") + "]" + this.pool.stats();
    }
}
