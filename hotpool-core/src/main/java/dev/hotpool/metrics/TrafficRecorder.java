package dev.hotpool.metrics;

import dev.hotpool.Origin;
import dev.hotpool.TrafficStats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pool's own counters of requests and handshakes, kept for the actuator endpoint whatever other
 * listener is configured. Lock-free and thread-safe.
 */
public final class TrafficRecorder implements PoolListener {

    private final LongAdder requests = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder newConnectionLeases = new LongAdder();
    private final LongAdder handshakes = new LongAdder();
    private final LongAdder handshakesFailed = new LongAdder();
    private final LongAdder ejections = new LongAdder();
    private final LatencyRecorder handshakeLatency = new LatencyRecorder();
    private final Map<Origin, LongAdder> requestsByOrigin = new ConcurrentHashMap<>();

    @Override
    public void handshake(Origin origin, String profile, boolean ok, long nanos) {
        this.handshakes.increment();
        if (!ok) {
            this.handshakesFailed.increment();
        }
        this.handshakeLatency.record(nanos);
    }

    @Override
    public void acquired(Origin origin, long waitNanos, boolean reused) {
        if (!reused) {
            this.newConnectionLeases.increment();
        }
    }

    @Override
    public void requestCompleted(Origin origin, boolean ok, boolean wasRetried) {
        this.requests.increment();
        (ok ? this.succeeded : this.failed).increment();
        if (wasRetried) {
            this.retried.increment();
        }
        this.requestsByOrigin.computeIfAbsent(origin, o -> new LongAdder()).increment();
    }

    @Override
    public void addressEjected(Origin origin, java.net.InetAddress address) {
        this.ejections.increment();
    }

    /** A snapshot of the counters. */
    public TrafficStats snapshot() {
        long total = this.requests.sum();
        long fresh = this.newConnectionLeases.sum();
        double reuse = total == 0 ? 0 : Math.max(0, Math.min(1, (total - fresh) / (double) total));
        Map<String, Long> byOrigin = new TreeMap<>();
        this.requestsByOrigin.forEach((o, n) -> byOrigin.put(o.authority(), n.sum()));
        return new TrafficStats(total, this.succeeded.sum(), this.failed.sum(), this.retried.sum(), reuse,
                this.handshakes.sum(), this.handshakesFailed.sum(), this.handshakeLatency.summary(),
                this.ejections.sum(), byOrigin);
    }
}
