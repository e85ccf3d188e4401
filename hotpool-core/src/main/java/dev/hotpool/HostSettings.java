package dev.hotpool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The settings of the hosts one pattern matches ({@code hotpool.hosts.<pattern>.*}): each value set here applies to
 * those hosts in place of the pool's, each value left unset ({@code null}) is the pool's. Set on
 * {@link HotPoolConfig.Builder#host(String, HostSettings)}; what applies to a host is
 * {@link HotPoolConfig#hostSettings(String)}.
 *
 * <p>Values are checked, with the pattern and the property in the message, by {@link HotPoolConfig.Builder#build()}.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class HostSettings {

    /** No value of its own: every setting is the pool's. */
    public static final HostSettings NONE = builder().build();

    private final Integer maxConnections;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final Integer minIdle;
    private final String tlsProfile;
    private final String probePath;
    private final Duration readTimeout;
    private final Duration connectTimeout;
    private final List<String> protocols;

    private HostSettings(Builder b) {
        this.maxConnections = b.maxConnections;
        this.idleTimeout = b.idleTimeout;
        this.maxLifetime = b.maxLifetime;
        this.minIdle = b.minIdle;
        this.tlsProfile = b.tlsProfile;
        this.probePath = b.probePath;
        this.readTimeout = b.readTimeout;
        this.connectTimeout = b.connectTimeout;
        // Copied as given (nulls too): the values are checked, with the pattern in the message, when the pool is built.
        this.protocols = b.protocols == null ? null : Collections.unmodifiableList(new ArrayList<>(b.protocols));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Most connections open at once to one origin of the host, in place of {@code max-conns-per-host}. */
    public Integer maxConnections() { return this.maxConnections; }

    /** An idle connection to the host older than this (since its last use) is closed instead of reused. */
    public Duration idleTimeout() { return this.idleTimeout; }

    /** A connection to the host older than this (since connect, minus up to 2.5% jitter) is closed. */
    public Duration maxLifetime() { return this.maxLifetime; }

    /** Idle connections the host's origins are kept warm at; setting it warms the host. */
    public Integer minIdle() { return this.minIdle; }

    /** The TLS profile of every new connection to the host, in place of the pool's choice. */
    public String tlsProfile() { return this.tlsProfile; }

    /** Path of the health check's (and warm-up's) probe request on the host's connections. */
    public String probePath() { return this.probePath; }

    /** Read timeout of requests to the host that do not set their own. */
    public Duration readTimeout() { return this.readTimeout; }

    /** Connect timeout (TCP plus TLS) of requests to the host that do not set their own. */
    public Duration connectTimeout() { return this.connectTimeout; }

    /**
     * The HTTP protocols new connections to the host may speak, in order of preference, in place of
     * {@code hotpool.protocols}: {@code h2}, {@code http/1.1}, and here also {@code h2c} (cleartext HTTP/2 by prior
     * knowledge, for {@code http} origins of a host known to speak it; not through a configured proxy).
     */
    public List<String> protocols() { return this.protocols; }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof HostSettings h && Objects.equals(this.maxConnections, h.maxConnections)
                && Objects.equals(this.idleTimeout, h.idleTimeout) && Objects.equals(this.maxLifetime, h.maxLifetime)
                && Objects.equals(this.minIdle, h.minIdle) && Objects.equals(this.tlsProfile, h.tlsProfile)
                && Objects.equals(this.probePath, h.probePath) && Objects.equals(this.readTimeout, h.readTimeout)
                && Objects.equals(this.connectTimeout, h.connectTimeout)
                && Objects.equals(this.protocols, h.protocols));
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.maxConnections, this.idleTimeout, this.maxLifetime, this.minIdle, this.tlsProfile,
                this.probePath, this.readTimeout, this.connectTimeout, this.protocols);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("HostSettings[");
        append(s, "max-connections", this.maxConnections);
        append(s, "idle-timeout", this.idleTimeout);
        append(s, "max-lifetime", this.maxLifetime);
        append(s, "min-idle", this.minIdle);
        append(s, "tls.profile", this.tlsProfile);
        append(s, "health-check.probe-path", this.probePath);
        append(s, "read-timeout", this.readTimeout);
        append(s, "connect-timeout", this.connectTimeout);
        append(s, "protocols", this.protocols);
        return s.append(']').toString();
    }

    private static void append(StringBuilder s, String name, Object value) {
        if (value != null) {
            s.append(s.charAt(s.length() - 1) == '[' ? "" : ", ").append(name).append('=').append(value);
        }
    }

    /** Builds a {@link HostSettings}; {@code null} leaves a value unset (the pool's). Not thread-safe. */
    public static final class Builder {

        private Integer maxConnections;
        private Duration idleTimeout;
        private Duration maxLifetime;
        private Integer minIdle;
        private String tlsProfile;
        private String probePath;
        private Duration readTimeout;
        private Duration connectTimeout;
        private List<String> protocols;

        private Builder() {
        }

        public Builder maxConnections(Integer n) { this.maxConnections = n; return this; }
        public Builder idleTimeout(Duration d) { this.idleTimeout = d; return this; }
        public Builder maxLifetime(Duration d) { this.maxLifetime = d; return this; }
        public Builder minIdle(Integer n) { this.minIdle = n; return this; }
        public Builder tlsProfile(String name) { this.tlsProfile = name; return this; }
        public Builder probePath(String path) { this.probePath = path; return this; }
        public Builder readTimeout(Duration d) { this.readTimeout = d; return this; }
        public Builder connectTimeout(Duration d) { this.connectTimeout = d; return this; }
        /** {@code hotpool.hosts.<pattern>.protocols}; see {@link HostSettings#protocols()}. */
        public Builder protocols(List<String> protocols) { this.protocols = protocols; return this; }

        /** Builds; the values are checked against the pool's when the {@link HotPoolConfig} is built. */
        public HostSettings build() {
            return new HostSettings(this);
        }
    }
}
