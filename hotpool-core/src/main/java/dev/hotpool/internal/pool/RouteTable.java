package dev.hotpool.internal.pool;

import dev.hotpool.EffectiveHostSettings;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.net.AddressFilter;
import dev.hotpool.tls.TlsSettings;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The live routes, by host name: the first route of each host in a map, further routes to the same host (other ports,
 * schemes or TLS settings) chained through {@link RoutePool#sameHost}, so a lookup by route and a walk over one host's
 * routes cost the same small chain. An entry leaves when the pool removes its route (as soon as it is unused); a host
 * leaves with its last route. A route is given its host's settings ({@code hotpool.hosts}) once, when it is created.
 *
 * <p>Not thread-safe: guarded by the owning pool's lock.
 */
final class RouteTable {

    private final Map<String, RoutePool> byHost = new HashMap<>();
    private final Set<Route> pinned;
    /** What applies to a host name: asked once per route created, at the cost of a look-up per label. */
    private final Function<String, EffectiveHostSettings> settings;
    /** What servers were seen to allow per origin: a route made again takes what its origin's server showed. */
    private final ServerIdleLimits serverIdleLimits;
    private int size;

    /**
     * @param pinned the warm-up targets: their routes are kept even while they have nothing
     * @param settings the settings that apply to a host name
     * @param serverIdleLimits the idle limits servers were seen closing connections at, per origin
     */
    RouteTable(Set<Route> pinned, Function<String, EffectiveHostSettings> settings,
            ServerIdleLimits serverIdleLimits) {
        this.pinned = Set.copyOf(pinned);
        this.settings = settings;
        this.serverIdleLimits = serverIdleLimits;
        for (Route route : this.pinned) {
            getOrCreate(route);
        }
    }

    /** The live route, or {@code null}. */
    RoutePool get(Route route) {
        for (RoutePool r = this.byHost.get(route.origin().host()); r != null; r = r.sameHost) {
            if (r.route.equals(route)) {
                return r;
            }
        }
        return null;
    }

    /** The live route, created when there is none. */
    RoutePool getOrCreate(Route route) {
        return getOrCreate(route.origin(), route.tls(), route.filter(), route.proxy());
    }

    /**
     * The live route of the origin, TLS settings, address filter and proxy ({@link Route#of}), created when there is
     * none; a lookup makes no {@link Route}.
     */
    RoutePool getOrCreate(Origin origin, TlsSettings tls, AddressFilter addressFilter, HttpProxy proxy) {
        TlsSettings settings = origin.secure() ? tls : null;
        AddressFilter filter = addressFilter == AddressFilter.ALL ? null : addressFilter;
        String host = origin.host();
        RoutePool first = this.byHost.get(host);
        for (RoutePool r = first; r != null; r = r.sameHost) {
            if (r.route.is(origin, settings, filter, proxy)) {
                return r;
            }
        }
        Route route = new Route(origin, settings, filter, proxy);
        RoutePool created = new RoutePool(route, this.pinned.contains(route), this.settings.apply(host));
        created.serverLimit = this.serverIdleLimits.existing(origin);
        created.sameHost = first;
        this.byHost.put(host, created);
        this.size++;
        return created;
    }

    /**
     * Removes a live route; nothing may use it after.
     *
     * @return whether it was the last route to its host
     */
    boolean remove(RoutePool route) {
        String host = route.route.origin().host();
        RoutePool first = this.byHost.get(host);
        if (first == route) {
            if (route.sameHost == null) {
                this.byHost.remove(host);
            }
            else {
                this.byHost.put(host, route.sameHost);
            }
        }
        else {
            RoutePool r = first;
            while (r.sameHost != route) {
                r = r.sameHost;
            }
            r.sameHost = route.sameHost;
        }
        route.sameHost = null;
        route.removed = true;
        this.size--;
        return !this.byHost.containsKey(host);
    }

    /** Whether a live route goes to the origin (any TLS settings). */
    boolean hasOrigin(Origin origin) {
        for (RoutePool r = this.byHost.get(origin.host()); r != null; r = r.sameHost) {
            if (r.route.origin().equals(origin)) {
                return true;
            }
        }
        return false;
    }

    /** Every live route, or those to one host; the action may close connections but not add or remove routes. */
    void forEach(String host, Consumer<RoutePool> action) {
        if (host != null) {
            for (RoutePool r = this.byHost.get(host); r != null; r = r.sameHost) {
                action.accept(r);
            }
            return;
        }
        for (RoutePool first : this.byHost.values()) {
            for (RoutePool r = first; r != null; r = r.sameHost) {
                action.accept(r);
            }
        }
    }

    int size() {
        return this.size;
    }
}
