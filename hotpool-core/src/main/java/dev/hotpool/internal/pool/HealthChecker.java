package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.HealthCheckReport;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.Origin;
import dev.hotpool.internal.metrics.TrafficRecorder;
import dev.hotpool.internal.net.AddressBook;
import dev.hotpool.internal.net.OutlierDetector;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background upkeep, one run at a time:
 * <ol>
 * <li>close idle connections past their idle timeout, keep-alive hint or lifetime;</li>
 * <li>check every other idle connection, one at a time and outside the pool's lock: the liveness read, or the probe
 * request when a probe path is set; a failed check closes it, as does an address the address filters no longer
 * allow. A connection being checked stays where it is in the idle lists (leases skip it), so the others stay
 * available all along;</li>
 * <li>top up the warm hosts;</li>
 * <li>forget the per-host state nothing needs any more: the DNS answers and request counts of the hosts the pool no
 * longer has a route to, and outlier state with nothing left to remember;</li>
 * <li>record what it did.</li>
 * </ol>
 *
 * <p>Thread-safe: a run that starts while another is in progress returns the last report at once.
 */
final class HealthChecker {

    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

    private final HotPoolConfig config;
    private final ConnectionPool pool;
    private final ConnectionProbe probe;
    private final Warmer warmer;
    private final AddressBook addressBook;
    private final OutlierDetector outliers;
    private final TrafficRecorder traffic;
    private final Clock clock;
    private final ReentrantLock running = new ReentrantLock();
    private volatile HealthCheckReport last = HealthCheckReport.NEVER;

    HealthChecker(HotPoolConfig config, ConnectionPool pool, ConnectionProbe probe, Warmer warmer,
            AddressBook addressBook, OutlierDetector outliers, TrafficRecorder traffic) {
        this.config = config;
        this.pool = pool;
        this.probe = probe;
        this.warmer = warmer;
        this.addressBook = addressBook;
        this.outliers = outliers;
        this.traffic = traffic;
        this.clock = config.clock();
    }

    /** One run; see the class comment. */
    HealthCheckReport run() {
        if (!this.running.tryLock()) {
            return this.last;
        }
        try {
            if (this.pool.isClosed()) {
                return this.last;
            }
            long startNanos = System.nanoTime();
            Instant startedAt = this.clock.instant();
            Map<CloseReason, Integer> closed = new EnumMap<>(CloseReason.class);
            int checked = 0;
            for (PoolEntry entry : this.pool.upkeep().idleForCheck(startedAt.toEpochMilli(), closed)) {
                if (!this.pool.upkeep().beginCheck(entry)) {
                    continue; // Leased or closed since it was listed.
                }
                checked++;
                if (!entry.allowedBy(this.config.addressFilter())) {
                    this.pool.discard(entry, CloseReason.EVICTED); // Its address is no longer allowed.
                    closed.merge(CloseReason.EVICTED, 1, Integer::sum);
                    continue;
                }
                ConnectionProbe.Outcome outcome;
                try {
                    outcome = this.probe.check(entry);
                }
                catch (RuntimeException e) {
                    outcome = ConnectionProbe.Outcome.UNHEALTHY;
                }
                if (entry.route.settings().probePath() != null) { // A probe request's outcome counts for the address.
                    report(entry, outcome);
                }
                CloseReason reason = this.pool.upkeep().endCheck(entry, outcome);
                if (reason != null) {
                    closed.merge(reason, 1, Integer::sum);
                }
            }
            refreshAddresses(closed);
            Warmer.Result warm = this.warmer.topUp();
            forgetIdleHosts();
            long duration = (System.nanoTime() - startNanos) / 1_000_000;
            HealthCheckReport report = new HealthCheckReport(startedAt, duration, checked, closed, warm.warmed(),
                    warm.failed());
            this.last = report;
            if (log.isDebugEnabled()) {
                log.debug("{} - health check: {} checked, closed {}, {} warmed, {} ms", this.config.name(),
                        checked, closed, warm.warmed(), duration);
            }
            return report;
        }
        finally {
            this.running.unlock();
        }
    }

    /** Feeds a probe's outcome to the outlier detector: a failure counts, a pass ends an ejection's multiplier. */
    private void report(PoolEntry entry, ConnectionProbe.Outcome outcome) {
        String hostKey = entry.origin().authority();
        InetAddress address = entry.remote().getAddress();
        if (outcome == ConnectionProbe.Outcome.HEALTHY) {
            this.outliers.recordProbePassed(hostKey, address);
        }
        else if (outcome == ConnectionProbe.Outcome.UNHEALTHY) {
            this.outliers.recordFailure(hostKey, address, OutlierDetector.Failure.PROBE);
        }
    }

    /**
     * Re-resolves the hosts in use whose answer is due; connections to addresses that left the answer retire
     * (idle ones now, leased ones when they come back).
     */
    private void refreshAddresses(Map<CloseReason, Integer> closed) {
        for (AddressBook.Change change : this.addressBook.refresh()) {
            for (Origin origin : this.pool.upkeep().originsOf(change.host())) {
                this.outliers.hostAddresses(origin.authority(), change.after());
            }
            int retired = this.pool.upkeep().retireAddressesNotIn(change.host(), change.after(), CloseReason.EVICTED);
            if (retired > 0) {
                closed.merge(CloseReason.EVICTED, retired, Integer::sum);
            }
            log.info("{} - addresses of {} changed from {} to {}; {} idle connection(s) to old addresses closed",
                    this.config.name(), change.host(), change.before(), change.after(), retired);
        }
    }

    /** Drops per-host state kept outside the pool once nothing needs it (each says when in its own comment). */
    private void forgetIdleHosts() {
        Set<Origin> live = this.pool.upkeep().origins();
        Set<String> liveHosts = new HashSet<>();
        for (Origin origin : live) {
            liveHosts.add(origin.host());
        }
        int answers = this.addressBook.forgetUnless(liveHosts::contains);
        int counts = this.traffic.forgetIdle(live::contains);
        int outlierHosts = this.outliers.forgetQuiet();
        if (log.isDebugEnabled() && (answers > 0 || counts > 0 || outlierHosts > 0)) {
            log.debug("{} - forgot {} DNS answer(s), {} request count(s) and the outlier state of {} host(s)",
                    this.config.name(), answers, counts, outlierHosts);
        }
    }

    /** The last run's report, or {@link HealthCheckReport#NEVER}. */
    HealthCheckReport lastReport() {
        return this.last;
    }

    /** The delay before the next run: the interval less up to 10% jitter, so many pools do not run in step. */
    Duration nextDelay() {
        long interval = this.config.healthCheckInterval().toMillis();
        return Duration.ofMillis(interval - (long) (interval * 0.1 * ThreadLocalRandom.current().nextDouble()));
    }
}
