package dev.hotpool.benchmarks.origins;

import java.io.IOException;
import java.net.URI;

import dev.hotpool.HealthCheckReport;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.PoolStats;
import dev.hotpool.benchmarks.load.BenchTls;
import dev.hotpool.tls.TlsSettings;

/**
 * hotpool through its core API only: {@code HotPool.execute(HotRequest.get(uri))}, the body read to its end; the
 * idle sweep is {@link HotPool#runHealthCheck()}, what the starter's scheduler calls every health-check interval.
 * No background upkeep runs during the load (the core pool has no thread of its own for it), as for HttpClient 5.
 *
 * <p>Thread-safe, as {@link HotPool} is.
 */
final class HotPoolOriginClient implements OriginClient {

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[8192]);

    private final HotPool pool;

    /**
     * @param tls the trust for {@code https} origins (exactly the benchmark's throw-away CA), or {@code null} for
     *     plain HTTP
     */
    HotPoolOriginClient(OriginNames names, Limits limits, BenchTls tls) {
        HotPoolConfig.Builder config = HotPoolConfig.builder()
                .name("many-origins-" + names.prefix())
                .maxConnections(limits.maxTotal())
                .maxConnsPerHost(limits.maxPerRoute())
                // As many idle connections as connections: only the global limit evicts, never the idle cap.
                .maxIdleConns(limits.maxTotal())
                .idleTimeout(limits.idleTimeout())
                .resolver(names::resolve);
        if (tls != null) {
            config.tls(TlsSettings.of("many-origins-ca", tls.trustStore(), null, null));
        }
        this.pool = new HotPool(config.build());
    }

    @Override
    public long get(URI uri) throws IOException {
        try (HotResponse response = this.pool.execute(HotRequest.get(uri))) {
            long n = OriginClient.drain(response.body(), BUFFER.get());
            if (response.status() != 200) {
                throw new IOException("benchmark: " + uri + " answered " + response.status());
            }
            return n;
        }
    }

    @Override
    public String sweep() {
        HealthCheckReport report = this.pool.runHealthCheck();
        return "runHealthCheck: " + report.closedTotal() + " closed " + report.closed() + ", " + report.checked()
                + " checked, " + report.durationMillis() + " ms";
    }

    @Override
    public Held held() {
        PoolStats stats = this.pool.stats();
        int empty = 0;
        for (PoolStats.HostStats host : stats.hosts()) {
            if (host.total() == 0) {
                empty++;
            }
        }
        return new Held(stats.hosts().size(), empty, stats.total(), stats.created(), stats.toString());
    }

    @Override
    public void close() {
        this.pool.close();
    }
}
