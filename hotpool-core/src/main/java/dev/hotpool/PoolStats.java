package dev.hotpool;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A consistent snapshot of a pool's counts, taken under the pool's lock. Immutable.
 *
 * @param maxConnections the global limit
 * @param total connections open or opening (connecting + leased + idle)
 * @param leased connections handed out
 * @param idle connections waiting in the pool
 * @param connecting connections being opened (TCP + TLS)
 * @param pending leases waiting for a connection
 * @param created connections opened since start
 * @param leases leases granted since start
 * @param reusedLeases leases served by a connection that already existed
 * @param acquireTimeouts leases that failed for lack of a connection (timeout or full queue)
 * @param closed connections closed since start, per reason
 * @param hosts per-origin counts, one entry per origin the pool has seen
 */
public record PoolStats(int maxConnections, int total, int leased, int idle, int connecting, int pending,
        long created, long leases, long reusedLeases, long acquireTimeouts, Map<CloseReason, Long> closed,
        List<HostStats> hosts) {

    public PoolStats {
        EnumMap<CloseReason, Long> copy = new EnumMap<>(CloseReason.class);
        for (CloseReason r : CloseReason.values()) {
            copy.put(r, closed.getOrDefault(r, 0L));
        }
        closed = Collections.unmodifiableMap(copy);
        hosts = List.copyOf(hosts);
    }

    /** Connections closed since start, all reasons. */
    public long closedTotal() {
        long sum = 0;
        for (long n : this.closed.values()) {
            sum += n;
        }
        return sum;
    }

    /**
     * Counts for one route: an origin, for {@code https} the TLS settings its connections were made with, and the
     * HTTP proxy they go through.
     *
     * @param origin scheme, host and port
     * @param route the origin, then the TLS settings' name in parentheses when not the pool's default, then
     *     {@code via host:port} of its proxy, if any
     * @param proxy the proxy's {@code host:port} (never its credentials), or {@code null} for direct connections
     * @param streams streams leased now on the route's HTTP/2 connections (0 when none speaks HTTP/2); each HTTP/2
     *     connection carrying any counts as one in {@code leased}
     * @param streamLimit how many streams the route's HTTP/2 connections that take new ones may carry at once now:
     *     the sum of their limits (0 when none speaks HTTP/2); a route waits for a stream, or opens another
     *     connection, when {@code streams} reaches it
     */
    public record HostStats(Origin origin, String route, int total, int leased, int idle, int connecting, int pending,
            long leases, long created, String proxy, int streams, int streamLimit) {

        /** A route's counts without HTTP/2 connections (the constructor before HTTP/2). */
        public HostStats(Origin origin, String route, int total, int leased, int idle, int connecting, int pending,
                long leases, long created, String proxy) {
            this(origin, route, total, leased, idle, connecting, pending, leases, created, proxy, 0, 0);
        }

        /** A direct route's counts. */
        public HostStats(Origin origin, String route, int total, int leased, int idle, int connecting, int pending,
                long leases, long created) {
            this(origin, route, total, leased, idle, connecting, pending, leases, created, null);
        }
    }

    @Override
    public String toString() {
        return "[leased: " + this.leased + "][idle: " + this.idle + "][connecting: " + this.connecting + "][pending: "
                + this.pending + "][total: " + this.total + " of " + this.maxConnections + "]";
    }
}
