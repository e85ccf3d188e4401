package dev.hotpool.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of hotpool ({@code hotpool.*}). Values are validated once, when they are mapped
 * onto {@link dev.hotpool.HotPoolConfig}: an impossible value fails the startup with the property's name.
 *
 * <p>Not thread-safe; bound once at startup.
 */
@ConfigurationProperties("hotpool")
public class HotPoolProperties {

    /**
     * Whether hotpool is enabled. When disabled, RestClient and RestTemplate use Spring Boot's own
     * request factory.
     */
    private boolean enabled = true;

    /**
     * Maximum number of connections open at once over all hosts, whether connecting, leased or idle.
     */
    private int maxConnections = 100;

    /**
     * Maximum number of connections open at once to one origin (scheme, host and port).
     */
    private int maxConnsPerHost = 10;

    /**
     * Maximum number of idle connections kept over all hosts. Past it, the oldest idle connection is closed.
     */
    private int maxIdleConns = 100;

    /**
     * Time allowed for the TCP connect and the TLS handshake together. A request factory's own
     * 'spring.http.clients.connect-timeout' takes precedence for its requests.
     */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /**
     * Socket read timeout while waiting for response bytes. A request factory's own
     * 'spring.http.clients.read-timeout' takes precedence for its requests.
     */
    private Duration readTimeout = Duration.ofSeconds(30);

    /**
     * Longest wait for a connection when the limits are reached.
     */
    private Duration acquireTimeout = Duration.ofSeconds(10);

    /**
     * Maximum number of requests waiting for a connection to one origin. Past it, a request fails at once.
     */
    private int maxPendingAcquires = 1000;

    /**
     * Time after its last use that an idle connection is closed instead of reused.
     */
    private Duration idleTimeout = Duration.ofSeconds(60);

    /**
     * Time after its connect that a connection is closed instead of reused, shortened by up to 2.5% per
     * connection so connections do not all expire together.
     */
    private Duration maxLifetime = Duration.ofMinutes(5);

    /**
     * Idle time after which a connection gets a cheap liveness check before it is handed out.
     */
    private Duration validateAfterInactivity = Duration.ofSeconds(2);

    /**
     * Interval between runs of the background health checker.
     */
    private Duration healthCheckInterval = Duration.ofSeconds(30);

    /**
     * Maximum length of the status line or of one header line of a response, in characters.
     */
    private int maxResponseLineLength = 8192;

    /**
     * Maximum number of header fields in a response.
     */
    private int maxResponseHeaderCount = 100;

    /**
     * Maximum size of a response head (status line and headers), in bytes.
     */
    private int maxResponseHeadSize = 65536;

    /**
     * Maximum unread body size drained when a response is closed early, so its connection can be reused.
     * A larger remainder closes the connection.
     */
    private DataSize drainLimit = DataSize.ofKilobytes(64);

    /**
     * Longest time spent draining an unread body when a response is closed early.
     */
    private Duration drainTimeout = Duration.ofMillis(500);

    /**
     * Maximum number of redirects followed for one request.
     */
    private int maxRedirects = 10;

    private final Tls tls = new Tls();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getMaxConnections() {
        return this.maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getMaxConnsPerHost() {
        return this.maxConnsPerHost;
    }

    public void setMaxConnsPerHost(int maxConnsPerHost) {
        this.maxConnsPerHost = maxConnsPerHost;
    }

    public int getMaxIdleConns() {
        return this.maxIdleConns;
    }

    public void setMaxIdleConns(int maxIdleConns) {
        this.maxIdleConns = maxIdleConns;
    }

    public Duration getConnectTimeout() {
        return this.connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getReadTimeout() {
        return this.readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    public Duration getAcquireTimeout() {
        return this.acquireTimeout;
    }

    public void setAcquireTimeout(Duration acquireTimeout) {
        this.acquireTimeout = acquireTimeout;
    }

    public int getMaxPendingAcquires() {
        return this.maxPendingAcquires;
    }

    public void setMaxPendingAcquires(int maxPendingAcquires) {
        this.maxPendingAcquires = maxPendingAcquires;
    }

    public Duration getIdleTimeout() {
        return this.idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getMaxLifetime() {
        return this.maxLifetime;
    }

    public void setMaxLifetime(Duration maxLifetime) {
        this.maxLifetime = maxLifetime;
    }

    public Duration getValidateAfterInactivity() {
        return this.validateAfterInactivity;
    }

    public void setValidateAfterInactivity(Duration validateAfterInactivity) {
        this.validateAfterInactivity = validateAfterInactivity;
    }

    public Duration getHealthCheckInterval() {
        return this.healthCheckInterval;
    }

    public void setHealthCheckInterval(Duration healthCheckInterval) {
        this.healthCheckInterval = healthCheckInterval;
    }

    public int getMaxResponseLineLength() {
        return this.maxResponseLineLength;
    }

    public void setMaxResponseLineLength(int maxResponseLineLength) {
        this.maxResponseLineLength = maxResponseLineLength;
    }

    public int getMaxResponseHeaderCount() {
        return this.maxResponseHeaderCount;
    }

    public void setMaxResponseHeaderCount(int maxResponseHeaderCount) {
        this.maxResponseHeaderCount = maxResponseHeaderCount;
    }

    public int getMaxResponseHeadSize() {
        return this.maxResponseHeadSize;
    }

    public void setMaxResponseHeadSize(int maxResponseHeadSize) {
        this.maxResponseHeadSize = maxResponseHeadSize;
    }

    public DataSize getDrainLimit() {
        return this.drainLimit;
    }

    public void setDrainLimit(DataSize drainLimit) {
        this.drainLimit = drainLimit;
    }

    public Duration getDrainTimeout() {
        return this.drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    public int getMaxRedirects() {
        return this.maxRedirects;
    }

    public void setMaxRedirects(int maxRedirects) {
        this.maxRedirects = maxRedirects;
    }

    public Tls getTls() {
        return this.tls;
    }

    /** TLS settings of the pool. */
    public static class Tls {

        /**
         * Name of the Spring SSL bundle ('spring.ssl.bundle.*') whose trust material and client key the
         * pool's TLS connections use. When not set, the JDK's default trust store is used.
         */
        private String bundle;

        public String getBundle() {
            return this.bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }
    }
}
