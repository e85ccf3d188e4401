package dev.hotpool.internal.pool;

import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.net.AddressFilter;
import dev.hotpool.tls.TlsSettings;

import java.net.InetAddress;

/**
 * What a pooled connection is good for: an origin, for {@code https} the TLS settings it was made with, the
 * address filter its requests asked for (both compared by identity), and the HTTP proxy it goes through (compared by
 * value: a tunnel is reused only for its origin, and only through the same proxy and credentials). Connections are
 * never shared across routes. Immutable; the key of a {@link RoutePool}.
 *
 * @param origin scheme, host and port
 * @param tls the TLS settings for {@code https} origins, {@code null} for {@code http}
 * @param filter the requests' own address filter, {@code null} for none
 * @param proxy the proxy connections go through, {@code null} for direct connections
 */
record Route(Origin origin, TlsSettings tls, AddressFilter filter, HttpProxy proxy) {

    /** The direct route for an origin: TLS settings are kept only when the origin speaks TLS. */
    static Route of(Origin origin, TlsSettings tls) {
        return of(origin, tls, null, null);
    }

    static Route of(Origin origin, TlsSettings tls, AddressFilter filter, HttpProxy proxy) {
        return new Route(origin, origin.secure() ? tls : null, filter == AddressFilter.ALL ? null : filter, proxy);
    }

    /** Whether this route is the one {@link #of} gives for these parts (no {@code Route} is made to find out). */
    boolean is(Origin origin, TlsSettings settings, AddressFilter filter, HttpProxy proxy) {
        return this.origin.equals(origin) && this.tls == settings && this.filter == filter
                && (this.proxy == proxy || (this.proxy != null && this.proxy.equals(proxy)));
    }

    /** Whether a connection of this route may go to (or keep going to) the address, under the pool's filter too. */
    boolean admits(InetAddress address, AddressFilter poolFilter) {
        return poolFilter.allows(address) && (this.filter == null || this.filter.allows(address));
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Route r && is(r.origin, r.tls, r.filter, r.proxy));
    }

    @Override
    public int hashCode() {
        return this.origin.hashCode() * 31 + System.identityHashCode(this.tls) * 17
                + System.identityHashCode(this.filter) + (this.proxy == null ? 0 : this.proxy.hashCode() * 13);
    }

    /** The origin, its TLS settings when not the defaults, and {@code via host:port} of its proxy (never credentials). */
    @Override
    public String toString() {
        String s = this.tls == null || this.tls == TlsSettings.defaults()
                ? this.origin.toString() : this.origin + " (" + this.tls.name() + ")";
        return this.proxy == null ? s : s + " via " + this.proxy;
    }
}
