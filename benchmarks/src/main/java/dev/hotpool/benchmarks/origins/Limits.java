package dev.hotpool.benchmarks.origins;

import java.time.Duration;

/**
 * The limits both clients run with. Immutable.
 *
 * @param maxTotal connections open at once over all routes
 * @param maxPerRoute connections open at once to one origin
 * @param idleTimeout an idle connection older than this is closed by the idle sweep
 */
record Limits(int maxTotal, int maxPerRoute, Duration idleTimeout) {

    /** The issue's: {@code max-connections} 200, {@code max-conns-per-host} 2, {@code idle-timeout} 2 s. */
    static final Limits ISSUE = new Limits(200, 2, Duration.ofSeconds(2));
}
