package dev.hotpool.internal.metrics;

import dev.hotpool.ConnectFailure;
import dev.hotpool.ConnectPhase;
import dev.hotpool.Origin;
import dev.hotpool.TrafficStats;
import dev.hotpool.metrics.PoolListener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The pool's own counters of requests and handshakes, kept for the actuator endpoint whatever other
 * listener is configured.
 *
 * <p>The totals count from the pool's start. The per-host request counts of {@link #snapshot} are kept while
 * the pool has a route to the host (a connection or a waiting lease): each health check calls {@link #forgetIdle},
 * which drops the counts of the origins the pool has none to. Between two health checks at most
 * {@link #maxTrackedOrigins} origins have a count; requests to further origins are counted in the totals only, so a
 * crawler's thousands of new hosts a second cost nothing here. A host used again later
 * counts from zero. So the counts follow the hosts in use, not every host ever seen.
 *
 * <p>The last connect failure of an origin (its phase, when, the message) is kept the same way, bounded by the same
 * {@link #maxTrackedOrigins}: a failure of an origin past that bound is not kept. {@link #forgetIdle} drops it when
 * the origin is not in use and the failure is older than {@link #FAILURE_RETENTION}, so a host that never connects
 * still shows why for a while.
 *
 * <p>Lock-free and thread-safe. A request that races with its origin's count being dropped is counted on a
 * new count, never lost into the dropped one.
 *
 * <p>Public for the engine and the assembly, which keep one.
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
    /**
     * Requests per origin. An entry is added on an origin's first request (or its first since it was dropped)
     * (while fewer than {@link #maxTrackedOrigins} are counted) and leaves on the first {@link #forgetIdle} call
     * that finds it not in use.
     */
    private final ConcurrentHashMap<Origin, OriginCount> requestsByOrigin = new ConcurrentHashMap<>();
    /**
     * The last connect failure per origin. An entry is added (or replaced) on a failure while fewer than
     * {@link #maxTrackedOrigins} origins have one, and leaves on the first {@link #forgetIdle} that finds its origin
     * not in use and the failure older than {@link #FAILURE_RETENTION}.
     */
    private final ConcurrentHashMap<Origin, ConnectFailure> connectFailures = new ConcurrentHashMap<>();
    private final int maxTrackedOrigins;
    private final Clock clock;

    /** How long the last connect failure of an origin not in use is kept. */
    public static final Duration FAILURE_RETENTION = Duration.ofMinutes(10);

    /** The fewest origins a recorder counts requests of one by one (the engine gives max-connections, if more). */
    public static final int MIN_TRACKED_ORIGINS = 1_024;

    /** A recorder that counts the requests of up to {@value #MIN_TRACKED_ORIGINS} origins one by one. */
    public TrafficRecorder() {
        this(MIN_TRACKED_ORIGINS);
    }

    /** @param maxTrackedOrigins most origins with a request count of their own at once */
    public TrafficRecorder(int maxTrackedOrigins) {
        this(maxTrackedOrigins, Clock.systemUTC());
    }

    /**
     * @param maxTrackedOrigins most origins with a request count (and a connect failure) of their own at once
     * @param clock stamps connect failures and ages them
     */
    public TrafficRecorder(int maxTrackedOrigins, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        if (maxTrackedOrigins < 1) {
            throw new IllegalArgumentException("maxTrackedOrigins (" + maxTrackedOrigins + ") must be at least 1");
        }
        this.maxTrackedOrigins = maxTrackedOrigins;
    }

    @Override
    public void handshake(Origin origin, String profile, boolean ok, long nanos) {
        this.handshakes.increment();
        if (!ok) {
            this.handshakesFailed.increment();
        }
        this.handshakeLatency.record(nanos);
    }

    @Override
    public void connectFailed(Origin origin, ConnectPhase phase, Exception cause) {
        if (this.connectFailures.size() >= this.maxTrackedOrigins && !this.connectFailures.containsKey(origin)) {
            return; // Full: this origin's failure is in its caller's exception only.
        }
        this.connectFailures.put(origin, new ConnectFailure(phase, this.clock.instant(), cause.getMessage()));
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
        countRequest(origin);
    }

    private void countRequest(Origin origin) {
        for (;;) {
            OriginCount count = this.requestsByOrigin.get(origin);
            if (count == null) {
                if (this.requestsByOrigin.size() >= this.maxTrackedOrigins) {
                    return; // Full until the next health check: counted in the totals only.
                }
                count = this.requestsByOrigin.computeIfAbsent(origin, o -> new OriginCount());
            }
            count.requests.increment();
            if (count.markActive()) {
                return;
            }
            // Dropped after we found it: its requests are forgotten anyway; count this one on a new entry.
            this.requestsByOrigin.remove(origin, count);
        }
    }

    /**
     * Drops the request count of every origin for which {@code inUse} is false; for each health check to call,
     * with whether the pool has a route to the origin. {@code inUse} is asked outside any lock of this recorder;
     * it must not call back into it. A request that comes while its count is being dropped counts on a new one.
     *
     * @return how many origins' counts were dropped
     */
    public int forgetIdle(Predicate<Origin> inUse) {
        Objects.requireNonNull(inUse, "'inUse' must not be null");
        Instant keepSince = this.clock.instant().minus(FAILURE_RETENTION);
        for (Map.Entry<Origin, ConnectFailure> entry : this.connectFailures.entrySet()) {
            if (entry.getValue().at().isBefore(keepSince) && !inUse.test(entry.getKey())) {
                this.connectFailures.remove(entry.getKey(), entry.getValue());
            }
        }
        int dropped = 0;
        for (Map.Entry<Origin, OriginCount> entry : this.requestsByOrigin.entrySet()) {
            OriginCount count = entry.getValue();
            if (inUse.test(entry.getKey())) {
                continue;
            }
            count.endInterval();
            if (count.kill()) {
                this.requestsByOrigin.remove(entry.getKey(), count);
                dropped++;
            }
        }
        return dropped;
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
        this.requestsByOrigin.forEach((o, n) -> byOrigin.put(o.authority(), n.requests.sum()));
        Map<String, ConnectFailure> failures = new TreeMap<>();
        // Origins of one host:port (http and https) share a row: the latest failure shows.
        this.connectFailures.forEach((o, f) -> failures.merge(o.authority(), f,
                (a, b) -> a.at().isAfter(b.at()) ? a : b));
        return new TrafficStats(total, this.succeeded.sum(), this.failed.sum(), this.retried.sum(), reuse,
                this.handshakes.sum(), this.handshakesFailed.sum(), this.handshakeLatency.summary(),
                this.ejections.sum(), byOrigin, failures);
    }

    /**
     * One origin's request count and whether a request came since {@link #forgetIdle} looked at it. The state
     * moves ACTIVE → IDLE when {@link #forgetIdle} is about to drop it, IDLE → ACTIVE on a request, IDLE → DEAD
     * when dropped; once DEAD, never anything else. Each move is one compare-and-set, so a request either marks
     * the count ACTIVE before it is dropped (and it is kept) or finds it DEAD (and counts again on a new entry).
     */
    private static final class OriginCount {

        private static final int IDLE = 0;
        private static final int ACTIVE = 1;
        private static final int DEAD = 2;

        final LongAdder requests = new LongAdder();
        /** Starts ACTIVE: the request that created it is in this interval. */
        private final AtomicInteger state = new AtomicInteger(ACTIVE);

        /** For a request: whether the count is live (and now ACTIVE). Usually one volatile read, no write. */
        boolean markActive() {
            for (;;) {
                int s = this.state.get();
                if (s != IDLE) {
                    return s == ACTIVE;
                }
                if (this.state.compareAndSet(IDLE, ACTIVE)) {
                    return true;
                }
            }
        }

        /** For {@link #forgetIdle}: ends the interval; whether the count had requests in it. */
        boolean endInterval() {
            return this.state.compareAndSet(ACTIVE, IDLE);
        }

        /** For {@link #forgetIdle}: drops an idle count; false when a request came first. */
        boolean kill() {
            return this.state.compareAndSet(IDLE, DEAD);
        }
    }
}
