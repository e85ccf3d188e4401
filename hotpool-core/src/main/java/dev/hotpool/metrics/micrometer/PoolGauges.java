package dev.hotpool.metrics.micrometer;

import dev.hotpool.HotPool;
import dev.hotpool.PoolStats;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the pool's gauges read: connections per state and HTTP/2 streams (over all hosts, or per host tag), the global
 * limit, and the connections through the configured proxy. Every value comes from one snapshot of {@link HotPool#stats()} taken at
 * most once a second, so a scrape takes the pool's lock at most once a second whatever the number of gauges or
 * registries. {@link BoundRegistry} registers the gauges; this only answers them.
 *
 * <p>Thread-safe: the snapshot is immutable and published through a volatile field; taking a new one is guarded by
 * {@link #snapshotLock}, so concurrent scrapes take the pool's lock once. The pool itself is asked for only on the
 * first {@link #pool()} or gauge read after {@link #monitor}.
 */
final class PoolGauges {

    private static final long SNAPSHOT_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Where the stream counts begin in a host's counts of a snapshot: after the connection states. */
    private static final int STATES = ConnectionState.values().length;

    /** Decides when the snapshot is a second old. */
    private final LongSupplier nanoTime;

    private final HostMeterTable hosts;

    /** Guards taking a snapshot, so concurrent scrapes take the pool's lock once. */
    private final ReentrantLock snapshotLock = new ReentrantLock();

    private volatile Snapshot snapshot;

    private volatile Supplier<HotPool> poolSource;

    PoolGauges(LongSupplier nanoTime, HostMeterTable hosts) {
        this.nanoTime = nanoTime;
        this.hosts = hosts;
    }

    /** The pool to read; {@code pool} is called on the first {@link #pool()} or gauge read, not now. */
    void monitor(Supplier<HotPool> pool) {
        this.poolSource = pool;
    }

    /**
     * The pool monitored.
     *
     * @throws IllegalStateException when no pool was given to {@link #monitor}
     */
    HotPool pool() {
        Supplier<HotPool> source = this.poolSource;
        HotPool pool = source != null ? source.get() : null;
        if (pool == null) {
            throw new IllegalStateException("hotpool: HotPoolMetrics has no pool to read; call monitor(pool) before "
                    + "bindTo(registry)");
        }
        return pool;
    }

    /** The global limit of connections ({@code hotpool.connections.max}). */
    double maxConnections() {
        return snapshot().stats().maxConnections();
    }

    /**
     * Connections in {@code state}: the pool's totals for {@link HostMeterTable#allHosts()}, else the sum over the
     * routes whose host counts into {@code host}.
     */
    double connections(HostMeters host, ConnectionState state) {
        Snapshot s = snapshot();
        if (host == this.hosts.allHosts()) {
            return state.count(s.stats());
        }
        int[] counts = s.byHost().get(host);
        return counts != null ? counts[state.ordinal()] : 0;
    }

    /**
     * HTTP/2 streams ({@code count}): the sum over every route for {@link HostMeterTable#allHosts()}, else over the
     * routes whose host counts into {@code host}.
     */
    double streams(HostMeters host, StreamCount count) {
        Snapshot s = snapshot();
        if (host == this.hosts.allHosts()) {
            return s.streams()[count.ordinal()];
        }
        int[] counts = s.byHost().get(host);
        return counts != null ? counts[STATES + count.ordinal()] : 0;
    }

    /** The connections in a state of the routes through the proxy ({@code host:port}). */
    double proxyConnections(String proxy, ConnectionState state) {
        int sum = 0;
        for (PoolStats.HostStats h : snapshot().stats().hosts()) {
            if (proxy.equals(h.proxy())) {
                sum += state.count(h);
            }
        }
        return sum;
    }

    private Snapshot snapshot() {
        long now = this.nanoTime.getAsLong();
        Snapshot s = this.snapshot;
        if (s != null && now - s.takenAt() < SNAPSHOT_MAX_AGE_NANOS) {
            return s;
        }
        this.snapshotLock.lock();
        try {
            s = this.snapshot;
            if (s == null || now - s.takenAt() >= SNAPSHOT_MAX_AGE_NANOS) {
                s = takeSnapshot(now);
                this.snapshot = s;
            }
            return s;
        }
        finally {
            this.snapshotLock.unlock();
        }
    }

    private Snapshot takeSnapshot(long now) {
        PoolStats stats = pool().stats();
        int[] streams = new int[StreamCount.values().length];
        for (PoolStats.HostStats h : stats.hosts()) {
            for (StreamCount count : StreamCount.values()) {
                streams[count.ordinal()] += count.count(h);
            }
        }
        Map<HostMeters, int[]> byHost = new HashMap<>();
        if (this.hosts.perHost()) {
            // A host without an entry once the names are taken counts as other, as its events do.
            HostMeters other = this.hosts.otherOnceNamesTaken();
            for (PoolStats.HostStats h : stats.hosts()) {
                HostMeters m = this.hosts.named(h.origin().authority());
                if (m == null) {
                    m = other;
                }
                if (m != null) {
                    int[] counts = byHost.computeIfAbsent(m,
                            (k) -> new int[STATES + StreamCount.values().length]);
                    for (ConnectionState state : ConnectionState.values()) {
                        counts[state.ordinal()] += state.count(h);
                    }
                    for (StreamCount count : StreamCount.values()) {
                        counts[STATES + count.ordinal()] += count.count(h);
                    }
                }
            }
        }
        return new Snapshot(stats, streams, byHost, now);
    }

    /**
     * A snapshot of the pool's counts, the streams summed over every route (by {@link StreamCount#ordinal()}), and
     * per-host sums when hosts are tagged (connection states by ordinal, then the stream counts after
     * {@link #STATES}). Immutable once published.
     */
    private record Snapshot(PoolStats stats, int[] streams, Map<HostMeters, int[]> byHost, long takenAt) {
    }
}
