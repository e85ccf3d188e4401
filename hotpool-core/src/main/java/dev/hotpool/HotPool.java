package dev.hotpool;

import dev.hotpool.internal.PoolAssembly;
import dev.hotpool.internal.http.Http1Client;
import dev.hotpool.internal.pool.Engine;
import dev.hotpool.tls.Fingerprint;

import java.io.IOException;
import java.time.Duration;
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
    private final Engine engine;
    private final Http1Client client;
    private final Map<String, Fingerprint> fingerprints;

    /** A pool with every default setting. */
    public HotPool() {
        this(HotPoolConfig.DEFAULTS);
    }

    /**
     * Builds the pool and starts warming the hosts it is told to keep warm.
     *
     * @throws IllegalArgumentException when a TLS profile asks for what its provider cannot send on this JVM (its
     *     ClientHello is captured on loopback once), or SSL bundle options name what no profile in use offers; the
     *     message names the property and the value
     */
    public HotPool(HotPoolConfig config) {
        PoolAssembly parts = PoolAssembly.assemble(config);
        this.config = config;
        this.engine = parts.engine();
        this.client = parts.client();
        this.fingerprints = parts.fingerprints();
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
        return this.engine.stats();
    }

    public HotPoolConfig config() {
        return this.config;
    }

    /** Closes the idle connections of one origin, or of all origins when {@code origin} is {@code null}. */
    public int evictIdle(Origin origin) {
        return this.engine.evictIdle(origin);
    }

    /**
     * Runs the background upkeep once: expired idle connections closed, the others checked (liveness read or
     * probe request), warm hosts topped up. Spring's scheduler or the starter's own thread call this every
     * {@code health-check-interval}; a run that overlaps another returns that one's report.
     */
    public HealthCheckReport runHealthCheck() {
        return this.engine.runHealthCheck();
    }

    /** The last health check's report, or {@link HealthCheckReport#NEVER}. */
    public HealthCheckReport lastHealthCheck() {
        return this.engine.lastHealthCheck();
    }

    /** The delay until the next health check: {@code health-check-interval} less up to 10% jitter. */
    public Duration nextHealthCheckDelay() {
        return this.engine.nextHealthCheckDelay();
    }

    /**
     * Waits up to {@code timeout} for the first warm-up (started when the pool was created) to finish;
     * returns whether it did.
     */
    public boolean awaitWarmup(Duration timeout) throws InterruptedException {
        return this.engine.awaitWarmup(timeout);
    }

    /**
     * The fingerprint of every TLS profile the pool's new connections use, by name, in configuration order: the JA3 and
     * JA4 of the ClientHello they send on this JVM, captured from the bytes the pool writes, and where they may speak
     * HTTP/2 the HTTP/2 fingerprint of what they send first ({@link Fingerprint#http2()}).
     */
    public Map<String, Fingerprint> tlsFingerprints() {
        return this.fingerprints;
    }

    /** Requests and handshakes since the pool started. */
    public TrafficStats traffic() {
        return this.engine.traffic();
    }

    /**
     * The addresses of an origin the pool knows (from DNS or the static pool, plus any it still has
     * connections to), with their connections and ejection state.
     */
    public List<AddressInfo> addresses(Origin origin) {
        return this.engine.addresses(origin);
    }

    /** One row per open connection of an origin, for the actuator endpoint. */
    public List<ConnectionInfo> connections(Origin origin) {
        return this.engine.connections(origin);
    }

    public boolean isClosed() {
        return this.engine.isClosed();
    }

    /**
     * Stops warming, fails new leases, closes idle connections now, gives leased ones up to
     * {@code shutdown-timeout} to come back, then closes everything and logs the final state. Idempotent.
     */
    @Override
    public void close() {
        this.engine.close();
    }

    @Override
    public String toString() {
        return "HotPool[" + this.config.name() + (isClosed() ? ", closed" : "") + "]" + this.engine.stats();
    }
}
