package dev.hotpool.metrics.micrometer;

import dev.hotpool.Origin;
import dev.hotpool.PoolStats;

/**
 * The {@code host:port} of a {@link PoolStats.HostStats}, whose {@code origin} names a route: the origin, then the
 * TLS settings' name in parentheses when they are not the pool's default
 * ({@code https://api.example.com:443 (backend)}). Stateless.
 */
final class HostAuthority {

    private HostAuthority() {
    }

    static String of(String route) {
        int space = route.indexOf(' ');
        return Origin.parse(space < 0 ? route : route.substring(0, space)).authority();
    }
}
