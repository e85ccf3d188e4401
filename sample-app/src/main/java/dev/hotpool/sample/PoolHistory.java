package dev.hotpool.sample;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.hotpool.HotPool;
import dev.hotpool.PoolStats;
import dev.hotpool.TrafficStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last {@value #CAPACITY} seconds of the pool, one sample a second, for the status page's charts: a ring buffer
 * fed from the pool's snapshots ({@link HotPool#stats()}, {@link HotPool#traffic()}) and the {@link AcquireWaits}
 * histogram by one daemon thread, so a page opened late still shows the last minutes. Nothing here runs on a
 * request's path: the pool takes its lock for the snapshot once a second, as a scrape of its gauges does.
 *
 * <p>Each sample keeps the totals since start (requests, failures, retries, handshakes) and the rates per second
 * since the sample before, the connections by state, the acquire wait's p50 and p99 over that second, and the same
 * per {@code host:port} the pool has a route to or requests for (so at most what the endpoint shows).
 *
 * <p>Thread-safe: the ring is guarded by {@link #lock}; samples are immutable.
 */
final class PoolHistory implements AutoCloseable {

    /** Samples kept: five minutes at one a second. */
    static final int CAPACITY = 300;

    static final long INTERVAL_MILLIS = 1000;

    private static final Logger log = LoggerFactory.getLogger(PoolHistory.class);

    /**
     * One second of the pool.
     *
     * @param t epoch millis when it was taken
     * @param requests totals since start, as {@code /actuator/hotpool}'s {@code requests}
     * @param requestsPerSecond rates since the sample before (0 for the first)
     * @param leased connections by state, as {@code /actuator/hotpool}'s {@code connections}
     * @param acquireP50Millis median wait for a connection over the last second, {@code null} when none was leased
     * @param hosts per {@code host:port}
     */
    record Sample(long t, long requests, long failed, long retried, long handshakes, double requestsPerSecond,
            double failedPerSecond, double retriedPerSecond, double handshakesPerSecond, int leased, int idle,
            int connecting, int pending, int max, Double acquireP50Millis, Double acquireP99Millis,
            Map<String, HostSample> hosts) {
    }

    /** One host in a sample: connections by state and requests per second. */
    record HostSample(int leased, int idle, int connecting, int pending, long requests, double requestsPerSecond) {
    }

    private final HotPool pool;

    private final AcquireWaits waits;

    private final Clock clock;

    private final ReentrantLock lock = new ReentrantLock();

    /** Guarded by {@link #lock}: the ring, {@code next} the slot the next sample goes to. */
    private final Sample[] ring = new Sample[CAPACITY];

    private int next;

    private int size;

    /** Only the sampling thread touches these. */
    private long[] lastWaits;

    private ScheduledExecutorService sampler;

    PoolHistory(HotPool pool, AcquireWaits waits, Clock clock) {
        this.pool = pool;
        this.waits = waits;
        this.clock = clock;
    }

    /** Starts sampling once a second on a daemon thread. */
    void start() {
        this.sampler = Executors.newSingleThreadScheduledExecutor((r) -> {
            Thread t = new Thread(r, "hotpool-sample-history");
            t.setDaemon(true);
            return t;
        });
        this.sampler.scheduleAtFixedRate(this::sampleQuietly, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void sampleQuietly() {
        try {
            sample();
        }
        catch (RuntimeException ex) { // A failed sample must not end the sampling.
            log.warn("hotpool sample: could not sample the pool: {}", ex.toString());
        }
    }

    /** Takes one sample now and adds it to the ring (the oldest leaves once it is full). */
    Sample sample() {
        PoolStats stats = this.pool.stats();
        TrafficStats traffic = this.pool.traffic();
        long[] waitCounts = this.waits.counts();
        long now = this.clock.millis();
        Sample previous = latest();
        double seconds = previous == null ? 0 : Math.max(1, now - previous.t()) / 1000.0;

        Map<String, int[]> states = new TreeMap<>();
        for (PoolStats.HostStats h : stats.hosts()) {
            int[] s = states.computeIfAbsent(h.origin().authority(), (k) -> new int[4]);
            s[0] += h.leased();
            s[1] += h.idle();
            s[2] += h.connecting();
            s[3] += h.pending();
        }
        for (String authority : traffic.requestsByHost().keySet()) {
            states.computeIfAbsent(authority, (k) -> new int[4]);
        }
        Map<String, HostSample> hosts = new TreeMap<>();
        states.forEach((authority, s) -> {
            long requests = traffic.requestsByHost().getOrDefault(authority, 0L);
            HostSample before = previous == null ? null : previous.hosts().get(authority);
            hosts.put(authority, new HostSample(s[0], s[1], s[2], s[3], requests,
                    rate(before == null ? requests : before.requests(), requests, seconds)));
        });

        Sample sample = new Sample(now, traffic.requests(), traffic.failed(), traffic.retried(),
                traffic.handshakes(),
                previous == null ? 0 : rate(previous.requests(), traffic.requests(), seconds),
                previous == null ? 0 : rate(previous.failed(), traffic.failed(), seconds),
                previous == null ? 0 : rate(previous.retried(), traffic.retried(), seconds),
                previous == null ? 0 : rate(previous.handshakes(), traffic.handshakes(), seconds),
                stats.leased(), stats.idle(), stats.connecting(), stats.pending(), stats.maxConnections(),
                AcquireWaits.quantileMillis(this.lastWaits, waitCounts, 0.50),
                AcquireWaits.quantileMillis(this.lastWaits, waitCounts, 0.99), Map.copyOf(hosts));
        this.lastWaits = waitCounts;
        add(sample);
        return sample;
    }

    /** Per second from {@code before} to {@code after}; a count that restarted (a host dropped) counts from zero. */
    private static double rate(long before, long after, double seconds) {
        if (seconds <= 0) {
            return 0;
        }
        long delta = after >= before ? after - before : after;
        return delta / seconds;
    }

    private void add(Sample sample) {
        this.lock.lock();
        try {
            this.ring[this.next] = sample;
            this.next = (this.next + 1) % CAPACITY;
            this.size = Math.min(CAPACITY, this.size + 1);
        }
        finally {
            this.lock.unlock();
        }
    }

    /** The newest sample, or {@code null} before the first. */
    Sample latest() {
        this.lock.lock();
        try {
            return this.size == 0 ? null : this.ring[(this.next + CAPACITY - 1) % CAPACITY];
        }
        finally {
            this.lock.unlock();
        }
    }

    /** The samples taken after {@code afterMillis} (epoch millis; 0 for all), oldest first. */
    List<Sample> after(long afterMillis) {
        this.lock.lock();
        try {
            List<Sample> samples = new ArrayList<>(this.size);
            for (int i = 0; i < this.size; i++) {
                Sample s = this.ring[(this.next - this.size + i + CAPACITY) % CAPACITY];
                if (s.t() > afterMillis) {
                    samples.add(s);
                }
            }
            return samples;
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public void close() {
        if (this.sampler != null) {
            this.sampler.shutdownNow();
        }
    }
}
