package dev.hotpool;

import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;

import java.util.List;
import java.util.Map;

/**
 * The checks of {@code hotpool.protocols} and {@code hotpool.hosts.<pattern>.protocols} against the rest of a
 * built configuration, run by {@link HotPoolConfig.Builder#build()}:
 * <ul>
 * <li>A TLS profile's own ALPN list must agree with the protocols of every connection that uses it. Without
 * {@code h2} in the protocols, connections offer the profile's list, which must not offer {@code h2}: the server
 * could pick HTTP/2 on a connection hotpool speaks HTTP/1.1 on. With {@code h2}, connections offer the protocols
 * (less {@code h2c}); the profile's list must be {@code [http/1.1]} (the default, which follows the protocols) or
 * that same list, so a profile written to look a certain way is never silently sent otherwise.</li>
 * <li>A host with {@code h2c} must not go through the configured proxy ({@code hotpool.proxy.url}): the proxy speaks
 * HTTP/1.1 to hotpool, so cleartext HTTP/2 by prior knowledge cannot pass it. (With the JVM's proxy settings, known
 * only per request, a proxied connection to such a host speaks HTTP/1.1.)</li>
 * </ul>
 *
 * <p>Thread-safe (stateless).
 */
final class ProtocolChecks {

    /** The first label of the name that stands for every host a wildcard pattern matches in the proxy check. */
    private static final String WILDCARD_PROBE = "hotpool-h2c-check";

    private ProtocolChecks() {
    }

    /**
     * @throws IllegalArgumentException naming the properties in conflict and their values
     */
    static void check(HotPoolConfig config) {
        TlsProfiles profiles = config.tlsProfiles();
        EffectiveHostSettings pool = config.defaultHostSettings();
        for (TlsProfile profile : profiles.inUse()) {
            checkAlpn(profile, pool, "hotpool.protocols");
        }
        for (Map.Entry<String, EffectiveHostSettings> entry : config.effectiveHostSettings().entrySet()) {
            String pattern = entry.getKey();
            EffectiveHostSettings host = entry.getValue();
            HostSettings own = config.hosts().get(pattern);
            if (own.protocols() == null && own.tlsProfile() == null) {
                continue; // The pool's protocols with the pool's profiles: checked above.
            }
            String property = own.protocols() != null ? "hotpool.hosts[" + pattern + "].protocols" : "hotpool.protocols";
            List<TlsProfile> used = own.tlsProfile() != null ? List.of(profiles.profile(own.tlsProfile()))
                    : profiles.inUse();
            for (TlsProfile profile : used) {
                checkAlpn(profile, host, property);
            }
            if (host.h2c()) {
                checkNotProxied(config.proxy(), pattern);
            }
        }
    }

    private static void checkAlpn(TlsProfile profile, EffectiveHostSettings host, String property) {
        List<String> own = profile.alpn();
        String alpn = "hotpool.tls.profiles." + profile.name() + ".alpn " + own;
        if (host.http2()) {
            List<String> offered = host.alpn(profile);
            if (!own.equals(Protocols.DEFAULT) && !own.equals(offered)) {
                throw new IllegalArgumentException(alpn + " contradicts " + property + " " + host.protocols()
                        + ": with h2 in the protocols, TLS connections offer " + offered + " in ALPN; remove the"
                        + " profile's alpn (its default, [http/1.1], follows " + property + "), or set it to "
                        + offered);
            }
        }
        else if (own.contains(Protocols.H2)) {
            throw new IllegalArgumentException(alpn + " offers h2, but " + property + " " + host.protocols()
                    + " does not: the server could pick HTTP/2 on a connection hotpool would speak HTTP/1.1 on; add"
                    + " h2 to " + property + ", or remove it from the profile's alpn");
        }
    }

    private static void checkNotProxied(ProxySettings proxy, String pattern) {
        if (proxy.proxy() == null) {
            return; // No proxy, or the JVM's settings: asked per request.
        }
        String host = pattern.startsWith("*.") ? WILDCARD_PROBE + pattern.substring(1) : pattern;
        if (proxy.select(Origin.of("http", host, 80)) != null) {
            throw new IllegalArgumentException("hotpool.hosts[" + pattern + "].protocols has h2c, but "
                    + (pattern.startsWith("*.") ? "hosts it matches go" : "the host goes") + " through hotpool.proxy.url ("
                    + proxy.proxy() + "), which speaks HTTP/1.1 to hotpool: cleartext HTTP/2 cannot pass it; add "
                    + pattern + " to hotpool.proxy.non-proxy-hosts, or remove h2c");
        }
    }
}
