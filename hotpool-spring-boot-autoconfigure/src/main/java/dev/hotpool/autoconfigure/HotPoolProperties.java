package dev.hotpool.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hotpool.HotPoolConfig;
import dev.hotpool.Http2Settings;
import dev.hotpool.net.OutlierSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of hotpool ({@code hotpool.*}). Values are validated once, when they are mapped
 * onto {@link dev.hotpool.HotPoolConfig}: an impossible value fails the startup with the property's name.
 *
 * <p>Defaults are written once. A property that sets the pool starts from the core's own default
 * ({@link HotPoolConfig#DEFAULTS}, {@link OutlierSettings#DEFAULTS}), so Spring and plain Java users get the same
 * pool; only what exists in Spring alone ({@code enabled} switches, {@code warmup.wait-on-startup}) has its literal
 * here. The configuration processor reads only literals, so the defaults the generated metadata shows for the
 * others come from {@code META-INF/additional-spring-configuration-metadata.json}, which
 * {@code HotPoolPropertiesDefaultsTests} checks against these values. The {@code tls.*} and {@code metrics.*}
 * literals mirror the core's (its {@code TlsProfiles} builder and {@code HotPoolMetrics.Options.DEFAULTS}, which
 * this class must not load: Micrometer is optional), and the same test checks them.
 *
 * <p>Not thread-safe; bound once at startup.
 */
@ConfigurationProperties("hotpool")
public class HotPoolProperties {

    /** The pool's defaults, which the properties that set the pool start from. */
    private static final HotPoolConfig CORE = HotPoolConfig.DEFAULTS;

    /** The outlier detection's defaults, which {@code hotpool.outlier.*} start from. */
    private static final OutlierSettings OUTLIER = OutlierSettings.DEFAULTS;

    /** The HTTP/2 settings' defaults, which {@code hotpool.http2.*} start from. */
    private static final Http2Settings HTTP2 = Http2Settings.DEFAULTS;

    /**
     * Whether hotpool is enabled. When disabled, RestClient and RestTemplate use Spring Boot's own
     * request factory.
     */
    private boolean enabled = true;

    /**
     * Maximum number of connections open at once over all hosts, whether connecting, leased or idle.
     */
    private int maxConnections = CORE.maxConnections();

    /**
     * Maximum number of connections open at once to one origin (scheme, host and port).
     */
    private int maxConnsPerHost = CORE.maxConnsPerHost();

    /**
     * Maximum number of idle connections kept over all hosts. Past it, the oldest idle connection is closed.
     */
    private int maxIdleConns = CORE.maxIdleConns();

    /**
     * Time allowed for the TCP connect and the TLS handshake together. A request factory's own
     * 'spring.http.clients.connect-timeout' takes precedence for its requests.
     */
    private Duration connectTimeout = CORE.connectTimeout();

    /**
     * Socket read timeout while waiting for response bytes. A request factory's own
     * 'spring.http.clients.read-timeout' takes precedence for its requests.
     */
    private Duration readTimeout = CORE.readTimeout();

    /**
     * Longest wait for a connection when the limits are reached.
     */
    private Duration acquireTimeout = CORE.acquireTimeout();

    /**
     * Maximum number of requests waiting for a connection to one origin. Past it, a request fails at once.
     */
    private int maxPendingAcquires = CORE.maxPendingAcquires();

    /**
     * Time after its last use that an idle connection is closed instead of reused.
     */
    private Duration idleTimeout = CORE.idleTimeout();

    /**
     * Time after its connect that a connection is closed instead of reused, shortened by up to 2.5% per
     * connection so connections do not all expire together.
     */
    private Duration maxLifetime = CORE.maxLifetime();

    /**
     * Idle time after which a connection gets a cheap liveness check before it is handed out.
     */
    private Duration validateAfterInactivity = CORE.validateAfterInactivity();

    /**
     * Idle time after which a connection gets the same check before it carries a request that cannot be
     * retried (a method that is not idempotent and no Idempotency-Key header, a body that cannot be replayed,
     * or any request while retries are off), which would fail if the server had closed the connection. The shorter of this and
     * 'hotpool.validate-after-inactivity' applies to such requests.
     */
    private Duration validateNonRetryableAfterInactivity = CORE.validateNonRetryableAfterInactivity();

    /**
     * Interval between runs of the background health checker.
     */
    private Duration healthCheckInterval = CORE.healthCheckInterval();

    /**
     * Maximum length of the status line, of one header line of a response (an unfolded one whole), or of one line of a
     * chunked body (chunk size, trailer field), in characters.
     */
    private int maxResponseLineLength = CORE.maxResponseLineLength();

    /**
     * Maximum number of header fields in a response, and of trailer fields after a chunked body.
     */
    private int maxResponseHeaderCount = CORE.maxResponseHeaderCount();

    /**
     * Maximum size of a response head (status line and headers), and of the trailer section of a chunked body, in
     * bytes.
     */
    private int maxResponseHeadSize = CORE.maxResponseHeadSize();

    /**
     * Maximum unread body size drained when a response is closed early, so its connection can be reused.
     * A larger remainder closes the connection.
     */
    private DataSize drainLimit = DataSize.ofBytes(CORE.drainLimit());

    /**
     * Longest time spent draining an unread body when a response is closed early.
     */
    private Duration drainTimeout = CORE.drainTimeout();

    /**
     * Maximum number of redirects followed for one request.
     */
    private int maxRedirects = CORE.maxRedirects();

    /**
     * Time a lease may be held before a warning with the stack trace of where it was taken is logged. Zero
     * turns leak detection off.
     */
    private Duration leakDetectionThreshold = CORE.leakDetectionThreshold();

    /**
     * Time leased connections get to come back when the application shuts down, before every connection
     * is closed.
     */
    private Duration shutdownTimeout = CORE.shutdownTimeout();

    /**
     * Bound on a whole call up to its response head: waiting for a connection, connecting, the TLS handshake,
     * sending the request and receiving the response head, retries and redirects included. On expiry the
     * connection is discarded and the error names the phase that ran out. Reading the body is bounded by
     * 'read-timeout' per read only. A request factory's own call timeout takes precedence. Zero: no bound.
     */
    private Duration callTimeout = CORE.callTimeout();

    /**
     * Maximum number of requests one connection serves; it is closed when it comes back from the last, before a
     * server's own limit (such as nginx's 'keepalive_requests') races a request on it. Zero: unlimited.
     */
    private int maxRequestsPerConnection = CORE.maxRequestsPerConnection();

    /**
     * Fixed IP addresses per host name, used instead of DNS for those hosts. Host names with dots need
     * the bracket notation: 'hotpool.addresses[api.example.com]'.
     */
    private Map<String, List<String>> addresses = new LinkedHashMap<>();

    /**
     * Local IPv4 or IPv6 addresses outgoing connections are bound to, taken in turn among those of the
     * target's family. Each must be bindable on this machine.
     */
    private List<String> localAddresses = new ArrayList<>();

    private final Dns dns = new Dns();

    private final Outlier outlier = new Outlier();

    private final Access access = new Access();

    private final Tls tls = new Tls();

    private final HealthCheck healthCheck = new HealthCheck();

    private final Warmup warmup = new Warmup();

    private final Retry retry = new Retry();

    private final Compression compression = new Compression();

    private final Metrics metrics = new Metrics();

    private final Connect connect = new Connect();

    private final Tcp tcp = new Tcp();

    /**
     * HTTP protocols new connections may speak, in order of preference, by their ALPN names: 'http/1.1' and 'h2'.
     * 'h2, http/1.1' turns HTTP/2 on: TLS connections offer the list in ALPN (in place of the TLS profile's own list)
     * and speak what the server picks; a server without HTTP/2 picks 'http/1.1'. The default, 'http/1.1', leaves
     * the ClientHello as the TLS profile has it. Cleartext HTTP/2 by prior knowledge ('h2c') is set per host only:
     * 'hotpool.hosts[<pattern>].protocols'.
     */
    private List<String> protocols = new ArrayList<>(CORE.protocols());

    private final Http2 http2 = new Http2();

    /**
     * Settings of their own for some hosts, by host pattern: a host name or IP address ('api.example.com'), or
     * '*.' and a domain for every name under it ('*.example.com', not 'example.com' itself). The most specific
     * pattern applies to a host (its exact name, else the longest matching wildcard); what it leaves unset is the
     * pool's. Patterns with dots need the bracket notation: 'hotpool.hosts[api.example.com].max-connections'.
     */
    private Map<String, Host> hosts = new LinkedHashMap<>();

    public Map<String, Host> getHosts() {
        return this.hosts;
    }

    public void setHosts(Map<String, Host> hosts) {
        this.hosts = hosts;
    }

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

    public Duration getValidateNonRetryableAfterInactivity() {
        return this.validateNonRetryableAfterInactivity;
    }

    public void setValidateNonRetryableAfterInactivity(Duration validateNonRetryableAfterInactivity) {
        this.validateNonRetryableAfterInactivity = validateNonRetryableAfterInactivity;
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

    public Duration getLeakDetectionThreshold() {
        return this.leakDetectionThreshold;
    }

    public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
        this.leakDetectionThreshold = leakDetectionThreshold;
    }

    public Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Duration getCallTimeout() {
        return this.callTimeout;
    }

    public void setCallTimeout(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    public int getMaxRequestsPerConnection() {
        return this.maxRequestsPerConnection;
    }

    public void setMaxRequestsPerConnection(int maxRequestsPerConnection) {
        this.maxRequestsPerConnection = maxRequestsPerConnection;
    }

    public Connect getConnect() {
        return this.connect;
    }

    public Tcp getTcp() {
        return this.tcp;
    }

    public List<String> getProtocols() {
        return this.protocols;
    }

    public void setProtocols(List<String> protocols) {
        this.protocols = protocols;
    }

    public Http2 getHttp2() {
        return this.http2;
    }

    public HealthCheck getHealthCheck() {
        return this.healthCheck;
    }

    public Warmup getWarmup() {
        return this.warmup;
    }

    public Retry getRetry() {
        return this.retry;
    }

    public Compression getCompression() {
        return this.compression;
    }

    public Map<String, List<String>> getAddresses() {
        return this.addresses;
    }

    public void setAddresses(Map<String, List<String>> addresses) {
        this.addresses = addresses;
    }

    public List<String> getLocalAddresses() {
        return this.localAddresses;
    }

    public void setLocalAddresses(List<String> localAddresses) {
        this.localAddresses = localAddresses;
    }

    public Dns getDns() {
        return this.dns;
    }

    public Outlier getOutlier() {
        return this.outlier;
    }

    public Access getAccess() {
        return this.access;
    }

    public Tls getTls() {
        return this.tls;
    }

    public Metrics getMetrics() {
        return this.metrics;
    }

    /** TLS settings of the pool. */
    public static class Tls {

        /**
         * Name of the Spring SSL bundle ('spring.ssl.bundle.*') whose trust material and client key the
         * pool's TLS connections use. When not set, the JDK's default trust store is used.
         */
        private String bundle;

        /**
         * TLS client profile of every new connection while the rotation is 'fixed': one of the built-in profiles
         * 'default', 'modern', 'compatible' and 'browser-like', or one configured under 'hotpool.tls.profiles'.
         */
        private String profile = "default";

        /**
         * How each new connection picks its TLS client profile: 'fixed' uses 'hotpool.tls.profile';
         * 'round-robin' and 'random' go over 'hotpool.tls.rotate-profiles'. A connection keeps its profile.
         */
        private dev.hotpool.tls.TlsProfiles.Rotation rotation = dev.hotpool.tls.TlsProfiles.Rotation.FIXED;

        /**
         * Profiles new connections rotate over when the rotation is 'round-robin' or 'random'. A profile listed
         * twice is used twice as often.
         */
        private List<String> rotateProfiles = new ArrayList<>();

        /**
         * JSSE implementation that speaks TLS: 'bc' (BouncyCastle's, which sets every part of a profile) or
         * 'jdk' (the JDK's SunJSSE, which on Java 17 sets only a profile's protocols, cipher suites and ALPN).
         */
        private dev.hotpool.tls.TlsProvider provider = dev.hotpool.tls.TlsProvider.BC;

        /**
         * TLS client profiles by name, besides the built-in ones: what the ClientHello offers and, under 'http2',
         * what HTTP/2 connections send first (SETTINGS, WINDOW_UPDATE, pseudo-header order). A name the provider
         * cannot send on this JVM, or an HTTP/2 value no connection could send, fails the startup.
         */
        private java.util.Map<String, Profile> profiles = new java.util.LinkedHashMap<>();

        public String getBundle() {
            return this.bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }

        public String getProfile() {
            return this.profile;
        }

        public void setProfile(String profile) {
            this.profile = profile;
        }

        public dev.hotpool.tls.TlsProfiles.Rotation getRotation() {
            return this.rotation;
        }

        public void setRotation(dev.hotpool.tls.TlsProfiles.Rotation rotation) {
            this.rotation = rotation;
        }

        public List<String> getRotateProfiles() {
            return this.rotateProfiles;
        }

        public void setRotateProfiles(List<String> rotateProfiles) {
            this.rotateProfiles = rotateProfiles;
        }

        public dev.hotpool.tls.TlsProvider getProvider() {
            return this.provider;
        }

        public void setProvider(dev.hotpool.tls.TlsProvider provider) {
            this.provider = provider;
        }

        public java.util.Map<String, Profile> getProfiles() {
            return this.profiles;
        }

        public void setProfiles(java.util.Map<String, Profile> profiles) {
            this.profiles = profiles;
        }

        /** One TLS client profile: what a new connection's ClientHello offers. */
        public static class Profile {

            /**
             * Protocols to offer: TLSv1.3, TLSv1.2.
             */
            private List<String> protocols = new ArrayList<>(List.of("TLSv1.3", "TLSv1.2"));

            /**
             * Cipher suites in the order to offer them, by their JSSE names (TLS_AES_128_GCM_SHA256). When not
             * set, the provider's default list.
             */
            private List<String> cipherSuites;

            /**
             * Named groups for the key exchange in the order to offer them (x25519, secp256r1). When not set, the
             * provider's default list.
             */
            private List<String> namedGroups;

            /**
             * Named groups that get a key share in a TLS 1.3 ClientHello; each must also be one of the named
             * groups. When not set, the provider's choice.
             */
            private List<String> keyShares;

            /**
             * Signature schemes in the order to offer them (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256). When
             * not set, the provider's default list.
             */
            private List<String> signatureSchemes;

            /**
             * ALPN protocols to offer while 'hotpool.protocols' (or a host's) leaves h2 out: http/1.1, or none at
             * all when empty. With h2 there, connections offer those protocols instead, and this must be 'http/1.1'
             * (it follows them) or the same list; a list with h2 needs h2 in the protocols.
             */
            private List<String> alpn = new ArrayList<>(List.of("http/1.1"));

            /**
             * What the profile's HTTP/2 connections send first, its HTTP/2 fingerprint; each value not set is
             * hotpool's own ('hotpool.http2.*').
             */
            private final ProfileHttp2 http2 = new ProfileHttp2();

            public List<String> getProtocols() {
                return this.protocols;
            }

            public void setProtocols(List<String> protocols) {
                this.protocols = protocols;
            }

            public List<String> getCipherSuites() {
                return this.cipherSuites;
            }

            public void setCipherSuites(List<String> cipherSuites) {
                this.cipherSuites = cipherSuites;
            }

            public List<String> getNamedGroups() {
                return this.namedGroups;
            }

            public void setNamedGroups(List<String> namedGroups) {
                this.namedGroups = namedGroups;
            }

            public List<String> getKeyShares() {
                return this.keyShares;
            }

            public void setKeyShares(List<String> keyShares) {
                this.keyShares = keyShares;
            }

            public List<String> getSignatureSchemes() {
                return this.signatureSchemes;
            }

            public void setSignatureSchemes(List<String> signatureSchemes) {
                this.signatureSchemes = signatureSchemes;
            }

            public List<String> getAlpn() {
                return this.alpn;
            }

            public void setAlpn(List<String> alpn) {
                this.alpn = alpn;
            }

            public ProfileHttp2 getHttp2() {
                return this.http2;
            }
        }

        /**
         * A profile's HTTP/2 fingerprint: what its connections that agree h2 send first. The profile decides what is
         * sent; a 'hotpool.http2.*' size set explicitly replaces its value; hotpool enforces what it sent.
         */
        public static class ProfileHttp2 {

            /**
             * SETTINGS sent in the connection preface, in order, as id:value pairs joined by ';' (the SETTINGS part
             * of an HTTP/2 fingerprint: '1:65536;2:0;4:6291456;6:262144'). Must hold '2:0' (no server push). When
             * not set, hotpool's own from 'hotpool.http2.*'.
             */
            private String settings;

            /**
             * Increment of the connection-level WINDOW_UPDATE sent after the SETTINGS: 0 for none, at most
             * 2147418112. When not set, 'hotpool.http2.connection-window-size' less 65535.
             */
            private Integer windowUpdate;

            /**
             * Order of the request pseudo-header fields as the letters m, a, s and p (:method, :authority, :scheme,
             * :path), each once: 'm,a,s,p' (hotpool's own and Chrome's) or, for example, 'm,p,a,s'.
             */
            private String pseudoHeaderOrder;

            public String getSettings() {
                return this.settings;
            }

            public void setSettings(String settings) {
                this.settings = settings;
            }

            public Integer getWindowUpdate() {
                return this.windowUpdate;
            }

            public void setWindowUpdate(Integer windowUpdate) {
                this.windowUpdate = windowUpdate;
            }

            public String getPseudoHeaderOrder() {
                return this.pseudoHeaderOrder;
            }

            public void setPseudoHeaderOrder(String pseudoHeaderOrder) {
                this.pseudoHeaderOrder = pseudoHeaderOrder;
            }
        }
    }

    public static class HealthCheck {

        /**
         * Whether the background health check runs. It closes expired idle connections, checks the others
         * and keeps warm hosts topped up.
         */
        private boolean enabled = true;

        /**
         * Path of a probe request sent on each idle connection by the health check (for example
         * '/health'). A 2xx or 3xx answer keeps the connection; anything else, or no answer, closes it. When
         * not set, only a cheap liveness read is done.
         */
        private String probePath;

        /**
         * HTTP method of the probe request.
         */
        private String probeMethod = CORE.healthCheckProbeMethod();

        /**
         * Longest wait for the answer to a probe request.
         */
        private Duration timeout = CORE.healthCheckTimeout();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getProbePath() {
            return this.probePath;
        }

        public void setProbePath(String probePath) {
            this.probePath = probePath;
        }

        public String getProbeMethod() {
            return this.probeMethod;
        }

        public void setProbeMethod(String probeMethod) {
            this.probeMethod = probeMethod;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    public static class Warmup {

        /**
         * Origins to keep warm, such as 'https://api.example.com'. Connections to them are opened at startup
         * and topped up by every health check.
         */
        private List<String> hosts = new ArrayList<>();

        /**
         * Number of idle connections each warm host is kept at.
         */
        private int minIdlePerHost = CORE.warmupMinIdlePerHost();

        /**
         * Maximum number of connections opened at once while warming.
         */
        private int maxConcurrent = CORE.warmupMaxConcurrent();

        /**
         * Time the application's startup waits for the first warm connections. Zero lets startup go on
         * while warming continues in the background.
         */
        private Duration waitOnStartup = Duration.ZERO;

        public List<String> getHosts() {
            return this.hosts;
        }

        public void setHosts(List<String> hosts) {
            this.hosts = hosts;
        }

        public int getMinIdlePerHost() {
            return this.minIdlePerHost;
        }

        public void setMinIdlePerHost(int minIdlePerHost) {
            this.minIdlePerHost = minIdlePerHost;
        }

        public int getMaxConcurrent() {
            return this.maxConcurrent;
        }

        public void setMaxConcurrent(int maxConcurrent) {
            this.maxConcurrent = maxConcurrent;
        }

        public Duration getWaitOnStartup() {
            return this.waitOnStartup;
        }

        public void setWaitOnStartup(Duration waitOnStartup) {
            this.waitOnStartup = waitOnStartup;
        }
    }

    /** Micrometer meters of the pool. */
    public static class Metrics {

        /**
         * Whether the pool's meters (hotpool.*) are registered when Micrometer and a MeterRegistry are present.
         */
        private boolean enabled = true;

        /**
         * Whether meters carry a 'host' tag (host:port). Every host then multiplies the number of time series;
         * per-address detail stays on the actuator endpoint.
         */
        private boolean perHostTags = false;

        /**
         * Maximum number of hosts that get their own 'host' tag when per-host tags are on. Further hosts share
         * the tag value 'other'.
         */
        private int maxHosts = 100;

        /**
         * Names of the connection meters: 'hotpool' (hotpool.connections, tag 'host') or 'otel' (OpenTelemetry's
         * semantic conventions: http.client.open_connections, http.client.connection.duration, tags
         * 'server.address' and 'server.port' on every meter, per host up to max-hosts).
         */
        private Naming naming = Naming.HOTPOOL;

        public Naming getNaming() {
            return this.naming;
        }

        public void setNaming(Naming naming) {
            this.naming = naming;
        }

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isPerHostTags() {
            return this.perHostTags;
        }

        public void setPerHostTags(boolean perHostTags) {
            this.perHostTags = perHostTags;
        }

        public int getMaxHosts() {
            return this.maxHosts;
        }

        public void setMaxHosts(int maxHosts) {
            this.maxHosts = maxHosts;
        }
    }

    /** Names of the pool's connection meters. */
    public enum Naming {

        /** hotpool.connections with 'state' and 'host': the names since the first release. */
        HOTPOOL,

        /** OpenTelemetry's semantic conventions for HTTP client connections. */
        OTEL
    }

    public static class Connect {

        /**
         * Fast fallback (Happy Eyeballs, RFC 8305) for hosts with several addresses: how long a connect attempt
         * gets before the next address (of the other IP family first) is tried beside it. The first to connect
         * wins and the others are closed. Zero: addresses are tried one after another.
         */
        private Duration fallbackDelay = CORE.fallbackDelay();

        public Duration getFallbackDelay() {
            return this.fallbackDelay;
        }

        public void setFallbackDelay(Duration fallbackDelay) {
            this.fallbackDelay = fallbackDelay;
        }
    }

    /**
     * HTTP/2 connections: what hotpool asks of the server and allows it (used where 'hotpool.protocols' has h2). The
     * sizes bound from the environment (their setters called) are explicit, and replace a TLS profile's HTTP/2 values;
     * those left unset yield to a profile's.
     */
    public static class Http2 {

        /** The sizes whose setters were called: set explicitly. */
        private final java.util.Set<Http2Settings.Advertised> explicit = java.util.EnumSet
            .noneOf(Http2Settings.Advertised.class);

        /**
         * Maximum number of streams (requests in flight) hotpool opens at once on one HTTP/2 connection. Zero: as
         * many as the server's SETTINGS_MAX_CONCURRENT_STREAMS allows; above zero, the lower of the two.
         */
        private int maxConcurrentStreams = HTTP2.maxConcurrentStreams();

        /**
         * Receive window of each stream that hotpool advertises (SETTINGS_INITIAL_WINDOW_SIZE): how much of a
         * response body the server may send ahead of hotpool's reading. From 65535 bytes to 2147483647 bytes.
         */
        private DataSize initialWindowSize = DataSize.ofBytes(HTTP2.initialWindowSize());

        /**
         * Receive window of a whole HTTP/2 connection, shared by its streams. From 65535 bytes to 2147483647 bytes,
         * and at least 'hotpool.http2.initial-window-size'.
         */
        private DataSize connectionWindowSize = DataSize.ofBytes(HTTP2.connectionWindowSize());

        /**
         * Largest frame payload hotpool accepts (SETTINGS_MAX_FRAME_SIZE). From 16384 bytes to 16777215 bytes.
         */
        private DataSize maxFrameSize = DataSize.ofBytes(HTTP2.maxFrameSize());

        /**
         * Largest decoded header list of a response hotpool accepts (SETTINGS_MAX_HEADER_LIST_SIZE: each field's
         * name and value plus 32 bytes), which bounds what a small HPACK block may expand to. At least 1024 bytes.
         */
        private DataSize maxHeaderListSize = DataSize.ofBytes(HTTP2.maxHeaderListSize());

        /**
         * Size of the HPACK dynamic table hotpool keeps for decoding the server's headers
         * (SETTINGS_HEADER_TABLE_SIZE). Zero or more.
         */
        private DataSize headerTableSize = DataSize.ofBytes(HTTP2.headerTableSize());

        public int getMaxConcurrentStreams() {
            return this.maxConcurrentStreams;
        }

        public void setMaxConcurrentStreams(int maxConcurrentStreams) {
            this.maxConcurrentStreams = maxConcurrentStreams;
        }

        public DataSize getInitialWindowSize() {
            return this.initialWindowSize;
        }

        public void setInitialWindowSize(DataSize initialWindowSize) {
            this.initialWindowSize = initialWindowSize;
            this.explicit.add(Http2Settings.Advertised.INITIAL_WINDOW_SIZE);
        }

        public DataSize getConnectionWindowSize() {
            return this.connectionWindowSize;
        }

        public void setConnectionWindowSize(DataSize connectionWindowSize) {
            this.connectionWindowSize = connectionWindowSize;
            this.explicit.add(Http2Settings.Advertised.CONNECTION_WINDOW_SIZE);
        }

        public DataSize getMaxFrameSize() {
            return this.maxFrameSize;
        }

        public void setMaxFrameSize(DataSize maxFrameSize) {
            this.maxFrameSize = maxFrameSize;
            this.explicit.add(Http2Settings.Advertised.MAX_FRAME_SIZE);
        }

        public DataSize getMaxHeaderListSize() {
            return this.maxHeaderListSize;
        }

        public void setMaxHeaderListSize(DataSize maxHeaderListSize) {
            this.maxHeaderListSize = maxHeaderListSize;
            this.explicit.add(Http2Settings.Advertised.MAX_HEADER_LIST_SIZE);
        }

        public DataSize getHeaderTableSize() {
            return this.headerTableSize;
        }

        /** The sizes set explicitly (bound from the environment or given to a setter). */
        java.util.Set<Http2Settings.Advertised> explicitlySet() {
            return java.util.Collections.unmodifiableSet(this.explicit);
        }

        public void setHeaderTableSize(DataSize headerTableSize) {
            this.headerTableSize = headerTableSize;
            this.explicit.add(Http2Settings.Advertised.HEADER_TABLE_SIZE);
        }
    }

    public static class Tcp {

        /**
         * Whether TCP keep-alive probes are sent on connections (SO_KEEPALIVE), so the kernel finds a pooled
         * connection whose peer vanished without a FIN.
         */
        private boolean keepAlive = CORE.tcpKeepAlive();

        /**
         * Idle time before the first keep-alive probe (TCP_KEEPIDLE), in whole seconds. Applied where the JDK
         * supports it on the platform (Linux, macOS); elsewhere the system's timing applies.
         */
        private Duration keepAliveIdle = CORE.tcpKeepAliveIdle();

        /**
         * Time between unanswered keep-alive probes (TCP_KEEPINTERVAL), in whole seconds, where supported.
         */
        private Duration keepAliveInterval = CORE.tcpKeepAliveInterval();

        /**
         * Unanswered keep-alive probes after which the kernel drops the connection (TCP_KEEPCOUNT), where supported.
         */
        private int keepAliveCount = CORE.tcpKeepAliveCount();

        public boolean isKeepAlive() {
            return this.keepAlive;
        }

        public void setKeepAlive(boolean keepAlive) {
            this.keepAlive = keepAlive;
        }

        public Duration getKeepAliveIdle() {
            return this.keepAliveIdle;
        }

        public void setKeepAliveIdle(Duration keepAliveIdle) {
            this.keepAliveIdle = keepAliveIdle;
        }

        public Duration getKeepAliveInterval() {
            return this.keepAliveInterval;
        }

        public void setKeepAliveInterval(Duration keepAliveInterval) {
            this.keepAliveInterval = keepAliveInterval;
        }

        public int getKeepAliveCount() {
            return this.keepAliveCount;
        }

        public void setKeepAliveCount(int keepAliveCount) {
            this.keepAliveCount = keepAliveCount;
        }
    }

    public static class Compression {

        /**
         * Whether requests ask for gzip or deflate ('Accept-Encoding: gzip, x-gzip, deflate', unless the caller set
         * 'Accept-Encoding') and such responses are decoded as they stream, with 'Content-Encoding' and
         * 'Content-Length' removed from their headers. A caller's own 'Accept-Encoding' gets the body as sent.
         */
        private boolean enabled = CORE.compression();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    public static class Retry {

        /**
         * Whether a request whose kept-alive connection was closed by the server before any response byte
         * arrived is sent again on a new connection. Only idempotent methods (GET, HEAD, OPTIONS, TRACE, PUT,
         * DELETE) and requests with an 'Idempotency-Key' header are retried, and only when their body can be
         * replayed.
         */
        private boolean enabled = CORE.retryEnabled();

        /**
         * Maximum number of such retries per request.
         */
        private int maxRetries = CORE.maxRetries();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getMaxRetries() {
            return this.maxRetries;
        }

        public void setMaxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
        }
    }

    public static class Dns {

        /**
         * How often the addresses of hosts in use are resolved again. Connections to addresses that left the
         * answer are retired when idle.
         */
        private Duration refreshInterval = CORE.dnsRefreshInterval();

        public Duration getRefreshInterval() {
            return this.refreshInterval;
        }

        public void setRefreshInterval(Duration refreshInterval) {
            this.refreshInterval = refreshInterval;
        }
    }

    public static class Outlier {

        /**
         * Whether misbehaving addresses are ejected: no new connections go to them for a while, and their idle
         * connections are closed.
         */
        private boolean enabled = OUTLIER.enabled();

        /**
         * Consecutive failures (connect, TLS, I/O error mid-exchange, failed health probe) that eject an address.
         */
        private int consecutiveFailures = OUTLIER.consecutiveFailures();

        /**
         * Response statuses that eject the address that answered them at once.
         */
        private List<Integer> ejectOnStatus = new ArrayList<>(OUTLIER.ejectOnStatus());

        /**
         * Length of an address's first ejection; each further ejection lasts this times the number of
         * ejections, with up to 10% jitter. The count drops by one for every such length the address spends
         * out of ejection.
         */
        private Duration baseEjectionTime = OUTLIER.baseEjectionTime();

        /**
         * Longest ejection.
         */
        private Duration maxEjectionTime = OUTLIER.maxEjectionTime();

        /**
         * Largest share of a host's addresses ejected at once, in percent. At least one address always stays
         * usable.
         */
        private int maxEjectionPercent = OUTLIER.maxEjectionPercent();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getConsecutiveFailures() {
            return this.consecutiveFailures;
        }

        public void setConsecutiveFailures(int consecutiveFailures) {
            this.consecutiveFailures = consecutiveFailures;
        }

        public List<Integer> getEjectOnStatus() {
            return this.ejectOnStatus;
        }

        public void setEjectOnStatus(List<Integer> ejectOnStatus) {
            this.ejectOnStatus = ejectOnStatus;
        }

        public Duration getBaseEjectionTime() {
            return this.baseEjectionTime;
        }

        public void setBaseEjectionTime(Duration baseEjectionTime) {
            this.baseEjectionTime = baseEjectionTime;
        }

        public Duration getMaxEjectionTime() {
            return this.maxEjectionTime;
        }

        public void setMaxEjectionTime(Duration maxEjectionTime) {
            this.maxEjectionTime = maxEjectionTime;
        }

        public int getMaxEjectionPercent() {
            return this.maxEjectionPercent;
        }

        public void setMaxEjectionPercent(int maxEjectionPercent) {
            this.maxEjectionPercent = maxEjectionPercent;
        }
    }

    public static class Access {

        /**
         * Host patterns ('api.example.com', '*.example.com') and CIDR ranges ('10.0.0.0/8', '2001:db8::/32')
         * that may be connected to. When not empty, only what matches is admitted. Checked on the resolved
         * address, before anything is sent.
         */
        private List<String> allow = new ArrayList<>();

        /**
         * Host patterns and CIDR ranges that are never connected to, whatever the allow list says.
         */
        private List<String> deny = new ArrayList<>();

        /**
         * Whether loopback, private, link-local (including cloud metadata addresses), unique-local and
         * unspecified addresses are refused unless an allow range contains them. Checked on the address
         * actually connected to, so a name that re-resolves to such an address is refused too.
         */
        private boolean blockPrivateNetworks = false;

        public List<String> getAllow() {
            return this.allow;
        }

        public void setAllow(List<String> allow) {
            this.allow = allow;
        }

        public List<String> getDeny() {
            return this.deny;
        }

        public void setDeny(List<String> deny) {
            this.deny = deny;
        }

        public boolean isBlockPrivateNetworks() {
            return this.blockPrivateNetworks;
        }

        public void setBlockPrivateNetworks(boolean blockPrivateNetworks) {
            this.blockPrivateNetworks = blockPrivateNetworks;
        }
    }

    /** Settings of the hosts one pattern of 'hotpool.hosts' matches; each unset value is the pool's. */
    public static class Host {

        /**
         * Maximum number of connections open at once to one origin of the host, in place of
         * 'hotpool.max-conns-per-host'. Must not exceed 'hotpool.max-connections'.
         */
        private Integer maxConnections;

        /**
         * Time an idle connection to the host is kept, in place of 'hotpool.idle-timeout'.
         */
        private Duration idleTimeout;

        /**
         * Longest life of a connection to the host, in place of 'hotpool.max-lifetime'.
         */
        private Duration maxLifetime;

        /**
         * Number of idle connections the host is kept warm at: its origins in 'hotpool.warmup.hosts', else
         * 'https://<host>:443'. Only on an exact host name, not on a wildcard pattern.
         */
        private Integer minIdle;

        /**
         * Read timeout of requests to the host that set none, in place of 'hotpool.read-timeout'.
         */
        private Duration readTimeout;

        /**
         * Connect timeout (TCP and TLS) of requests to the host that set none, in place of
         * 'hotpool.connect-timeout'.
         */
        private Duration connectTimeout;

        /**
         * HTTP protocols new connections to the host may speak, in order of preference, in place of
         * 'hotpool.protocols': 'h2', 'http/1.1', and here also 'h2c' (cleartext HTTP/2 by prior knowledge, for the
         * host's http origins; only for servers known to speak it, and not through 'hotpool.proxy.url').
         */
        private List<String> protocols;

        private final HostTls tls = new HostTls();

        private final HostHealthCheck healthCheck = new HostHealthCheck();

        public Integer getMaxConnections() {
            return this.maxConnections;
        }

        public void setMaxConnections(Integer maxConnections) {
            this.maxConnections = maxConnections;
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

        public Integer getMinIdle() {
            return this.minIdle;
        }

        public void setMinIdle(Integer minIdle) {
            this.minIdle = minIdle;
        }

        public Duration getReadTimeout() {
            return this.readTimeout;
        }

        public void setReadTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
        }

        public Duration getConnectTimeout() {
            return this.connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public List<String> getProtocols() {
            return this.protocols;
        }

        public void setProtocols(List<String> protocols) {
            this.protocols = protocols;
        }

        public HostTls getTls() {
            return this.tls;
        }

        public HostHealthCheck getHealthCheck() {
            return this.healthCheck;
        }

        /** TLS of the host's connections. */
        public static class HostTls {

            /**
             * TLS profile of every new connection to the host, in place of the pool's choice
             * ('hotpool.tls.profile' or its rotation): a built-in one or one under 'hotpool.tls.profiles'.
             */
            private String profile;

            public String getProfile() {
                return this.profile;
            }

            public void setProfile(String profile) {
                this.profile = profile;
            }
        }

        /** Health check of the host's connections. */
        public static class HostHealthCheck {

            /**
             * Path of the probe request sent on the host's idle and newly warmed connections, in place of
             * 'hotpool.health-check.probe-path'.
             */
            private String probePath;

            public String getProbePath() {
                return this.probePath;
            }

            public void setProbePath(String probePath) {
                this.probePath = probePath;
            }
        }
    }

    private final Proxy proxy = new Proxy();

    public Proxy getProxy() {
        return this.proxy;
    }

    /**
     * Outbound HTTP proxy. Unset, the JVM's own settings apply as the JDK applies them (https.proxyHost,
     * http.proxyHost, http.nonProxyHosts: the default ProxySelector).
     */
    public static class Proxy {

        /**
         * Whether requests may go through an HTTP proxy: the one of 'url', else the JVM's proxy settings. When
         * false, both are ignored and every connection is direct.
         */
        private boolean enabled = true;

        /**
         * URL of the HTTP proxy, 'http://host[:port]' (port 80 when omitted), e.g. 'http://proxy.internal:3128'.
         * https requests are tunnelled through it with CONNECT (TLS to the origin inside the tunnel), http requests
         * are sent to it in absolute form. Unset: the JVM's proxy settings.
         */
        private String url;

        /**
         * Username for the proxy's Basic authentication (Proxy-Authorization). Never logged or shown.
         */
        private String username;

        /**
         * Password for the proxy's Basic authentication; requires 'username'. Never logged or shown.
         */
        private String password;

        /**
         * Hosts connected to directly, not through the proxy of 'url': host names ('localhost'), wildcards
         * ('*.internal') and CIDR ranges ('10.0.0.0/8', matched against IP-literal hosts), compared with the host
         * as requested, before any lookup.
         */
        private List<String> nonProxyHosts = new ArrayList<>();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getUrl() {
            return this.url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return this.username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return this.password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public List<String> getNonProxyHosts() {
            return this.nonProxyHosts;
        }

        public void setNonProxyHosts(List<String> nonProxyHosts) {
            this.nonProxyHosts = nonProxyHosts;
        }

        /** Never the credentials. */
        @Override
        public String toString() {
            return "Proxy[enabled=" + this.enabled + ", url=" + this.url + ", credentials="
                    + (this.username != null ? "(set)" : "(none)") + ", non-proxy-hosts=" + this.nonProxyHosts + "]";
        }
    }
}
