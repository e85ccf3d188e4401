package dev.hotpool.metrics.micrometer;

import dev.hotpool.CloseReason;
import dev.hotpool.Origin;
import dev.hotpool.metrics.micrometer.HotPoolMetrics.Naming;

import java.util.Locale;

import io.micrometer.core.instrument.Tags;

/**
 * The names and tags of a pool's meters under one {@link Naming}: hotpool's own ({@code hotpool.connections} tagged
 * {@code state}, hosts tagged {@code host}) or OpenTelemetry's semantic conventions for HTTP clients
 * ({@code http.client.open_connections} tagged {@code http.connection.state}, hosts tagged {@code server.address} and
 * {@code server.port}). Every meter name and tag key of the package is here, or in {@link TimerKind} for the timers;
 * the other classes take them from here and decide nothing about names.
 *
 * <p>Immutable and thread-safe.
 */
final class MeterNaming {

    /** Global limit of connections, tagged {@code pool} only. */
    static final String MAX_CONNECTIONS = "hotpool.connections.max";

    /** Connections opened. */
    static final String CREATED = "hotpool.connections.created";

    /** Connections closed, tagged {@link #REASON}. */
    static final String CLOSED = "hotpool.connections.closed";

    /** Leases that got no connection. */
    static final String TIMEOUTS = "hotpool.connections.timeout";

    /** Addresses ejected as outliers. */
    static final String EJECTIONS = "hotpool.address.ejections";

    /** Streams leased now on HTTP/2 connections. */
    static final String ACTIVE_STREAMS = "hotpool.streams.active";

    /** How many streams the HTTP/2 connections that take new ones may carry at once: the sum of their limits. */
    static final String STREAM_LIMIT = "hotpool.streams.limit";

    /** Connections through the configured HTTP proxy, tagged {@link #PROXY} and {@link #STATE}. */
    static final String PROXY_CONNECTIONS = "hotpool.proxy.connections";

    /** The base unit of the connection gauges and counters. */
    static final String CONNECTIONS_UNIT = "connections";

    /** Tag of every meter: the pool's name. */
    static final String POOL = "pool";

    /** hotpool's tag of a connection's state. */
    static final String STATE = "state";

    /** Tag of {@link #CLOSED}: the {@link CloseReason}, in kebab case. */
    static final String REASON = "reason";

    /** Tag of {@link #PROXY_CONNECTIONS}: the proxy's {@code host:port}. */
    static final String PROXY = "proxy";

    /** Tag of the connect and handshake timers: {@link #SUCCESS} or {@link #FAILURE}. */
    static final String OUTCOME = "outcome";

    /**
     * Tag of the connect and handshake timers: the protocol the connection agreed, {@code h2}, {@code http/1.1} or
     * {@link #NO_PROTOCOL} ({@link dev.hotpool.metrics.PoolListener#connect(Origin, java.net.InetAddress, boolean,
     * long, String)}).
     */
    static final String PROTOCOL = "protocol";

    /** The {@link #PROTOCOL} of a connection that agreed none: plain HTTP/1.1, no ALPN, or a failure. */
    static final String NO_PROTOCOL = "none";

    /** Tag of the handshake timer: the TLS client profile. */
    static final String PROFILE = "profile";

    static final String SUCCESS = "success";

    static final String FAILURE = "failure";

    /** The {@link #PROFILE} of a handshake reported without one. */
    static final String NO_PROFILE = "none";

    /** hotpool's gauge of connections per state. */
    private static final StateGauge HOTPOOL_CONNECTIONS = new StateGauge("hotpool.connections", STATE,
            "Connections leased (active) or idle, and leases waiting for one (pending)");

    /** OpenTelemetry's gauge of open connections per state (active and idle only). */
    private static final StateGauge OTEL_OPEN_CONNECTIONS = new StateGauge("http.client.open_connections",
            "http.connection.state", "Number of outbound HTTP connections that are currently active or idle on the "
                    + "client");

    /** The {@link #REASON} tag value of each close reason, by ordinal. */
    private static final String[] REASON_TAGS = new String[CloseReason.values().length];

    static {
        for (CloseReason reason : CloseReason.values()) {
            REASON_TAGS[reason.ordinal()] = tagValue(reason);
        }
    }

    /** The name, state tag key and description of the gauge of connections in one state. */
    record StateGauge(String name, String stateTag, String description) {
    }

    private final Naming naming;

    MeterNaming(Naming naming) {
        this.naming = naming;
    }

    /**
     * The gauge of connections in {@code state}: OpenTelemetry's {@code http.client.open_connections} for active and
     * idle with its names; otherwise, and always for leases waiting, {@code hotpool.connections}.
     */
    StateGauge connectionGauge(ConnectionState state) {
        return (this.naming == Naming.OTEL && state != ConnectionState.PENDING) ? OTEL_OPEN_CONNECTIONS
                : HOTPOOL_CONNECTIONS;
    }

    /** Whether each connection's time open is recorded ({@link TimerKind#DURATION}): with OpenTelemetry's names. */
    boolean timesConnectionDuration() {
        return this.naming == Naming.OTEL;
    }

    /**
     * The host tags of {@code origin}, or of the hosts past {@code max-hosts} when {@code null}: {@code host}
     * ({@code host:port}), or with OpenTelemetry's names {@code server.address} (an IPv6 literal without its
     * brackets) and {@code server.port}.
     */
    Tags hostTags(Origin origin) {
        if (this.naming == Naming.OTEL) {
            if (origin == null) {
                return Tags.of("server.address", HotPoolMetrics.OTHER_HOSTS, "server.port", HotPoolMetrics.OTHER_HOSTS);
            }
            String host = origin.host();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return Tags.of("server.address", host, "server.port", Integer.toString(origin.port()));
        }
        return Tags.of("host", origin != null ? origin.authority() : HotPoolMetrics.OTHER_HOSTS);
    }

    /** The {@link #OUTCOME} tag value. */
    static String outcome(boolean succeeded) {
        return succeeded ? SUCCESS : FAILURE;
    }

    /** The {@link #PROTOCOL} tag value: {@code protocol}, or {@link #NO_PROTOCOL} when there is none. */
    static String protocol(String protocol) {
        return protocol == null || protocol.isEmpty() ? NO_PROTOCOL : protocol;
    }

    /** The {@link #REASON} tag value of {@code reason}, computed once. */
    static String reasonTag(CloseReason reason) {
        return REASON_TAGS[reason.ordinal()];
    }

    /** The tag value of a close reason: {@code IDLE_TIMEOUT} is {@code idle-timeout}. */
    static String tagValue(CloseReason reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** For {@link HotPoolMetrics#toString()}: {@code hotpool} or {@code otel}. */
    String name() {
        return this.naming.name().toLowerCase(Locale.ROOT);
    }
}
