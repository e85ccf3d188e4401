package dev.hotpool.autoconfigure.actuate;

import dev.hotpool.AddressInfo;
import dev.hotpool.HealthCheckReport;
import dev.hotpool.HotPool;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.TrafficStats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code hotpool} health contributor.
 *
 * <p>UP while the pool serves. DOWN when it is closed, or when a warm host ({@code hotpool.warmup.hosts}) is cold:
 * <ul>
 * <li>every known address of the host is ejected as an outlier; or</li>
 * <li>a health check has completed since the pool started, warm-up is on ({@code warmup.min-idle-per-host} &gt; 0),
 * and the host has no open connection, idle or leased. Each check tops warm hosts up, so after one a warm host
 * without a connection is one whose warming failed for a whole {@code health-check-interval}: in that check
 * ({@link HealthCheckReport#warmFailures()} &gt; 0), or in an earlier one whose backoff made this one skip the
 * host. Until the first check (warming at startup), a warm host counts as warm.</li>
 * </ul>
 * Details hold the summary counts, the HTTP proxies ({@code host:port}) of the pool's routes when any goes through
 * one, and, when DOWN, the reason and the cold hosts.
 *
 * <p>Thread-safe: every call reads fresh snapshots from the pool.
 */
public class HotPoolHealthIndicator implements HealthIndicator {

    private final HotPool pool;

    public HotPoolHealthIndicator(HotPool pool) {
        this.pool = Objects.requireNonNull(pool, "'pool' must not be null");
    }

    @Override
    public Health health() {
        PoolStats stats = this.pool.stats();
        TrafficStats traffic = this.pool.traffic();
        Health.Builder health;
        if (this.pool.isClosed()) {
            health = Health.down().withDetail("reason", "the pool is closed");
        }
        else {
            Map<String, String> cold = coldHosts(stats);
            health = cold.isEmpty() ? Health.up()
                    : Health.down()
                        .withDetail("reason", "warm hosts without a usable connection")
                        .withDetail("coldHosts", cold);
        }
        Set<String> proxies = proxies(stats);
        if (!proxies.isEmpty()) {
            health.withDetail("proxies", proxies); // Only when a route goes through a proxy: host:port, no credentials.
        }
        return health.withDetail("connections", stats.total())
            .withDetail("active", stats.leased())
            .withDetail("idle", stats.idle())
            .withDetail("pending", stats.pending())
            .withDetail("maxConnections", stats.maxConnections())
            .withDetail("hosts", PoolHosts.of(stats, traffic).all().size())
            .withDetail("requests", traffic.requests())
            .withDetail("failedRequests", traffic.failed())
            .build();
    }

    /** The proxies ({@code host:port}) of the pool's routes, sorted. */
    private static Set<String> proxies(PoolStats stats) {
        Set<String> proxies = new TreeSet<>();
        for (PoolStats.HostStats host : stats.hosts()) {
            if (host.proxy() != null) {
                proxies.add(host.proxy());
            }
        }
        return proxies;
    }

    /** The cold warm hosts, by origin, with why. */
    private Map<String, String> coldHosts(PoolStats stats) {
        Map<String, String> cold = new LinkedHashMap<>();
        List<Origin> warmHosts = this.pool.config().warmupHosts();
        if (warmHosts.isEmpty()) {
            return cold;
        }
        HealthCheckReport last = this.pool.lastHealthCheck();
        boolean warmingDue = last.startedAt() != null && this.pool.config().warmupMinIdlePerHost() > 0;
        for (Origin origin : warmHosts) {
            List<AddressInfo> addresses = this.pool.addresses(origin);
            if (!addresses.isEmpty() && addresses.stream().allMatch(AddressInfo::ejected)) {
                cold.put(origin.toString(), "every address is ejected");
            }
            else if (warmingDue && openConnections(stats, origin) == 0) {
                cold.put(origin.toString(), "no connection after a health check: warming failed (last check: "
                        + last.warmFailures() + " warm-up failures)");
            }
        }
        return cold;
    }

    private static int openConnections(PoolStats stats, Origin origin) {
        int open = 0;
        for (PoolStats.HostStats host : stats.hosts()) {
            if (host.origin().equals(origin)) {
                open += host.idle() + host.leased();
            }
        }
        return open;
    }
}
