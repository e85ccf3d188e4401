package dev.hotpool;

import dev.hotpool.metrics.PoolListener;
import dev.hotpool.net.AccessPolicy;
import dev.hotpool.net.AddressFilter;
import dev.hotpool.net.LocalAddressPool;
import dev.hotpool.net.OutlierSettings;
import dev.hotpool.net.Resolver;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;
import dev.hotpool.tls.TlsSettings;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of a {@link HotPool}. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <p>Every value is validated in {@link Builder#build()}: impossible values and combinations fail there
 * with the name of the setting as it is spelt in Spring configuration ({@code hotpool.max-conns-per-host}),
 * so the same message serves plain Java users and Boot's startup failure.
 */
public final class HotPoolConfig {

    /** The settings with every default; see docs/configuration.md. */
    public static final HotPoolConfig DEFAULTS = builder().build();

    private final String name;
    private final int maxConnections;
    private final int maxConnsPerHost;
    private final int maxIdleConns;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration acquireTimeout;
    private final int maxPendingAcquires;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final Duration validateAfterInactivity;
    private final Duration validateNonRetryableAfterInactivity;
    private final Duration healthCheckInterval;
    private final int maxResponseLineLength;
    private final int maxResponseHeaderCount;
    private final int maxResponseHeadSize;
    private final int drainLimit;
    private final Duration drainTimeout;
    private final int maxRedirects;
    private final String healthCheckProbePath;
    private final String healthCheckProbeMethod;
    private final Duration healthCheckTimeout;
    private final List<Origin> warmupHosts;
    private final int warmupMinIdlePerHost;
    private final int warmupMaxConcurrent;
    private final Duration leakDetectionThreshold;
    private final Duration shutdownTimeout;
    private final boolean retryEnabled;
    private final int maxRetries;
    private final boolean compression;
    private final Duration fallbackDelay;
    private final boolean tcpKeepAlive;
    private final Duration tcpKeepAliveIdle;
    private final Duration tcpKeepAliveInterval;
    private final int tcpKeepAliveCount;
    private final int maxRequestsPerConnection;
    private final Duration callTimeout;
    private final TlsSettings tls;
    private final TlsProfiles tlsProfiles;
    private final PoolListener listener;
    private final Map<String, List<String>> staticAddresses;
    private final Resolver resolver;
    private final Duration dnsRefreshInterval;
    private final OutlierSettings outlier;
    private final AccessPolicy accessPolicy;
    private final AddressFilter addressFilter;
    private final LocalAddressPool localAddresses;
    private final ProxySettings proxy;
    private final List<String> protocols;
    private final Http2Settings http2;
    private final Clock clock;
    // Per-host settings (hotpool.hosts.<pattern>.*): as configured, and resolved.
    private final Map<String, HostSettings> hosts;
    private final HostSettingsTable hostTable;

    private HotPoolConfig(Builder b) {
        this.name = b.name;
        this.maxConnections = b.maxConnections;
        this.maxConnsPerHost = b.maxConnsPerHost;
        this.maxIdleConns = b.maxIdleConns;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.acquireTimeout = b.acquireTimeout;
        this.maxPendingAcquires = b.maxPendingAcquires;
        this.idleTimeout = b.idleTimeout;
        this.maxLifetime = b.maxLifetime;
        this.validateAfterInactivity = b.validateAfterInactivity;
        this.validateNonRetryableAfterInactivity = b.validateNonRetryableAfterInactivity;
        this.healthCheckInterval = b.healthCheckInterval;
        this.maxResponseLineLength = b.maxResponseLineLength;
        this.maxResponseHeaderCount = b.maxResponseHeaderCount;
        this.maxResponseHeadSize = b.maxResponseHeadSize;
        this.drainLimit = b.drainLimit;
        this.drainTimeout = b.drainTimeout;
        this.maxRedirects = b.maxRedirects;
        this.healthCheckProbePath = b.healthCheckProbePath;
        this.healthCheckProbeMethod = b.healthCheckProbeMethod;
        this.healthCheckTimeout = b.healthCheckTimeout;
        this.warmupHosts = List.copyOf(b.warmupHosts);
        this.warmupMinIdlePerHost = b.warmupMinIdlePerHost;
        this.warmupMaxConcurrent = b.warmupMaxConcurrent;
        this.leakDetectionThreshold = b.leakDetectionThreshold;
        this.shutdownTimeout = b.shutdownTimeout;
        this.retryEnabled = b.retryEnabled;
        this.maxRetries = b.maxRetries;
        this.compression = b.compression;
        this.fallbackDelay = b.fallbackDelay;
        this.tcpKeepAlive = b.tcpKeepAlive;
        this.tcpKeepAliveIdle = b.tcpKeepAliveIdle;
        this.tcpKeepAliveInterval = b.tcpKeepAliveInterval;
        this.tcpKeepAliveCount = b.tcpKeepAliveCount;
        this.maxRequestsPerConnection = b.maxRequestsPerConnection;
        this.callTimeout = b.callTimeout;
        this.tls = b.tls;
        this.tlsProfiles = b.tlsProfiles;
        this.listener = b.listener;
        this.staticAddresses = Map.copyOf(b.staticAddresses);
        this.resolver = b.resolver;
        this.dnsRefreshInterval = b.dnsRefreshInterval;
        this.outlier = b.outlier;
        this.accessPolicy = b.accessPolicy;
        this.addressFilter = b.addressFilter;
        this.localAddresses = b.localAddresses;
        this.proxy = b.proxy;
        this.protocols = b.protocols; // Checked and normalised by build().
        this.http2 = b.http2;
        this.clock = b.clock;
        Map<String, HostSettings> hosts = new LinkedHashMap<>();
        b.hosts.forEach((pattern, settings) -> hosts.put(HostSettingsTable.normalize(pattern), settings));
        this.hosts = Collections.unmodifiableMap(hosts);
        // Last: it reads the pool's values above (through this config's getters) and checks the patterns against them.
        this.hostTable = HostSettingsTable.of(this, b.hosts, b.tlsProfiles != null ? b.tlsProfiles.profiles().keySet()
                : TlsProfile.builtIns().keySet());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The pool's name, used in logs and messages. */
    public String name() { return this.name; }

    /** Most connections open at once, over all hosts (connecting, leased and idle). */
    public int maxConnections() { return this.maxConnections; }

    /** Most connections open at once to one origin. */
    public int maxConnsPerHost() { return this.maxConnsPerHost; }

    /** Most idle connections kept over all hosts; past it the oldest idle connection closes. */
    public int maxIdleConns() { return this.maxIdleConns; }

    /** Time allowed for TCP connect plus TLS handshake. */
    public Duration connectTimeout() { return this.connectTimeout; }

    /** Socket read timeout while waiting for response bytes. */
    public Duration readTimeout() { return this.readTimeout; }

    /** Longest wait for a lease when the limits are reached. */
    public Duration acquireTimeout() { return this.acquireTimeout; }

    /** Most leases waiting per host; past it a lease fails at once. */
    public int maxPendingAcquires() { return this.maxPendingAcquires; }

    /** An idle connection older than this (since its last use) is closed instead of reused. */
    public Duration idleTimeout() { return this.idleTimeout; }

    /** A connection older than this (since connect, minus up to 2.5% jitter) is closed instead of reused. */
    public Duration maxLifetime() { return this.maxLifetime; }

    /** A connection idle longer than this gets a liveness read before it is handed out. */
    public Duration validateAfterInactivity() { return this.validateAfterInactivity; }

    /**
     * A connection idle longer than this gets the same liveness read before it carries a request that must not be
     * retried (a method that is not idempotent without an {@code Idempotency-Key}, a body that cannot be replayed, or
     * any request while retries are off): a request refused on a closed connection could not be sent again. The
     * shorter of this and {@link #validateAfterInactivity()} applies to such requests.
     */
    public Duration validateNonRetryableAfterInactivity() { return this.validateNonRetryableAfterInactivity; }

    /** How often the background checker runs (used by the checker; bound here so it is validated once). */
    public Duration healthCheckInterval() { return this.healthCheckInterval; }

    /** Longest status or header line accepted in a response. */
    public int maxResponseLineLength() { return this.maxResponseLineLength; }

    /** Most header fields accepted in a response head. */
    public int maxResponseHeaderCount() { return this.maxResponseHeaderCount; }

    /** Largest response head (status line plus headers) accepted, in bytes. */
    public int maxResponseHeadSize() { return this.maxResponseHeadSize; }

    /** Most unread body bytes drained on close to keep a connection reusable. */
    public int drainLimit() { return this.drainLimit; }

    /** Longest time spent draining an unread body on close. */
    public Duration drainTimeout() { return this.drainTimeout; }

    /** Most redirects followed for one request. */
    public int maxRedirects() { return this.maxRedirects; }

    /** Path of the probe request sent on idle connections by the health check, or {@code null} for none. */
    public String healthCheckProbePath() { return this.healthCheckProbePath; }

    /** Method of the probe request. */
    public String healthCheckProbeMethod() { return this.healthCheckProbeMethod; }

    /** Longest wait for a probe's answer. */
    public Duration healthCheckTimeout() { return this.healthCheckTimeout; }

    /** Origins kept warm: connected before the first request and topped up by the health check. */
    public List<Origin> warmupHosts() { return this.warmupHosts; }

    /** Idle connections each warm host is kept at. */
    public int warmupMinIdlePerHost() { return this.warmupMinIdlePerHost; }

    /** Most connections opened at once while warming. */
    public int warmupMaxConcurrent() { return this.warmupMaxConcurrent; }

    /** A lease held longer than this is logged with the stack of where it was taken; zero: off. */
    public Duration leakDetectionThreshold() { return this.leakDetectionThreshold; }

    /** On close, how long leased connections get to come back before everything is closed. */
    public Duration shutdownTimeout() { return this.shutdownTimeout; }

    /**
     * Whether a request that found its kept-alive connection closed before any response byte arrived is
     * sent again on a new connection (idempotent methods, or requests with an {@code Idempotency-Key}).
     */
    public boolean retryEnabled() { return this.retryEnabled; }

    /** Most such retries per request. */
    public int maxRetries() { return this.maxRetries; }

    /**
     * Whether requests ask for gzip or deflate ({@code Accept-Encoding}, unless the caller set it) and responses
     * so encoded are decoded as they stream; off by default.
     */
    public boolean compression() { return this.compression; }

    /**
     * Fast fallback (RFC 8305): how long a connect attempt to one address gets before the next address (of the
     * other family first) is tried beside it; zero: addresses are tried one after another.
     */
    public Duration fallbackDelay() { return this.fallbackDelay; }

    /** Whether TCP keep-alive probes are sent on idle connections ({@code SO_KEEPALIVE}). */
    public boolean tcpKeepAlive() { return this.tcpKeepAlive; }

    /** Idle time before the first keep-alive probe ({@code TCP_KEEPIDLE}, where the JDK supports it). */
    public Duration tcpKeepAliveIdle() { return this.tcpKeepAliveIdle; }

    /** Time between unanswered keep-alive probes ({@code TCP_KEEPINTERVAL}, where the JDK supports it). */
    public Duration tcpKeepAliveInterval() { return this.tcpKeepAliveInterval; }

    /** Unanswered probes after which the kernel drops the connection ({@code TCP_KEEPCOUNT}, where supported). */
    public int tcpKeepAliveCount() { return this.tcpKeepAliveCount; }

    /** Most exchanges a connection serves; it is closed when it comes back from the last. Zero: unlimited. */
    public int maxRequestsPerConnection() { return this.maxRequestsPerConnection; }

    /**
     * Bound on a whole call up to its response head (acquire, connect, TLS, request, response head, retries and
     * redirects included); zero: none. A request's own ({@link HotRequest.Builder#callTimeout}) wins.
     */
    public Duration callTimeout() { return this.callTimeout; }

    /** TLS trust and identity for requests that do not carry their own. */
    public TlsSettings tls() { return this.tls; }

    /**
     * TLS client profiles, the provider that sends them, and how new connections pick one; when none were set,
     * {@link TlsProfiles#defaults()} (built, and fingerprinted, on first use).
     */
    public TlsProfiles tlsProfiles() { return this.tlsProfiles != null ? this.tlsProfiles : TlsProfiles.defaults(); }

    /** Fixed addresses per host name (IP literals), used instead of DNS for those hosts. */
    public Map<String, List<String>> staticAddresses() { return this.staticAddresses; }

    /** Resolves host names to all their addresses. */
    public Resolver resolver() { return this.resolver; }

    /** How often hosts in use are resolved again. */
    public Duration dnsRefreshInterval() { return this.dnsRefreshInterval; }

    /** When addresses are ejected as outliers, and for how long. */
    public OutlierSettings outlier() { return this.outlier; }

    /** Which resolved addresses may be connected to. */
    public AccessPolicy accessPolicy() { return this.accessPolicy; }

    /**
     * The filter every connection's address must pass besides the access policy (warm-up and health checks
     * included); {@link AddressFilter#ALL} by default. A request may add its own ({@code HotRequest.Builder}).
     */
    public AddressFilter addressFilter() { return this.addressFilter; }

    /** Local addresses outgoing connections are bound to. */
    public LocalAddressPool localAddresses() { return this.localAddresses; }

    /**
     * Which HTTP proxy requests go through ({@code hotpool.proxy.*}): by default the JVM's own proxy settings. The
     * access policy and address filters still apply to the origin's addresses, checked before the proxy is asked.
     */
    public ProxySettings proxy() { return this.proxy; }

    /**
     * The HTTP protocols new connections may speak, in order of preference ({@code hotpool.protocols}): ALPN
     * identifiers, {@code http/1.1} (the default: HTTP/1.1 only, the ClientHello offers what the TLS profile
     * offers) and {@code h2}. With {@code h2} in the list, TLS connections offer the list in ALPN (e.g.
     * {@code [h2, http/1.1]}) and speak what the server picks; a server without HTTP/2 picks {@code http/1.1} and is
     * spoken to as before. Cleartext HTTP/2 ({@code h2c}) is set per host only
     * ({@link HostSettings#protocols()}); a host's own list replaces this one for it
     * ({@link EffectiveHostSettings#protocols()}).
     */
    public List<String> protocols() { return this.protocols; }

    /** What hotpool asks of and allows its HTTP/2 connections ({@code hotpool.http2.*}). */
    public Http2Settings http2() { return this.http2; }

    /** Receives the pool's events, for metrics. */
    public PoolListener listener() { return this.listener; }

    /** The clock expiry is measured with. */
    public Clock clock() { return this.clock; }

    // ---- per-host settings ----------------------------------------------------------------------------------

    /** The per-host settings by pattern ({@code hotpool.hosts}, patterns in lower case), as configured. */
    public Map<String, HostSettings> hosts() { return this.hosts; }

    /**
     * What applies to a host: the settings of the most specific pattern that matches it (its exact name, else the
     * wildcard of its longest parent domain: {@code *.eu.example.com} before {@code *.example.com}), with the pool's
     * values for what that pattern leaves unset, or the pool's values when none matches. Costs a map look-up per
     * label of the name, whatever the number of patterns.
     */
    public EffectiveHostSettings hostSettings(String host) {
        return this.hostTable.resolve(host.toLowerCase(java.util.Locale.ROOT));
    }

    /** What applies to a host no {@code hotpool.hosts} pattern matches: the pool's own values. */
    public EffectiveHostSettings defaultHostSettings() { return this.hostTable.pool(); }

    /** Every configured pattern with the settings that apply to the hosts it matches, in configuration order. */
    public Map<String, EffectiveHostSettings> effectiveHostSettings() { return this.hostTable.all(); }

    /**
     * The origins kept warm: those of {@code hotpool.warmup.hosts}, then {@code https://<host>:443} for each exact
     * host pattern whose {@code min-idle} is above 0 and that has no origin listed there. Each is kept at its host's
     * {@link EffectiveHostSettings#minIdle()}.
     */
    public List<Origin> warmOrigins() {
        if (this.hosts.isEmpty()) {
            return this.warmupHosts;
        }
        List<Origin> origins = new ArrayList<>(this.warmupHosts);
        Set<String> listed = new LinkedHashSet<>();
        for (Origin o : this.warmupHosts) {
            listed.add(o.host());
        }
        this.hosts.forEach((pattern, h) -> {
            if (h.minIdle() != null && h.minIdle() > 0 && !pattern.startsWith("*.") && !listed.contains(pattern)) {
                origins.add(Origin.of("https", pattern, 443));
            }
        });
        return List.copyOf(origins);
    }

    /** Checks the warm origins' minimums against their hosts' caps and, together, against max-idle-conns. */
    private void checkWarmOrigins() {
        long total = 0;
        boolean perHost = false;
        List<Origin> warm = warmOrigins();
        for (Origin origin : warm) {
            EffectiveHostSettings e = hostSettings(origin.host());
            HostSettings h = e.pattern() != null ? this.hosts.get(e.pattern()) : HostSettings.NONE;
            perHost |= h.minIdle() != null;
            if (e.minIdle() > e.maxConnections()) {
                throw new IllegalArgumentException((h.minIdle() != null ? "hotpool.hosts[" + e.pattern()
                        + "].min-idle (" : "hotpool.warmup.min-idle-per-host (") + e.minIdle() + ") must not exceed "
                        + (h.maxConnections() != null ? "hotpool.hosts[" + e.pattern() + "].max-connections ("
                                : "hotpool.max-conns-per-host (") + e.maxConnections() + ")"
                        + (h.minIdle() == null ? " (the cap of warm host " + origin + ")" : ""));
            }
            total += e.minIdle();
        }
        if (total > this.maxIdleConns) {
            throw new IllegalArgumentException(perHost ? "hotpool.hosts[<host>].min-idle and "
                    + "hotpool.warmup.min-idle-per-host add up to " + total + " idle connections over " + warm.size()
                    + " warm origins, more than hotpool.max-idle-conns (" + this.maxIdleConns + ")"
                    : "hotpool.warmup.min-idle-per-host (" + this.warmupMinIdlePerHost + ") × " + warm.size()
                            + " warm hosts must not exceed hotpool.max-idle-conns (" + this.maxIdleConns + ")");
        }
    }

    @Override
    public String toString() {
        return "HotPoolConfig[" + this.name + ": max-connections=" + this.maxConnections + ", max-conns-per-host="
                + this.maxConnsPerHost + ", max-idle-conns=" + this.maxIdleConns + ", acquire-timeout="
                + this.acquireTimeout + ", idle-timeout=" + this.idleTimeout + ", max-lifetime=" + this.maxLifetime
                + "]";
    }

    /** Builds a {@link HotPoolConfig}. Not thread-safe. */
    public static final class Builder {

        private String name = "hotpool";
        private int maxConnections = 100;
        private int maxConnsPerHost = 10;
        private int maxIdleConns = 100;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration acquireTimeout = Duration.ofSeconds(10);
        private int maxPendingAcquires = 1000;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration maxLifetime = Duration.ofMinutes(5);
        private Duration validateAfterInactivity = Duration.ofSeconds(2);
        private Duration validateNonRetryableAfterInactivity = Duration.ofMillis(50);
        private Duration healthCheckInterval = Duration.ofSeconds(30);
        private int maxResponseLineLength = 8 * 1024;
        private int maxResponseHeaderCount = 100;
        private int maxResponseHeadSize = 64 * 1024;
        private int drainLimit = 64 * 1024;
        private Duration drainTimeout = Duration.ofMillis(500);
        private int maxRedirects = 10;
        private String healthCheckProbePath;
        private String healthCheckProbeMethod = "HEAD";
        private Duration healthCheckTimeout = Duration.ofSeconds(10);
        private List<Origin> warmupHosts = List.of();
        private int warmupMinIdlePerHost = 2;
        private int warmupMaxConcurrent = 4;
        private Duration leakDetectionThreshold = Duration.ZERO;
        private Duration shutdownTimeout = Duration.ofSeconds(5);
        private boolean retryEnabled = true;
        private int maxRetries = 1;
        private boolean compression;
        private Duration fallbackDelay = Duration.ofMillis(250);
        private boolean tcpKeepAlive = true;
        private Duration tcpKeepAliveIdle = Duration.ofSeconds(30);
        private Duration tcpKeepAliveInterval = Duration.ofSeconds(10);
        private int tcpKeepAliveCount = 3;
        private int maxRequestsPerConnection;
        private Duration callTimeout = Duration.ZERO;
        private TlsSettings tls = TlsSettings.defaults();
        private TlsProfiles tlsProfiles;
        private PoolListener listener = PoolListener.NONE;
        private Map<String, List<String>> staticAddresses = Map.of();
        private Resolver resolver = Resolver.SYSTEM;
        private Duration dnsRefreshInterval = Duration.ofMinutes(5);
        private OutlierSettings outlier = OutlierSettings.DEFAULTS;
        private AccessPolicy accessPolicy = AccessPolicy.ALLOW_ALL;
        private AddressFilter addressFilter = AddressFilter.ALL;
        private LocalAddressPool localAddresses = LocalAddressPool.NONE;
        private ProxySettings proxy = ProxySettings.SYSTEM;
        private List<String> protocols = Protocols.DEFAULT;
        private Http2Settings http2 = Http2Settings.DEFAULTS;
        private Clock clock = Clock.systemUTC();
        private Map<String, HostSettings> hosts = new LinkedHashMap<>();

        private Builder() {
        }

        private Builder(HotPoolConfig c) {
            this.name = c.name;
            this.maxConnections = c.maxConnections;
            this.maxConnsPerHost = c.maxConnsPerHost;
            this.maxIdleConns = c.maxIdleConns;
            this.connectTimeout = c.connectTimeout;
            this.readTimeout = c.readTimeout;
            this.acquireTimeout = c.acquireTimeout;
            this.maxPendingAcquires = c.maxPendingAcquires;
            this.idleTimeout = c.idleTimeout;
            this.maxLifetime = c.maxLifetime;
            this.validateAfterInactivity = c.validateAfterInactivity;
            this.validateNonRetryableAfterInactivity = c.validateNonRetryableAfterInactivity;
            this.healthCheckInterval = c.healthCheckInterval;
            this.maxResponseLineLength = c.maxResponseLineLength;
            this.maxResponseHeaderCount = c.maxResponseHeaderCount;
            this.maxResponseHeadSize = c.maxResponseHeadSize;
            this.drainLimit = c.drainLimit;
            this.drainTimeout = c.drainTimeout;
            this.maxRedirects = c.maxRedirects;
            this.healthCheckProbePath = c.healthCheckProbePath;
            this.healthCheckProbeMethod = c.healthCheckProbeMethod;
            this.healthCheckTimeout = c.healthCheckTimeout;
            this.warmupHosts = c.warmupHosts;
            this.warmupMinIdlePerHost = c.warmupMinIdlePerHost;
            this.warmupMaxConcurrent = c.warmupMaxConcurrent;
            this.leakDetectionThreshold = c.leakDetectionThreshold;
            this.shutdownTimeout = c.shutdownTimeout;
            this.retryEnabled = c.retryEnabled;
            this.maxRetries = c.maxRetries;
            this.compression = c.compression;
            this.fallbackDelay = c.fallbackDelay;
            this.tcpKeepAlive = c.tcpKeepAlive;
            this.tcpKeepAliveIdle = c.tcpKeepAliveIdle;
            this.tcpKeepAliveInterval = c.tcpKeepAliveInterval;
            this.tcpKeepAliveCount = c.tcpKeepAliveCount;
            this.maxRequestsPerConnection = c.maxRequestsPerConnection;
            this.callTimeout = c.callTimeout;
            this.tls = c.tls;
            this.tlsProfiles = c.tlsProfiles;
            this.listener = c.listener;
            this.staticAddresses = c.staticAddresses;
            this.resolver = c.resolver;
            this.dnsRefreshInterval = c.dnsRefreshInterval;
            this.outlier = c.outlier;
            this.accessPolicy = c.accessPolicy;
            this.addressFilter = c.addressFilter;
            this.localAddresses = c.localAddresses;
            this.proxy = c.proxy;
            this.protocols = c.protocols;
            this.http2 = c.http2;
            this.clock = c.clock;
            this.hosts = new LinkedHashMap<>(c.hosts);
        }

        public Builder name(String name) { this.name = name; return this; }
        public Builder maxConnections(int n) { this.maxConnections = n; return this; }
        public Builder maxConnsPerHost(int n) { this.maxConnsPerHost = n; return this; }
        public Builder maxIdleConns(int n) { this.maxIdleConns = n; return this; }
        public Builder connectTimeout(Duration d) { this.connectTimeout = d; return this; }
        public Builder readTimeout(Duration d) { this.readTimeout = d; return this; }
        public Builder acquireTimeout(Duration d) { this.acquireTimeout = d; return this; }
        public Builder maxPendingAcquires(int n) { this.maxPendingAcquires = n; return this; }
        public Builder idleTimeout(Duration d) { this.idleTimeout = d; return this; }
        public Builder maxLifetime(Duration d) { this.maxLifetime = d; return this; }
        public Builder validateAfterInactivity(Duration d) { this.validateAfterInactivity = d; return this; }
        public Builder validateNonRetryableAfterInactivity(Duration d) {
            this.validateNonRetryableAfterInactivity = d;
            return this;
        }
        public Builder healthCheckInterval(Duration d) { this.healthCheckInterval = d; return this; }
        public Builder maxResponseLineLength(int n) { this.maxResponseLineLength = n; return this; }
        public Builder maxResponseHeaderCount(int n) { this.maxResponseHeaderCount = n; return this; }
        public Builder maxResponseHeadSize(int n) { this.maxResponseHeadSize = n; return this; }
        public Builder drainLimit(int n) { this.drainLimit = n; return this; }
        public Builder drainTimeout(Duration d) { this.drainTimeout = d; return this; }
        public Builder maxRedirects(int n) { this.maxRedirects = n; return this; }
        public Builder healthCheckProbePath(String path) { this.healthCheckProbePath = path; return this; }
        public Builder healthCheckProbeMethod(String method) { this.healthCheckProbeMethod = method; return this; }
        public Builder healthCheckTimeout(Duration d) { this.healthCheckTimeout = d; return this; }
        public Builder warmupHosts(List<Origin> hosts) { this.warmupHosts = hosts; return this; }
        public Builder warmupMinIdlePerHost(int n) { this.warmupMinIdlePerHost = n; return this; }
        public Builder warmupMaxConcurrent(int n) { this.warmupMaxConcurrent = n; return this; }
        public Builder leakDetectionThreshold(Duration d) { this.leakDetectionThreshold = d; return this; }
        public Builder shutdownTimeout(Duration d) { this.shutdownTimeout = d; return this; }
        public Builder retryEnabled(boolean enabled) { this.retryEnabled = enabled; return this; }
        public Builder maxRetries(int n) { this.maxRetries = n; return this; }
        public Builder compression(boolean enabled) { this.compression = enabled; return this; }
        public Builder fallbackDelay(Duration d) { this.fallbackDelay = d; return this; }
        public Builder tcpKeepAlive(boolean enabled) { this.tcpKeepAlive = enabled; return this; }
        public Builder tcpKeepAliveIdle(Duration d) { this.tcpKeepAliveIdle = d; return this; }
        public Builder tcpKeepAliveInterval(Duration d) { this.tcpKeepAliveInterval = d; return this; }
        public Builder tcpKeepAliveCount(int n) { this.tcpKeepAliveCount = n; return this; }
        public Builder maxRequestsPerConnection(int n) { this.maxRequestsPerConnection = n; return this; }
        public Builder callTimeout(Duration d) { this.callTimeout = d; return this; }
        public Builder tls(TlsSettings tls) { this.tls = tls; return this; }
        public Builder tlsProfiles(TlsProfiles profiles) { this.tlsProfiles = profiles; return this; }
        public Builder listener(PoolListener listener) { this.listener = listener; return this; }
        public Builder staticAddresses(Map<String, List<String>> addresses) { this.staticAddresses = addresses; return this; }
        public Builder resolver(Resolver resolver) { this.resolver = resolver; return this; }
        public Builder dnsRefreshInterval(Duration d) { this.dnsRefreshInterval = d; return this; }
        public Builder outlier(OutlierSettings outlier) { this.outlier = outlier; return this; }
        public Builder accessPolicy(AccessPolicy policy) { this.accessPolicy = policy; return this; }
        public Builder addressFilter(AddressFilter filter) { this.addressFilter = filter; return this; }
        public Builder localAddresses(LocalAddressPool pool) { this.localAddresses = pool; return this; }
        /**
         * The HTTP proxy requests go through: {@link ProxySettings#SYSTEM} (the JVM's settings, the default),
         * {@link ProxySettings#NONE}, or {@link ProxySettings#of} one proxy with its non-proxy hosts.
         */
        public Builder proxy(ProxySettings proxy) { this.proxy = proxy; return this; }

        /**
         * The HTTP protocols new connections may speak, in order of preference ({@code hotpool.protocols}):
         * {@code http/1.1} (the default) and {@code h2}; {@code [h2, http/1.1]} turns HTTP/2 on over TLS. See
         * {@link HotPoolConfig#protocols()}.
         */
        public Builder protocols(List<String> protocols) { this.protocols = protocols; return this; }

        /** What hotpool asks of and allows its HTTP/2 connections ({@code hotpool.http2.*}). */
        public Builder http2(Http2Settings http2) { this.http2 = http2; return this; }
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        /**
         * Settings of the hosts a pattern matches ({@code hotpool.hosts.<pattern>.*}): a host name or IP address
         * ({@code api.example.com}), or {@code *.} and a domain for every name under it, at any depth, but not the
         * domain itself ({@code *.example.com}). Replaces the pattern's earlier settings.
         */
        public Builder host(String pattern, HostSettings settings) {
            this.hosts.put(Objects.requireNonNull(pattern, "'pattern' must not be null"),
                    Objects.requireNonNull(settings, "'settings' must not be null"));
            return this;
        }

        /** Every host pattern's settings at once, in place of those set so far (see {@link #host}). */
        public Builder hosts(Map<String, HostSettings> hosts) {
            this.hosts = new LinkedHashMap<>(Objects.requireNonNull(hosts, "'hosts' must not be null"));
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the setting and its value, e.g.
         *     {@code hotpool.max-conns-per-host (50) must not exceed hotpool.max-connections (20)}
         */
        public HotPoolConfig build() {
            Objects.requireNonNull(this.name, "'name' must not be null");
            Objects.requireNonNull(this.tls, "'tls' must not be null");
            Objects.requireNonNull(this.clock, "'clock' must not be null");
            Objects.requireNonNull(this.listener, "'listener' must not be null");
            Objects.requireNonNull(this.staticAddresses, "'staticAddresses' must not be null");
            Objects.requireNonNull(this.resolver, "'resolver' must not be null");
            Objects.requireNonNull(this.outlier, "'outlier' must not be null");
            Objects.requireNonNull(this.accessPolicy, "'accessPolicy' must not be null");
            Objects.requireNonNull(this.addressFilter, "'addressFilter' must not be null");
            Objects.requireNonNull(this.localAddresses, "'localAddresses' must not be null");
            Objects.requireNonNull(this.proxy, "'proxy' must not be null");
            Objects.requireNonNull(this.http2, "'http2' must not be null");
            this.protocols = Protocols.check("hotpool.protocols", this.protocols, false);
            positive("dns.refresh-interval", this.dnsRefreshInterval);
            positive("max-connections", this.maxConnections);
            positive("max-conns-per-host", this.maxConnsPerHost);
            notNegative("max-idle-conns", this.maxIdleConns);
            notNegative("max-pending-acquires", this.maxPendingAcquires);
            positive("max-response-line-length", this.maxResponseLineLength);
            positive("max-response-header-count", this.maxResponseHeaderCount);
            positive("max-response-head-size", this.maxResponseHeadSize);
            notNegative("drain-limit", this.drainLimit);
            notNegative("max-redirects", this.maxRedirects);
            notNegative("retry.max-retries", this.maxRetries);
            Objects.requireNonNull(this.warmupHosts, "'warmupHosts' must not be null");
            notNegative("warmup.min-idle-per-host", this.warmupMinIdlePerHost);
            positive("warmup.max-concurrent", this.warmupMaxConcurrent);
            positive("health-check.timeout", this.healthCheckTimeout);
            notNegative("leak-detection-threshold", this.leakDetectionThreshold);
            notNegative("shutdown-timeout", this.shutdownTimeout);
            if (this.healthCheckProbePath != null && !this.healthCheckProbePath.startsWith("/")) {
                throw new IllegalArgumentException("hotpool.health-check.probe-path (" + this.healthCheckProbePath
                        + ") must start with /");
            }
            if (this.healthCheckProbeMethod == null || !this.healthCheckProbeMethod.matches("[A-Z]+")) {
                throw new IllegalArgumentException("hotpool.health-check.probe-method (" + this.healthCheckProbeMethod
                        + ") must be an upper-case HTTP method such as HEAD, GET or OPTIONS");
            }
            if (this.hosts.isEmpty() && !this.warmupHosts.isEmpty()
                    && this.warmupMinIdlePerHost > this.maxConnsPerHost) {
                throw new IllegalArgumentException("hotpool.warmup.min-idle-per-host (" + this.warmupMinIdlePerHost
                        + ") must not exceed hotpool.max-conns-per-host (" + this.maxConnsPerHost + ")");
            }
            if (this.hosts.isEmpty()
                    && this.warmupMinIdlePerHost * (long) this.warmupHosts.size() > this.maxIdleConns) {
                throw new IllegalArgumentException("hotpool.warmup.min-idle-per-host (" + this.warmupMinIdlePerHost
                        + ") × " + this.warmupHosts.size() + " warm hosts must not exceed hotpool.max-idle-conns ("
                        + this.maxIdleConns + ")");
            }
            positive("connect-timeout", this.connectTimeout);
            positive("read-timeout", this.readTimeout);
            notNegative("acquire-timeout", this.acquireTimeout);
            positive("idle-timeout", this.idleTimeout);
            positive("max-lifetime", this.maxLifetime);
            notNegative("validate-after-inactivity", this.validateAfterInactivity);
            notNegative("validate-non-retryable-after-inactivity", this.validateNonRetryableAfterInactivity);
            positive("health-check-interval", this.healthCheckInterval);
            notNegative("drain-timeout", this.drainTimeout);
            notNegative("connect.fallback-delay", this.fallbackDelay);
            wholeSeconds("tcp.keep-alive-idle", this.tcpKeepAliveIdle);
            wholeSeconds("tcp.keep-alive-interval", this.tcpKeepAliveInterval);
            positive("tcp.keep-alive-count", this.tcpKeepAliveCount);
            notNegative("max-requests-per-connection", this.maxRequestsPerConnection);
            notNegative("call-timeout", this.callTimeout);
            if (this.maxConnsPerHost > this.maxConnections) {
                throw new IllegalArgumentException("hotpool.max-conns-per-host (" + this.maxConnsPerHost
                        + ") must not exceed hotpool.max-connections (" + this.maxConnections + ")");
            }
            if (this.idleTimeout.compareTo(this.maxLifetime) > 0) {
                throw new IllegalArgumentException("hotpool.idle-timeout (" + this.idleTimeout
                        + ") must not exceed hotpool.max-lifetime (" + this.maxLifetime + ")");
            }
            if (this.connectTimeout.toMillis() > Integer.MAX_VALUE || this.readTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("hotpool.connect-timeout and hotpool.read-timeout must be below "
                        + Integer.MAX_VALUE + " ms");
            }
            HotPoolConfig config = new HotPoolConfig(this); // Checks the host patterns.
            config.checkWarmOrigins();
            ProtocolChecks.check(config);
            return config;
        }

        private static void positive(String property, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("hotpool." + property + " (" + value + ") must be greater than 0");
            }
        }

        private static void notNegative(String property, int value) {
            if (value < 0) {
                throw new IllegalArgumentException("hotpool." + property + " (" + value + ") must not be negative");
            }
        }

        private static void positive(String property, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("hotpool." + property + " (" + value + ") must be greater than 0");
            }
        }

        /** TCP keep-alive times are whole seconds to the kernel: at least 1 s, and no fraction silently dropped. */
        private static void wholeSeconds(String property, Duration value) {
            positive(property, value);
            if (value.getNano() != 0 || value.getSeconds() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("hotpool." + property + " (" + value
                        + ") must be a whole number of seconds");
            }
        }

        private static void notNegative(String property, Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("hotpool." + property + " (" + value + ") must not be negative");
            }
        }
    }
}
