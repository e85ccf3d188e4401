package dev.hotpool.autoconfigure.actuate;

import dev.hotpool.ConnectFailure;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.TrafficStats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pool's hosts keyed {@code host:port}: the counts of every route to that host and port (plain and TLS, each
 * set of TLS settings) summed, and the requests sent there. Immutable.
 */
final class PoolHosts {

    private final Map<String, Host> hosts;

    private PoolHosts(Map<String, Host> hosts) {
        this.hosts = Collections.unmodifiableMap(hosts);
    }

    /**
     * One host.
     *
     * @param authority {@code host:port}
     * @param origins the origins ({@code scheme://host:port}) the pool has seen for it
     * @param proxies the HTTP proxies ({@code host:port}) its routes go through, sorted; empty when all are direct
     * @param connectFailure the last failure to open a connection to it, or {@code null}
     */
    record Host(String authority, List<Origin> origins, int total, int leased, int idle, int connecting, int pending,
            long requests, List<String> proxies, ConnectFailure connectFailure) {
    }

    static PoolHosts of(PoolStats stats, TrafficStats traffic) {
        Map<String, Host> hosts = new TreeMap<>();
        for (PoolStats.HostStats h : stats.hosts()) {
            Origin origin = h.origin();
            hosts.merge(origin.authority(),
                    new Host(origin.authority(), List.of(origin), h.total(), h.leased(), h.idle(), h.connecting(),
                            h.pending(), 0, h.proxy() == null ? List.of() : List.of(h.proxy()), null),
                    PoolHosts::sum);
        }
        traffic.requestsByHost().forEach((authority, requests) -> hosts.merge(authority,
                new Host(authority, List.of(), 0, 0, 0, 0, 0, requests, List.of(), null), PoolHosts::sum));
        // A host that never connected has a row for its failure alone (kept for a while: see TrafficRecorder).
        traffic.connectFailures().forEach((authority, failure) -> hosts.merge(authority,
                new Host(authority, List.of(), 0, 0, 0, 0, 0, 0, List.of(), failure), PoolHosts::sum));
        return new PoolHosts(hosts);
    }

    /** Every host, by {@code host:port}, sorted. */
    Map<String, Host> all() {
        return this.hosts;
    }

    /** The host of {@code host:port} (case-insensitive), or {@code null}. */
    Host get(String authority) {
        return authority == null ? null : this.hosts.get(authority.trim().toLowerCase(Locale.ROOT));
    }

    private static Host sum(Host a, Host b) {
        List<Origin> origins = new ArrayList<>(a.origins());
        for (Origin o : b.origins()) {
            if (!origins.contains(o)) {
                origins.add(o);
            }
        }
        TreeSet<String> proxies = new TreeSet<>(a.proxies());
        proxies.addAll(b.proxies());
        return new Host(a.authority(), List.copyOf(origins), a.total() + b.total(), a.leased() + b.leased(),
                a.idle() + b.idle(), a.connecting() + b.connecting(), a.pending() + b.pending(),
                a.requests() + b.requests(), List.copyOf(proxies), later(a.connectFailure(), b.connectFailure()));
    }

    private static ConnectFailure later(ConnectFailure a, ConnectFailure b) {
        if (a == null || b == null) {
            return a != null ? a : b;
        }
        return a.at().isAfter(b.at()) ? a : b;
    }
}
