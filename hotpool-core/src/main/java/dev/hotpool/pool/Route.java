package dev.hotpool.pool;

import dev.hotpool.Origin;
import dev.hotpool.tls.TlsSettings;

/**
 * What a pooled connection is good for: an origin and, for {@code https}, the TLS settings it was made
 * with (compared by identity). Connections are never shared across routes. Immutable; the key of a
 * {@link RoutePool}.
 *
 * @param origin scheme, host and port
 * @param tls the TLS settings for {@code https} origins, {@code null} for {@code http}
 */
record Route(Origin origin, TlsSettings tls) {

    /** The route for an origin: TLS settings are kept only when the origin speaks TLS. */
    static Route of(Origin origin, TlsSettings tls) {
        return new Route(origin, origin.secure() ? tls : null);
    }

    @Override
    public String toString() {
        return this.tls == null || this.tls == TlsSettings.defaults()
                ? this.origin.toString() : this.origin + " (" + this.tls.name() + ")";
    }
}
