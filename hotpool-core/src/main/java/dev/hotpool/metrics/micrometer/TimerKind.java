package dev.hotpool.metrics.micrometer;

/**
 * The timers of a pool, with their meter names and descriptions (the names do not depend on
 * {@link HotPoolMetrics.Naming}: {@link #DURATION} is OpenTelemetry's and is recorded only with its names).
 *
 * <p>Immutable and thread-safe.
 */
enum TimerKind {

    /** Wait for a lease, connecting included. */
    ACQUIRE("hotpool.connections.acquire", "Time waited for a connection, connecting included"),

    /** How long a lease was held. */
    USAGE("hotpool.connections.usage", "Time a connection was leased"),

    /** A lease that waited in line for a stream of an HTTP/2 connection. */
    STREAM_WAIT("hotpool.streams.wait", "Time leases waited in line for a stream of an HTTP/2 connection (only those "
            + "that waited)"),

    /** A TLS handshake, tagged {@code outcome}, {@code profile} and {@code protocol}. */
    HANDSHAKE("hotpool.tls.handshake", "Time a TLS handshake took"),

    /** A TCP connect attempt that gave the connection or failed, tagged {@code outcome} and {@code protocol}. */
    CONNECT("hotpool.connect", "Time a TCP connect attempt took (the one that won, and each that failed)"),

    /** How long a connection that opened stayed open (OpenTelemetry's names only). */
    DURATION("http.client.connection.duration", "The duration of the successfully established outbound HTTP "
            + "connections");

    final String meterName;

    final String description;

    TimerKind(String meterName, String description) {
        this.meterName = meterName;
        this.description = description;
    }
}
