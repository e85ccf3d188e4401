package dev.hotpool.pool;

import dev.hotpool.Origin;
import dev.hotpool.net.AddressFilter;
import dev.hotpool.tls.TlsSettings;

import java.net.InetAddress;

/**
 * What a pooled connection is good for: an origin, for {@code https} the TLS settings it was made with, and the
 * address filter its requests asked for (both compared by identity). Connections are never shared across routes.
 * Immutable; the key of a {@link RoutePool}.
 *
 * @param origin scheme, host and port
 * @param tls the TLS settings for {@code https} origins, {@code null} for {@code http}
 * @param filter the requests' own address filter, {@code null} for none
 */
record Route(Origin origin, TlsSettings tls, AddressFilter filter) {

    /** The route for an origin: TLS settings are kept only when the origin speaks TLS. */
    static Route of(Origin origin, TlsSettings tls) {
        return of(origin, tls, null);
    }

    static Route of(Origin origin, TlsSettings tls, AddressFilter filter) {
        return new Route(origin, origin.secure() ? tls : null, filter == AddressFilter.ALL ? null : filter);
    }

    /** Whether a connection of this route may go to (or keep going to) the address, under the pool's filter too. */
    boolean admits(InetAddress address, AddressFilter poolFilter) {
        return poolFilter.allows(address) && (this.filter == null || this.filter.allows(address));
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Route r && this.origin.equals(r.origin) && this.tls == r.tls
                && this.filter == r.filter);
    }

    @Override
    public int hashCode() {
        return this.origin.hashCode() * 31 + System.identityHashCode(this.tls) * 17
                + System.identityHashCode(this.filter);
    }

    @Override
    public String toString() {
        return this.tls == null || this.tls == TlsSettings.defaults()
                ? this.origin.toString() : this.origin + " (" + this.tls.name() + ")";
    }
}
