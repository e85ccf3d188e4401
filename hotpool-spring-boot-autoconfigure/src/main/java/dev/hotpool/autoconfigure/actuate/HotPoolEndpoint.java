package dev.hotpool.autoconfigure.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import dev.hotpool.AddressInfo;
import dev.hotpool.ConnectFailure;
import dev.hotpool.ConnectionInfo;
import dev.hotpool.EffectiveHostSettings;
import dev.hotpool.HealthCheckReport;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.ProxySettings;
import dev.hotpool.TrafficStats;
import dev.hotpool.metrics.LatencySummary;
import dev.hotpool.net.OutlierSettings;
import dev.hotpool.tls.Fingerprint;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code hotpool} actuator endpoint: the pool's effective settings, its connections, requests, handshakes,
 * closes, hosts, health check and TLS profiles ({@code GET /actuator/hotpool}); one host with a row per connection
 * ({@code GET /actuator/hotpool/{host:port}}); and closing the idle connections of one host or of all
 * ({@code POST /actuator/hotpool}, optional {@code host}).
 *
 * <p>Durations are whole milliseconds in keys ending in {@code Millis}; instants are ISO-8601 strings. Only
 * origins ({@code scheme://host:port}) and addresses are shown: never a path's query string, a header, a cookie or
 * a credential.
 *
 * <p>Thread-safe: every operation reads fresh snapshots from the pool.
 */
@Endpoint(id = "hotpool")
public class HotPoolEndpoint {

    private final HotPool pool;

    private final Supplier<Instant> nextHealthCheck;

    /**
     * @param pool the pool to show
     * @param nextHealthCheck when the next health check is due, or {@code null} when none is scheduled
     */
    public HotPoolEndpoint(HotPool pool, Supplier<Instant> nextHealthCheck) {
        this.pool = Objects.requireNonNull(pool, "'pool' must not be null");
        this.nextHealthCheck = Objects.requireNonNull(nextHealthCheck, "'nextHealthCheck' must not be null");
    }

    /** The whole pool. */
    @ReadOperation
    public PoolDescriptor hotpool() {
        PoolStats stats = this.pool.stats();
        TrafficStats traffic = this.pool.traffic();
        Map<String, HostDescriptor> hosts = new LinkedHashMap<>();
        for (PoolHosts.Host host : PoolHosts.of(stats, traffic).all().values()) {
            hosts.put(host.authority(), new HostDescriptor(host.total(), host.leased(), host.idle(), host.connecting(),
                    host.pending(), host.requests(), addresses(host), settings(host), proxies(host),
                    connectFailure(host.connectFailure())));
        }
        Map<String, Long> closed = new LinkedHashMap<>();
        stats.closed().forEach((reason, n) -> closed.put(kebab(reason), n));
        return new PoolDescriptor(config(this.pool.config()),
                new ConnectionsDescriptor(stats.total(), stats.leased(), stats.idle(), stats.connecting(),
                        stats.pending(), stats.maxConnections(), stats.created(), stats.acquireTimeouts()),
                new RequestsDescriptor(traffic.requests(), traffic.succeeded(), traffic.failed(), traffic.retried(),
                        traffic.reuseRatio()),
                new HandshakesDescriptor(traffic.handshakes(), traffic.handshakesFailed(), traffic.handshakeLatency()),
                closed, hosts, healthCheck(), tls(this.pool.config().tlsProfiles(), this.pool.tlsFingerprints()));
    }

    /** One host, {@code host:port} as in {@code hosts}; {@code null} (404) when the pool has not seen it. */
    @ReadOperation
    public @Nullable HostDetailDescriptor host(@Selector String host) {
        PoolHosts.Host h = PoolHosts.of(this.pool.stats(), this.pool.traffic()).get(host);
        if (h == null) {
            return null;
        }
        List<ConnectionInfo> connections = new ArrayList<>();
        for (Origin origin : h.origins()) {
            connections.addAll(this.pool.connections(origin));
        }
        connections.sort((a, b) -> Long.compare(a.id(), b.id()));
        return new HostDetailDescriptor(h.authority(), h.origins().stream().map(Origin::toString).toList(), h.total(),
                h.leased(), h.idle(), h.connecting(), h.pending(), h.requests(), addresses(h), connections,
                settings(h), proxies(h), connectFailure(h.connectFailure()));
    }

    /** The proxies ({@code host:port}) of a host's routes, or {@code null} (no key) when every route is direct. */
    private static @Nullable List<String> proxies(PoolHosts.Host host) {
        return host.proxies().isEmpty() ? null : host.proxies();
    }

    private static @Nullable ConnectFailureDescriptor connectFailure(@Nullable ConnectFailure failure) {
        return failure == null ? null
                : new ConnectFailureDescriptor(failure.phase().tag(), failure.at().toString(), failure.message());
    }

    /**
     * Closes idle connections.
     *
     * @param host {@code host:port} whose idle connections close, or {@code null} for every host's
     */
    @WriteOperation
    public EvictionDescriptor evict(@Nullable String host) {
        if (host == null || host.isBlank()) {
            return new EvictionDescriptor(null, this.pool.evictIdle(null));
        }
        PoolHosts.Host h = PoolHosts.of(this.pool.stats(), this.pool.traffic()).get(host);
        int evicted = 0;
        if (h != null) {
            for (Origin origin : h.origins()) {
                evicted += this.pool.evictIdle(origin);
            }
        }
        return new EvictionDescriptor(h != null ? h.authority() : host.trim(), evicted);
    }

    /** The addresses of a host with their connections and ejection state; the one place they are derived. */
    private List<AddressDescriptor> addresses(PoolHosts.Host host) {
        Map<String, AddressDescriptor> rows = new LinkedHashMap<>();
        for (Origin origin : host.origins()) {
            for (AddressInfo a : this.pool.addresses(origin)) {
                AddressDescriptor row = new AddressDescriptor(a.address(), a.connections(), a.ejected(),
                        iso(a.ejectedUntil()), a.consecutiveFailures());
                rows.merge(a.address(), row, (x, y) -> new AddressDescriptor(x.address(),
                        x.connections() + y.connections(), x.ejected(), x.ejectedUntil(), x.consecutiveFailures()));
            }
        }
        return List.copyOf(rows.values());
    }

    private HealthCheckDescriptor healthCheck() {
        HealthCheckReport last = this.pool.lastHealthCheck();
        return new HealthCheckDescriptor(iso(last.startedAt()), last.durationMillis(), last.checked(),
                last.closedTotal(), last.warmed(), last.warmFailures(), iso(this.nextHealthCheck.get()));
    }

    private static TlsDescriptor tls(TlsProfiles profiles, Map<String, Fingerprint> fingerprints) {
        Map<String, ProfileDescriptor> inUse = new LinkedHashMap<>();
        for (TlsProfile profile : profiles.inUse()) {
            Fingerprint f = fingerprints.get(profile.name());
            inUse.put(profile.name(), f == null ? new ProfileDescriptor(null, null, null, null, 0, null, null)
                    : new ProfileDescriptor(f.ja3(), f.ja3Md5(), f.ja4(), f.hostName().ja4Raw(),
                            f.hostName().length(), f.ipLiteral(), f.http2()));
        }
        return new TlsDescriptor(kebab(profiles.provider()), kebab(profiles.rotation()), inUse);
    }

    private static ConfigDescriptor config(HotPoolConfig c) {
        OutlierSettings o = c.outlier();
        Map<String, List<String>> addresses = new TreeMap<>(c.staticAddresses());
        TlsProfiles profiles = c.tlsProfiles();
        return new ConfigDescriptor(c.name(), c.maxConnections(), c.maxConnsPerHost(), c.maxIdleConns(),
                c.maxPendingAcquires(), millis(c.connectTimeout()), millis(c.readTimeout()),
                millis(c.acquireTimeout()), millis(c.idleTimeout()), millis(c.maxLifetime()),
                millis(c.validateAfterInactivity()), millis(c.validateNonRetryableAfterInactivity()),
                millis(c.healthCheckInterval()),
                millis(c.leakDetectionThreshold()), millis(c.shutdownTimeout()), c.drainLimit(),
                millis(c.drainTimeout()), c.maxRedirects(), c.maxResponseLineLength(), c.maxResponseHeaderCount(),
                c.maxResponseHeadSize(), millis(c.callTimeout()), c.maxRequestsPerConnection(),
                new ConnectConfig(millis(c.fallbackDelay()), c.tcpKeepAlive(), millis(c.tcpKeepAliveIdle()),
                        millis(c.tcpKeepAliveInterval()), c.tcpKeepAliveCount()),
                new RetryConfig(c.retryEnabled(), c.maxRetries()),
                new HealthCheckConfig(withoutQuery(c.healthCheckProbePath()), c.healthCheckProbeMethod(),
                        millis(c.healthCheckTimeout())),
                new WarmupConfig(c.warmupHosts().stream().map(Origin::toString).toList(), c.warmupMinIdlePerHost(),
                        c.warmupMaxConcurrent()),
                new DnsConfig(millis(c.dnsRefreshInterval()), addresses),
                new OutlierConfig(o.enabled(), o.consecutiveFailures(), new TreeSet<>(o.ejectOnStatus()),
                        millis(o.baseEjectionTime()), millis(o.maxEjectionTime()), o.maxEjectionPercent()),
                c.localAddresses().addresses().stream().map((a) -> a.getHostAddress()).toList(),
                new TlsConfig(c.tls().name(), profiles.profile() != null ? profiles.profile().name() : null,
                        kebab(profiles.rotation()), profiles.inUse().stream().map(TlsProfile::name).toList()),
                hostsConfig(c), proxy(c.proxy()));
    }

    /** {@code hotpool.proxy.*} as in effect: never the credentials. */
    private static ProxyConfig proxy(ProxySettings p) {
        return new ProxyConfig(p.enabled(), p.system() ? "jvm" : p.enabled() ? "url" : "none",
                p.proxy() != null ? p.proxy().authority() : null, p.proxy() != null && p.proxy().hasCredentials(),
                p.nonProxyHosts());
    }

    // ---- per-host settings (hotpool.hosts) ------------------------------------------------------------------

    /** Each configured host pattern with the values that apply to the hosts it matches. */
    private static Map<String, HostSettingsDescriptor> hostsConfig(HotPoolConfig c) {
        Map<String, HostSettingsDescriptor> hosts = new LinkedHashMap<>();
        c.effectiveHostSettings().forEach((pattern, settings) -> hosts.put(pattern, settings(settings)));
        return hosts;
    }

    /** The values that apply to a host row's host name (of its {@code host:port}): its pattern's, else the pool's. */
    private HostSettingsDescriptor settings(PoolHosts.Host host) {
        String authority = host.authority();
        String name = authority.substring(0, Math.max(0, authority.lastIndexOf(':')));
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1); // An IPv6 literal.
        }
        return settings(this.pool.config().hostSettings(name));
    }

    private static HostSettingsDescriptor settings(EffectiveHostSettings s) {
        return new HostSettingsDescriptor(s.pattern(), s.maxConnections(), millis(s.idleTimeout()),
                millis(s.maxLifetime()), s.minIdle(), s.tlsProfile(), withoutQuery(s.probePath()),
                millis(s.readTimeout()), millis(s.connectTimeout()));
    }

    /**
     * The settings that apply to a host ({@code hotpool.hosts}); durations in milliseconds.
     *
     * @param pattern the {@code hotpool.hosts} pattern that matches the host, {@code null} when none does (the pool's
     *     values apply)
     * @param maxConnections most connections to one origin of the host
     * @param minIdle idle connections each warm origin of the host is kept at
     * @param tlsProfile the TLS profile of its new connections, {@code null}: the pool's choice
     * @param probePath the probe path without its query string, {@code null} when no probe is sent
     */
    public record HostSettingsDescriptor(@Nullable String pattern, int maxConnections, long idleTimeoutMillis,
            long maxLifetimeMillis, int minIdle, @Nullable String tlsProfile, @Nullable String probePath,
            long readTimeoutMillis, long connectTimeoutMillis) {
    }

    static String kebab(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static long millis(Duration d) {
        return d.toMillis();
    }

    private static @Nullable String iso(@Nullable Instant instant) {
        return instant != null ? instant.toString() : null;
    }

    /** A probe path as configured, less any query string (which may carry a token). */
    private static @Nullable String withoutQuery(@Nullable String path) {
        if (path == null) {
            return null;
        }
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /**
     * {@code GET /actuator/hotpool}.
     *
     * @param config the effective settings
     * @param connections the pool's connection counts now
     * @param requests requests since start
     * @param handshakes TLS handshakes since start
     * @param closed connections closed since start per reason ({@code idle-timeout}, … as the meters' tag)
     * @param hosts per {@code host:port}
     * @param healthCheck the background health check
     * @param tls the TLS provider and the fingerprints of the profiles in use
     */
    public record PoolDescriptor(ConfigDescriptor config, ConnectionsDescriptor connections,
            RequestsDescriptor requests, HandshakesDescriptor handshakes, Map<String, Long> closed,
            Map<String, HostDescriptor> hosts, HealthCheckDescriptor healthCheck, TlsDescriptor tls) {
    }

    /**
     * Connection counts.
     *
     * @param total open or opening
     * @param active leased
     * @param idle in the pool (being checked included)
     * @param connecting being opened
     * @param pending leases waiting for a connection
     * @param max {@code hotpool.max-connections}
     * @param created opened since start
     * @param acquireTimeouts leases that got no connection since start
     */
    public record ConnectionsDescriptor(int total, int active, int idle, int connecting, int pending, int max,
            long created, long acquireTimeouts) {
    }

    /**
     * Request counts since start.
     *
     * @param reuseRatio requests that needed no new connection / all requests
     */
    public record RequestsDescriptor(long total, long succeeded, long failed, long retried, double reuseRatio) {
    }

    /** TLS handshakes since start, and how long they took. */
    public record HandshakesDescriptor(long total, long failed, LatencySummary latency) {
    }

    /**
     * One host in {@code hosts}.
     *
     * @param connections open or opening
     * @param requests sent since start
     * @param addresses its addresses, with their connections and ejection state
     * @param settings the settings that apply to it ({@code hotpool.hosts}, else the pool's)
     * @param proxies the HTTP proxies ({@code host:port}) its connections go through; absent when all are direct
     * @param lastConnectFailure the last failure to open a connection to it, or {@code null}
     */
    public record HostDescriptor(int connections, int active, int idle, int connecting, int pending, long requests,
            List<AddressDescriptor> addresses, HostSettingsDescriptor settings,
            @Nullable List<String> proxies, @Nullable ConnectFailureDescriptor lastConnectFailure) {
    }

    /**
     * The last failure to open a connection to a host.
     *
     * @param phase the step that failed: {@code dns}, {@code tcp}, {@code tls} or {@code proxy}
     * @param at when, ISO-8601
     * @param message what the caller was told
     */
    public record ConnectFailureDescriptor(String phase, String at, String message) {
    }

    /**
     * {@code GET /actuator/hotpool/{host:port}}.
     *
     * @param host {@code host:port}
     * @param origins the origins ({@code scheme://host:port}) seen for it
     * @param total connections open or opening
     * @param connections one row per open connection, oldest first
     * @param lastConnectFailure the last failure to open a connection to it, or {@code null}
     * @param settings the settings that apply to it ({@code hotpool.hosts}, else the pool's)
     * @param proxies the HTTP proxies ({@code host:port}) its connections go through; absent when all are direct
     */
    public record HostDetailDescriptor(String host, List<String> origins, int total, int active, int idle,
            int connecting, int pending, long requests, List<AddressDescriptor> addresses,
            List<ConnectionInfo> connections, HostSettingsDescriptor settings,
            @Nullable List<String> proxies, @Nullable ConnectFailureDescriptor lastConnectFailure) {
    }

    /**
     * One address of a host.
     *
     * @param ejectedUntil ISO-8601, or {@code null} when not ejected
     */
    public record AddressDescriptor(String address, int connections, boolean ejected, @Nullable String ejectedUntil,
            int consecutiveFailures) {
    }

    /**
     * The background health check.
     *
     * @param lastRunAt when the last run started (ISO-8601), {@code null} before the first
     * @param closed connections the last run closed
     * @param warmFailures warm-up connections the last run failed to open
     * @param nextRunAt when the next run is due (ISO-8601), {@code null} when none is scheduled
     */
    public record HealthCheckDescriptor(@Nullable String lastRunAt, long lastDurationMillis, int checked, int closed,
            int warmed, int warmFailures, @Nullable String nextRunAt) {
    }

    /**
     * TLS.
     *
     * @param provider {@code bc} (BouncyCastle JSSE) or {@code jdk}
     * @param rotation how new connections pick a profile
     * @param profiles the profiles in use, by name
     */
    public record TlsDescriptor(String provider, String rotation, Map<String, ProfileDescriptor> profiles) {
    }

    /**
     * The fingerprints of a profile's ClientHello to a host name (the usual case: with SNI), and to an IP literal, and
     * of what its HTTP/2 connections send first.
     *
     * @param ja3 the JA3 string
     * @param ja3Md5 its MD5
     * @param ja4 the JA4
     * @param ja4Raw JA4 with the sorted lists instead of their hashes
     * @param helloLength the ClientHello's size in bytes
     * @param ipLiteral the same for a hello to an IP literal (no SNI)
     * @param http2 the HTTP/2 fingerprint ({@code SETTINGS|WINDOW_UPDATE|PRIORITY|PSEUDO_HEADER_ORDER}, e.g.
     *     {@code 1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p}), or {@code null} when no connection offers h2
     */
    public record ProfileDescriptor(@Nullable String ja3, @Nullable String ja3Md5, @Nullable String ja4,
            @Nullable String ja4Raw, int helloLength, Fingerprint.@Nullable Hello ipLiteral, @Nullable String http2) {
    }

    /**
     * The result of {@code POST /actuator/hotpool}.
     *
     * @param host the host evicted, {@code null} for all
     * @param evicted idle connections closed
     */
    public record EvictionDescriptor(@Nullable String host, int evicted) {
    }

    /**
     * The effective settings; durations in milliseconds.
     *
     * @param hosts each {@code hotpool.hosts} pattern with the values that apply to the hosts it matches
     */
    public record ConfigDescriptor(String name, int maxConnections, int maxConnsPerHost, int maxIdleConns,
            int maxPendingAcquires, long connectTimeoutMillis, long readTimeoutMillis, long acquireTimeoutMillis,
            long idleTimeoutMillis, long maxLifetimeMillis, long validateAfterInactivityMillis,
            long validateNonRetryableAfterInactivityMillis, long healthCheckIntervalMillis, long leakDetectionThresholdMillis, long shutdownTimeoutMillis,
            int drainLimitBytes, long drainTimeoutMillis, int maxRedirects, int maxResponseLineLength,
            int maxResponseHeaderCount, int maxResponseHeadSize, long callTimeoutMillis, int maxRequestsPerConnection,
            ConnectConfig connect, RetryConfig retry, HealthCheckConfig healthCheck,
            WarmupConfig warmup, DnsConfig dns, OutlierConfig outlier, List<String> localAddresses, TlsConfig tls,
            Map<String, HostSettingsDescriptor> hosts, ProxyConfig proxy) {
    }

    /**
     * {@code hotpool.proxy.*}.
     *
     * @param source {@code url} (the proxy of {@code hotpool.proxy.url}), {@code jvm} (the JVM's proxy settings) or
     *     {@code none} ({@code hotpool.proxy.enabled=false})
     * @param proxy the proxy's {@code host:port} for {@code url}, else {@code null}
     * @param credentials whether Basic credentials are set (never the credentials themselves)
     */
    public record ProxyConfig(boolean enabled, String source, @Nullable String proxy, boolean credentials,
            List<String> nonProxyHosts) {
    }

    public record RetryConfig(boolean enabled, int maxRetries) {
    }

    /**
     * @param fallbackDelayMillis {@code hotpool.connect.fallback-delay}, {@code 0}: addresses one after another
     * @param tcpKeepAlive {@code hotpool.tcp.keep-alive}; the idle, interval and count below apply when it is on
     */
    public record ConnectConfig(long fallbackDelayMillis, boolean tcpKeepAlive, long tcpKeepAliveIdleMillis,
            long tcpKeepAliveIntervalMillis, int tcpKeepAliveCount) {
    }

    /** @param probePath without its query string, {@code null} when no probe is sent */
    public record HealthCheckConfig(@Nullable String probePath, String probeMethod, long timeoutMillis) {
    }

    /** @param hosts origins kept warm */
    public record WarmupConfig(List<String> hosts, int minIdlePerHost, int maxConcurrent) {
    }

    /** @param addresses fixed addresses per host name ({@code hotpool.addresses}) */
    public record DnsConfig(long refreshIntervalMillis, Map<String, List<String>> addresses) {
    }

    public record OutlierConfig(boolean enabled, int consecutiveFailures, java.util.Set<Integer> ejectOnStatus,
            long baseEjectionTimeMillis, long maxEjectionTimeMillis, int maxEjectionPercent) {
    }

    /**
     * @param trust the name of the TLS settings of requests that bring none (the SSL bundle's, or {@code default})
     * @param profile {@code hotpool.tls.profile}
     * @param rotation {@code hotpool.tls.rotation}
     * @param profilesInUse the profiles new connections use
     */
    public record TlsConfig(String trust, @Nullable String profile, String rotation, List<String> profilesInUse) {
    }
}
