package dev.hotpool;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code hotpool.hosts} patterns, checked, and the lookup of what applies to a host: an exact name first, then
 * the wildcards over the host's parent domains, longest first ({@code *.eu.example.com} before {@code *.example.com}).
 * A lookup costs one map look-up per label of the name, whatever the number of patterns; with no pattern it costs
 * nothing. Patterns do not merge: the most specific one applies, the pool's values fill in what it leaves unset.
 *
 * <p>Immutable and thread-safe.
 */
final class HostSettingsTable {

    private static final String LABEL = "[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?";
    private static final Pattern NAME = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
    private static final Pattern IPV6 = Pattern.compile(
            "(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{0,4}|\\d{1,3}(?:\\.\\d{1,3}){3})");

    private final EffectiveHostSettings pool;
    /** By exact host name. Fixed at build. */
    private final Map<String, EffectiveHostSettings> exact;
    /** By the suffix a wildcard matches, with its dot: {@code *.example.com} under {@code .example.com}. */
    private final Map<String, EffectiveHostSettings> wildcards;
    /** Every pattern's effective settings, in configuration order. */
    private final Map<String, EffectiveHostSettings> all;

    private HostSettingsTable(EffectiveHostSettings pool, Map<String, EffectiveHostSettings> all) {
        this.pool = pool;
        this.all = Collections.unmodifiableMap(all);
        Map<String, EffectiveHostSettings> exact = new HashMap<>();
        Map<String, EffectiveHostSettings> wildcards = new HashMap<>();
        all.forEach((pattern, settings) -> {
            if (pattern.startsWith("*.")) {
                wildcards.put(pattern.substring(1), settings);
            }
            else {
                exact.put(pattern, settings);
            }
        });
        this.exact = exact;
        this.wildcards = wildcards;
    }

    /**
     * Checks the patterns and their values against the pool's settings and resolves each pattern's effective values.
     *
     * @param profiles the names of the TLS profiles a host may name
     * @throws IllegalArgumentException naming the host's property and the pool's it breaks, e.g.
     *     {@code hotpool.hosts[api.example.com].max-connections (200) must not exceed hotpool.max-connections (100)}
     */
    static HostSettingsTable of(HotPoolConfig c, Map<String, HostSettings> hosts, Collection<String> profiles) {
        EffectiveHostSettings pool = new EffectiveHostSettings(null, c.maxConnsPerHost(), c.idleTimeout(),
                c.maxLifetime(), c.warmupMinIdlePerHost(), null, c.healthCheckProbePath(), c.readTimeout(),
                c.connectTimeout(), c.protocols());
        Map<String, EffectiveHostSettings> all = new LinkedHashMap<>();
        hosts.forEach((given, h) -> {
            String pattern = normalize(given);
            if (h == null) {
                throw new IllegalArgumentException("hotpool.hosts[" + given + "] must not be null");
            }
            if (all.containsKey(pattern)) {
                throw new IllegalArgumentException("hotpool.hosts[" + given + "] is configured twice (host names "
                        + "are not case-sensitive)");
            }
            all.put(pattern, check(c, pool, pattern, h, profiles));
        });
        return new HostSettingsTable(pool, all);
    }

    /** The pattern in lower case; refuses what is neither a host name, an IP literal nor {@code *.} and a name. */
    static String normalize(String given) {
        String p = given == null ? "" : given.trim().toLowerCase(Locale.ROOT);
        if (p.startsWith("[") && p.endsWith("]")) {
            p = p.substring(1, p.length() - 1); // An IPv6 literal in brackets.
        }
        boolean wildcard = p.startsWith("*.");
        String name = wildcard ? p.substring(2) : p;
        if (!(NAME.matcher(name).matches() || (!wildcard && IPV6.matcher(name).matches()))) {
            throw new IllegalArgumentException("hotpool.hosts[" + given + "] is not a host pattern: use a host name "
                    + "(api.example.com), an IP address, or *. and a domain for every name under it (*.example.com)");
        }
        return p;
    }

    private static EffectiveHostSettings check(HotPoolConfig c, EffectiveHostSettings pool, String pattern,
            HostSettings h, Collection<String> profiles) {
        String prefix = "hotpool.hosts[" + pattern + "].";
        if (h.maxConnections() != null) {
            if (h.maxConnections() <= 0) {
                throw new IllegalArgumentException(prefix + "max-connections (" + h.maxConnections()
                        + ") must be greater than 0");
            }
            if (h.maxConnections() > c.maxConnections()) {
                throw new IllegalArgumentException(prefix + "max-connections (" + h.maxConnections()
                        + ") must not exceed hotpool.max-connections (" + c.maxConnections() + ")");
            }
        }
        positive(prefix + "idle-timeout", h.idleTimeout());
        positive(prefix + "max-lifetime", h.maxLifetime());
        positive(prefix + "read-timeout", h.readTimeout());
        positive(prefix + "connect-timeout", h.connectTimeout());
        below(prefix + "read-timeout", h.readTimeout());
        below(prefix + "connect-timeout", h.connectTimeout());
        EffectiveHostSettings e = new EffectiveHostSettings(pattern, or(h.maxConnections(), pool.maxConnections()),
                or(h.idleTimeout(), pool.idleTimeout()), or(h.maxLifetime(), pool.maxLifetime()),
                or(h.minIdle(), pool.minIdle()), h.tlsProfile(), or(h.probePath(), pool.probePath()),
                or(h.readTimeout(), pool.readTimeout()), or(h.connectTimeout(), pool.connectTimeout()),
                h.protocols() != null ? Protocols.check(prefix + "protocols", h.protocols(), true) : pool.protocols());
        if ((h.idleTimeout() != null || h.maxLifetime() != null) && e.idleTimeout().compareTo(e.maxLifetime()) > 0) {
            throw new IllegalArgumentException((h.idleTimeout() != null ? prefix : "hotpool.") + "idle-timeout ("
                    + e.idleTimeout() + ") must not exceed " + (h.maxLifetime() != null ? prefix : "hotpool.")
                    + "max-lifetime (" + e.maxLifetime() + ")");
        }
        if (h.minIdle() != null) {
            if (h.minIdle() < 0) {
                throw new IllegalArgumentException(prefix + "min-idle (" + h.minIdle() + ") must not be negative");
            }
            if (pattern.startsWith("*.")) {
                throw new IllegalArgumentException(prefix + "min-idle (" + h.minIdle() + ") cannot be set on a "
                        + "wildcard pattern: a wildcard names no host to connect to ahead of time, and keeping every "
                        + "matching host ever used warm would keep connections to each of them for good; set "
                        + "hotpool.hosts[<host>].min-idle on each host's own name, or list its origins in "
                        + "hotpool.warmup.hosts");
            }
            if (h.minIdle() > e.maxConnections()) {
                throw new IllegalArgumentException(prefix + "min-idle (" + h.minIdle() + ") must not exceed "
                        + (h.maxConnections() != null ? prefix + "max-connections" : "hotpool.max-conns-per-host")
                        + " (" + e.maxConnections() + ")");
            }
        }
        if (h.tlsProfile() != null && !profiles.contains(h.tlsProfile())) {
            throw new IllegalArgumentException(prefix + "tls.profile (" + h.tlsProfile() + ") names no TLS profile "
                    + "of the pool; the profiles are " + String.join(", ", profiles) + " (the built-in ones and "
                    + "those of hotpool.tls.profiles)");
        }
        if (h.probePath() != null && !h.probePath().startsWith("/")) {
            throw new IllegalArgumentException(prefix + "health-check.probe-path (" + h.probePath()
                    + ") must start with /");
        }
        return e;
    }

    /** What applies to the host (lower case, as {@link Origin#host()} gives it). */
    EffectiveHostSettings resolve(String host) {
        if (this.all.isEmpty()) {
            return this.pool;
        }
        EffectiveHostSettings e = this.exact.get(host);
        if (e != null) {
            return e;
        }
        if (!this.wildcards.isEmpty()) {
            for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
                e = this.wildcards.get(host.substring(dot));
                if (e != null) {
                    return e;
                }
            }
        }
        return this.pool;
    }

    /** The pool's own values: what applies to a host no pattern matches. */
    EffectiveHostSettings pool() {
        return this.pool;
    }

    /** Every pattern (normalized) with its effective settings, in configuration order. */
    Map<String, EffectiveHostSettings> all() {
        return this.all;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static void positive(String property, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(property + " (" + value + ") must be greater than 0");
        }
    }

    private static void below(String property, Duration value) {
        if (value != null && value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(property + " (" + value + ") must be below " + Integer.MAX_VALUE
                    + " ms");
        }
    }
}
