package dev.hotpool;

import dev.hotpool.metrics.LatencySummary;

import java.util.Map;

/**
 * Requests and handshakes since the pool started. Immutable.
 *
 * @param requests requests completed (each counted once, retries included in it)
 * @param succeeded requests that got a response head
 * @param failed requests that ended with an exception
 * @param retried requests sent a second time after a stale connection
 * @param reuseRatio share of requests that did not need a new connection
 * @param handshakes TLS handshakes attempted
 * @param handshakesFailed TLS handshakes that failed
 * @param handshakeLatency how long handshakes took
 * @param ejections addresses ejected as outliers
 * @param requestsByHost requests per {@code host:port}
 * @param connectFailures the last failure to open a connection, per {@code host:port} (hosts in use, and others
 *     for a while after it)
 */
public record TrafficStats(long requests, long succeeded, long failed, long retried, double reuseRatio,
        long handshakes, long handshakesFailed, LatencySummary handshakeLatency, long ejections,
        Map<String, Long> requestsByHost, Map<String, ConnectFailure> connectFailures) {

    public TrafficStats {
        requestsByHost = Map.copyOf(requestsByHost);
        connectFailures = Map.copyOf(connectFailures);
    }

    /** Without connect failures, as before they were recorded. */
    public TrafficStats(long requests, long succeeded, long failed, long retried, double reuseRatio,
            long handshakes, long handshakesFailed, LatencySummary handshakeLatency, long ejections,
            Map<String, Long> requestsByHost) {
        this(requests, succeeded, failed, retried, reuseRatio, handshakes, handshakesFailed, handshakeLatency,
                ejections, requestsByHost, Map.of());
    }
}
