package dev.hotpool.benchmarks.origins;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.LongAdder;

import dev.hotpool.benchmarks.load.BenchTls;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.util.TimeValue;

/**
 * Apache HttpClient 5 classic with a {@link PoolingHttpClientConnectionManager} under the same limits (max total,
 * default max per route) and a {@link DnsResolver} that knows exactly the benchmark's names. Otherwise its defaults
 * (STRICT pool, LIFO reuse, stale check after 2 s of inactivity, one retry for idempotent requests).
 *
 * <p>No {@code IdleConnectionEvictor} thread: it would call {@code closeIdle} and {@code closeExpired} every
 * second or so during the load, which HttpClient 5 does not do by default, and hotpool gets no background upkeep
 * during the load either. The sweep calls the very methods the evictor calls, once, so what the pool holds after it
 * is what the evictor would leave.
 *
 * <p>Thread-safe, as the client and its connection manager are.
 */
final class Hc5OriginClient implements OriginClient {

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[8192]);

    private final Limits limits;
    private final PoolingHttpClientConnectionManager manager;
    private final CloseableHttpClient client;
    /** Connections made: the manager asks its connection factory once per new connection. */
    private final LongAdder opened = new LongAdder();

    /** @param tls the trust for {@code https} origins, or {@code null} for plain HTTP */
    Hc5OriginClient(OriginNames names, Limits limits, BenchTls tls) {
        this.limits = limits;
        DnsResolver dns = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return names.resolve(host).toArray(new InetAddress[0]);
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                names.resolve(host);
                return host;
            }
        };
        PoolingHttpClientConnectionManagerBuilder builder = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(dns)
                .setMaxConnTotal(limits.maxTotal())
                .setMaxConnPerRoute(limits.maxPerRoute())
                .setConnectionFactory(socket -> {
                    this.opened.increment();
                    return ManagedHttpClientConnectionFactory.INSTANCE.createConnection(socket);
                });
        if (tls != null) {
            builder.setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls.sslContext()).buildClassic());
        }
        this.manager = builder.build();
        this.client = HttpClients.custom().setConnectionManager(this.manager).build();
    }

    @Override
    public long get(URI uri) throws IOException {
        return this.client.execute(new HttpGet(uri), response -> {
            long n = response.getEntity() == null ? 0
                    : OriginClient.drain(response.getEntity().getContent(), BUFFER.get());
            if (response.getCode() != 200) {
                throw new ClientProtocolException("benchmark: " + uri + " answered " + response.getCode());
            }
            return n;
        });
    }

    @Override
    public String sweep() {
        // What IdleConnectionEvictor does on each run; closeIdle also drops the routes left without a connection.
        this.manager.closeIdle(TimeValue.of(this.limits.idleTimeout()));
        this.manager.closeExpired();
        return "closeIdle(" + this.limits.idleTimeout().toMillis() + " ms) + closeExpired()";
    }

    @Override
    public Held held() {
        int empty = 0;
        for (HttpRoute route : this.manager.getRoutes()) {
            PoolStats s = this.manager.getStats(route);
            if (s.getLeased() + s.getAvailable() == 0) {
                empty++;
            }
        }
        PoolStats total = this.manager.getTotalStats();
        return new Held(this.manager.getRoutes().size(), empty, total.getLeased() + total.getAvailable(),
                this.opened.sum(), total.toString());
    }

    @Override
    public void close() {
        this.client.close(CloseMode.GRACEFUL);
    }
}
