package dev.hotpool.sample;

import java.net.URI;
import java.util.Arrays;

import dev.hotpool.HotPool;
import dev.hotpool.Origin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestTemplate;

/**
 * What the pool saves: one cold call on a new connection (TCP connect and TLS handshake included), then hot calls
 * on the connection it left behind, all through an ordinary {@link RestTemplate}. The counts are the pool's (and,
 * with the embedded upstream, the server's), taken around each phase: traffic that runs at the same moment, such
 * as a health check topping a warm host up, adds to them. Thread-safe.
 */
@Service
class PoolDemo {

    static final int HOT_CALLS = 20;

    private final RestTemplate upstream;

    private final HotPool pool;

    private final UpstreamProperties properties;

    private final ObjectProvider<EmbeddedUpstream> embedded;

    PoolDemo(RestTemplate upstreamRestTemplate, HotPool pool, UpstreamProperties properties,
            ObjectProvider<EmbeddedUpstream> embedded) {
        this.upstream = upstreamRestTemplate;
        this.pool = pool;
        this.properties = properties;
        this.embedded = embedded;
    }

    Report run() {
        String path = this.properties.getDemoPath();
        Origin origin = Origin.of(URI.create(this.properties.getUrl()));
        // Closing the idle connections makes the next call open a new one, as the first call of a cold client would.
        int evicted = this.pool.evictIdle(origin);
        Counts beforeCold = counts();
        long start = System.nanoTime();
        this.upstream.getForObject(path, String.class);
        double coldMillis = Millis.since(start);
        Counts afterCold = counts();
        double[] hot = new double[HOT_CALLS];
        for (int i = 0; i < HOT_CALLS; i++) {
            long hotStart = System.nanoTime();
            this.upstream.getForObject(path, String.class);
            hot[i] = Millis.since(hotStart);
        }
        Counts afterHot = counts();
        Arrays.sort(hot);
        double median = hot[HOT_CALLS / 2];
        Phase cold = new Phase(1, coldMillis, coldMillis, coldMillis, afterCold.minus(beforeCold));
        Phase hotPhase = new Phase(HOT_CALLS, median, hot[(int) (HOT_CALLS * 0.9)], hot[HOT_CALLS - 1],
                afterHot.minus(afterCold));
        double ratio = (median > 0) ? Math.round(coldMillis / median * 10) / 10.0 : 0;
        return new Report(this.properties.getUrl() + path, evicted, cold, hotPhase, ratio);
    }

    private Counts counts() {
        EmbeddedUpstream server = this.embedded.getIfAvailable();
        return new Counts(this.pool.stats().created(), this.pool.traffic().handshakes(),
                (server != null) ? server.connectionsAccepted() : -1);
    }

    /**
     * The demo's answer.
     *
     * @param called the URL called (the upstream's own path, never a query string)
     * @param evictedIdle idle connections to the upstream closed before the cold call
     * @param cold the one call on a new connection
     * @param hot the calls on kept-alive connections
     * @param coldOverHotMedian how many hot calls one cold call costs
     */
    record Report(String called, int evictedIdle, Phase cold, Phase hot, double coldOverHotMedian) {
    }

    /**
     * One phase of the demo.
     *
     * @param calls calls made
     * @param medianMillis their median latency
     * @param p90Millis their 90th percentile
     * @param maxMillis their slowest
     * @param counts what the pool and the server counted during the phase
     */
    record Phase(int calls, double medianMillis, double p90Millis, double maxMillis, Counts counts) {
    }

    /**
     * @param newConnections connections the pool opened
     * @param handshakes TLS handshakes the pool made
     * @param upstreamConnectionsAccepted TLS connections the embedded upstream accepted ({@code -1} with a real
     * upstream, whose side the sample cannot see)
     */
    record Counts(long newConnections, long handshakes, long upstreamConnectionsAccepted) {

        Counts minus(Counts earlier) {
            return new Counts(this.newConnections - earlier.newConnections, this.handshakes - earlier.handshakes,
                    (this.upstreamConnectionsAccepted < 0) ? -1
                            : this.upstreamConnectionsAccepted - earlier.upstreamConnectionsAccepted);
        }
    }
}
