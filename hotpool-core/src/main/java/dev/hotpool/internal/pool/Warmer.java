package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.EffectiveHostSettings;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.Origin;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the warm hosts ({@link HotPoolConfig#warmOrigins()}) at their minimum of idle connections (their host's
 * {@code hotpool.hosts[<host>].min-idle}, else {@code warmup.min-idle-per-host}): full TCP + TLS connections (plus
 * the probe request when the host has a probe path), opened with bounded concurrency, with exponential backoff per
 * host after a failure. Runs at startup and on every health check.
 *
 * <p>Thread-safe: {@link #topUp()} runs one at a time (later callers wait); its connects run on the
 * warmer's own daemon threads.
 */
final class Warmer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Warmer.class);

    private static final long BASE_BACKOFF_MILLIS = 1_000;
    private static final long MAX_BACKOFF_MILLIS = 60_000;

    private final HotPoolConfig config;
    private final ConnectionPool pool;
    private final Leaser leaser;
    private final ConnectionProbe probe;
    private final Clock clock;
    /** The warm hosts and their backoff; fixed keys, values guarded by topUpLock. */
    private final Map<Route, Backoff> hosts = new LinkedHashMap<>();
    /** The settings of each warm route's host: its minimum, its timeouts. Fixed. */
    private final Map<Route, EffectiveHostSettings> settings = new LinkedHashMap<>();
    /** The longest connect timeout of the warm routes, for the wait on a top-up. */
    private final long connectTimeoutMillis;
    private final ReentrantLock topUpLock = new ReentrantLock();
    private final CountDownLatch firstRun = new CountDownLatch(1);
    private final ExecutorService executor;
    private volatile boolean closed;

    Warmer(HotPoolConfig config, ConnectionPool pool, Leaser leaser, ConnectionProbe probe, Set<Route> routes) {
        this.config = config;
        this.pool = pool;
        this.leaser = leaser;
        this.probe = probe;
        this.clock = config.clock();
        long connectTimeout = config.connectTimeout().toMillis();
        for (Route route : routes) {
            this.hosts.put(route, new Backoff());
            EffectiveHostSettings host = config.hostSettings(route.origin().host());
            this.settings.put(route, host);
            connectTimeout = Math.max(connectTimeout, host.connectTimeout().toMillis());
        }
        this.connectTimeoutMillis = connectTimeout;
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(config.warmupMaxConcurrent(),
                config.warmupMaxConcurrent(), 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "hotpool-warmup-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        this.executor = executor;
    }

    /** The routes of {@link HotPoolConfig#warmOrigins()}, in order. */
    static Set<Route> routes(HotPoolConfig config) {
        Set<Route> routes = new LinkedHashSet<>();
        for (Origin origin : config.warmOrigins()) {
            routes.add(Route.of(origin, config.tls(), null, config.proxy().select(origin)));
        }
        return routes;
    }

    /** Whether any host is to be kept warm. */
    boolean enabled() {
        return this.settings.values().stream().anyMatch((host) -> host.minIdle() > 0);
    }

    /** Starts the first top-up in the background. */
    void start() {
        if (!enabled()) {
            this.firstRun.countDown();
            return;
        }
        CompletableFuture.runAsync(this::topUp, this.executor);
    }

    /** Waits up to {@code timeoutMillis} for the first top-up to finish; returns whether it did. */
    boolean awaitFirstRun(long timeoutMillis) throws InterruptedException {
        return this.firstRun.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Result of one top-up. */
    record Result(int warmed, int failed) {
    }

    /**
     * Opens connections until every warm host not in backoff has its minimum idle, and waits for them.
     */
    Result topUp() {
        if (!enabled() || this.closed) {
            this.firstRun.countDown();
            return new Result(0, 0);
        }
        this.topUpLock.lock();
        try {
            long now = this.clock.millis();
            List<CompletableFuture<Boolean>> opening = new ArrayList<>();
            List<Route> routes = new ArrayList<>();
            for (Map.Entry<Route, Backoff> e : this.hosts.entrySet()) {
                if (now < e.getValue().nextAttemptAt) {
                    continue;
                }
                int missing = this.pool.upkeep().warmDeficit(e.getKey(), this.settings.get(e.getKey()).minIdle());
                for (int i = 0; i < missing; i++) {
                    Route route = e.getKey();
                    opening.add(CompletableFuture.supplyAsync(() -> open(route), this.executor));
                    routes.add(route);
                }
            }
            int warmed = 0;
            int failed = 0;
            long waitMillis = this.connectTimeoutMillis + this.config.healthCheckTimeout().toMillis()
                    + 1_000;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis) * Math.max(1,
                    (opening.size() + this.config.warmupMaxConcurrent() - 1) / this.config.warmupMaxConcurrent());
            Map<Route, Boolean> failedRoutes = new LinkedHashMap<>();
            for (int i = 0; i < opening.size(); i++) {
                boolean ok;
                try {
                    ok = opening.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ok = false;
                }
                catch (ExecutionException | TimeoutException e) {
                    ok = false;
                }
                if (ok) {
                    warmed++;
                }
                else {
                    failed++;
                    failedRoutes.put(routes.get(i), Boolean.TRUE);
                }
            }
            long after = this.clock.millis();
            for (Map.Entry<Route, Backoff> e : this.hosts.entrySet()) {
                if (failedRoutes.containsKey(e.getKey())) {
                    e.getValue().failed(after);
                }
                else if (routes.contains(e.getKey())) {
                    e.getValue().succeeded();
                }
            }
            return new Result(warmed, failed);
        }
        finally {
            this.topUpLock.unlock();
            this.firstRun.countDown();
        }
    }

    /** Opens one connection, probes it, and leaves it idle; false when it could not be had. */
    private boolean open(Route route) {
        Held entry;
        try {
            EffectiveHostSettings host = this.settings.get(route);
            entry = this.leaser.openForWarmup(route, millis(host.connectTimeout().toMillis()),
                    millis(host.readTimeout().toMillis()));
        }
        catch (IOException | RuntimeException e) {
            log.warn("{} - warming {} failed: {}", this.config.name(), route, e.getMessage());
            return false;
        }
        if (entry == null) {
            return false; // No room under the limits: not an error of the host.
        }
        ConnectionProbe.Outcome outcome;
        try {
            outcome = this.probe.check(entry);
        }
        catch (RuntimeException e) {
            outcome = ConnectionProbe.Outcome.UNHEALTHY;
        }
        if (outcome != ConnectionProbe.Outcome.HEALTHY) {
            entry.discard(outcome == ConnectionProbe.Outcome.DEAD ? CloseReason.STALE : CloseReason.UNHEALTHY);
            log.warn("{} - warming {}: the new connection failed its check ({})", this.config.name(), route, outcome);
            return false;
        }
        entry.release();
        return true;
    }

    /** Stops warming: no new top-ups; connects in flight finish or fail on their own. */
    @Override
    public void close() {
        this.closed = true;
        this.executor.shutdownNow();
        this.firstRun.countDown();
    }

    private static int millis(long value) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, value));
    }

    /** Exponential backoff of one host: 1 s, 2 s, 4 s … up to a minute after consecutive failures. */
    private static final class Backoff {

        long nextAttemptAt;
        int failures;

        void failed(long now) {
            this.failures++;
            long delay = Math.min(MAX_BACKOFF_MILLIS, BASE_BACKOFF_MILLIS << Math.min(16, this.failures - 1));
            this.nextAttemptAt = now + delay;
        }

        void succeeded() {
            this.failures = 0;
            this.nextAttemptAt = 0;
        }
    }
}
