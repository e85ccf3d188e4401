package dev.hotpool;

import dev.hotpool.tls.TlsProfile;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
 * @param protocols the HTTP protocols new connections to the host may speak, in order of preference (the host's
 *     {@code protocols}, else {@code hotpool.protocols}): checked, lower case, {@code h2}, {@code http/1.1} and
 *     (a host's own list only) {@code h2c}
 */
public record EffectiveHostSettings(String pattern, int maxConnections, Duration idleTimeout, Duration maxLifetime,
        int minIdle, String tlsProfile, String probePath, Duration readTimeout,
        Duration connectTimeout, List<String> protocols) {

    public EffectiveHostSettings {
        protocols = List.copyOf(Objects.requireNonNull(protocols, "'protocols' must not be null"));
    }

    /**
     * Whether the host's {@code https} connections offer HTTP/2 ({@code h2} is in {@link #protocols()}): they offer
     * the list (less {@code h2c}) in ALPN, in its order, and speak HTTP/2 when the server picks {@code h2}.
     */
    public boolean http2() {
        return this.protocols.contains(Protocols.H2);
    }

    /**
     * Whether the host's {@code http} (cleartext) connections speak HTTP/2 by prior knowledge ({@code h2c} is in
     * {@link #protocols()}; its place in the list does not matter, since nothing is negotiated in cleartext). Only on
     * direct connections: a configured proxy ({@code hotpool.proxy.url}) that would carry such a host is refused when
     * the pool is built, and a connection that the JVM's proxy settings send through a proxy at run time speaks
     * HTTP/1.1, as the proxy does.
     */
    public boolean h2c() {
        return this.protocols.contains(Protocols.H2C);
    }

    /**
     * What a TLS connection to the host with this profile offers in ALPN: with {@code h2} in {@link #protocols()},
     * that list in its order without {@code h2c} ({@code [h2, http/1.1]}); otherwise exactly the profile's own
     * {@link TlsProfile#alpn()}, so a pool that does not ask for HTTP/2 sends the ClientHello it always sent. (A
     * profile whose own ALPN list contradicts the protocols is refused when the pool is built.)
     */
    public List<String> alpn(TlsProfile profile) {
        if (!http2()) {
            return profile.alpn();
        }
        return h2c() ? this.protocols.stream().filter((p) -> !p.equals(Protocols.H2C)).toList() : this.protocols;
    }
}
