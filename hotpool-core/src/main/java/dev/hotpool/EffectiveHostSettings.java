package dev.hotpool;

import java.time.Duration;

/**
 * The settings that apply to one host: those of the most specific {@code hotpool.hosts} pattern that matches it, the
 * pool's for every value the pattern leaves unset (or for all, when none matches). From
 * {@link HotPoolConfig#hostSettings(String)}. Immutable and thread-safe.
 *
 * @param pattern the pattern that matched ({@code api.example.com}, {@code *.example.com}), {@code null} when none did
 * @param maxConnections most connections open at once to one origin of the host
 * @param idleTimeout an idle connection older than this is closed
 * @param maxLifetime a connection older than this (less up to 2.5% jitter) is closed
 * @param minIdle idle connections each warm origin of the host is kept at (the host's {@code min-idle}, else
 *     {@code hotpool.warmup.min-idle-per-host}); only warm origins are kept warm (see
 *     {@link HotPoolConfig#warmOrigins()})
 * @param tlsProfile the TLS profile of every new connection, {@code null}: the pool's choice ({@code hotpool.tls.*})
 * @param probePath the path of the probe request, {@code null}: liveness reads only
 * @param readTimeout read timeout of requests that set none
 * @param connectTimeout connect timeout of requests that set none
 */
public record EffectiveHostSettings(String pattern, int maxConnections, Duration idleTimeout, Duration maxLifetime,
        int minIdle, String tlsProfile, String probePath, Duration readTimeout,
        Duration connectTimeout) {
}
