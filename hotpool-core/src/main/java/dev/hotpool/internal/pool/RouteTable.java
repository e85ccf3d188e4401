package dev.hotpool.internal.pool;

import dev.hotpool.EffectiveHostSettings;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.net.AddressFilter;
import dev.hotpool.tls.TlsSettings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The live routes, by host name: the first route of each host in a map, further routes to the same host (other ports,
 * schemes or TLS settings) chained through {@link RoutePool#sameHost}, so a lookup by route and a walk over one host's
 * routes cost the same small chain. An entry leaves when its route is unused (no connection, no waiter, not a warm-up
 * target) at the end of the pool's operation that left it so ({@link #removeUnused}); a host leaves with its last
 * route. A route is given its host's settings ({@code hotpool.hosts}) once, when it is created.
 *
 * <p>Not thread-safe: guarded by the owning pool's lock.
 */
final class RouteTable {

    /**
     * Told, under the pool's lock, of each origin whose last route the pool has removed, so per-host state kept
     * elsewhere can go with it. Must be cheap, must not block and must not call back into the pool.
     */
    @FunctionalInterface
    interface OriginGone {

        /** Ignores every origin. */
        OriginGone NONE = (origin, lastRouteToHost) -> {
        };

        /** @param lastRouteToHost whether no route to the origin's host (any port or scheme) is left either */
        void gone(Origin origin, boolean lastRouteToHost);
    }

    private final Map<String, RoutePool> byHost = new HashMap<>();
    /** Whether a route's connections may turn out multiplexed, asked once per route when it is created. */
    private final Multiplexing multiplexing;
    private final Set<Route> pinned;
    /** What applies to a host name: asked once per route created, at the cost of a look-up per label. */
    private final Function<String, EffectiveHostSettings> settings;
    /** What servers were seen to allow per origin: a route made again takes what its origin's server showed. */
    private final ServerIdleLimits serverIdleLimits;
    private final OriginGone originGone;
    /** Routes that may have become unused in this hold of the pool's lock; checked on the way out. */
    private final List<RoutePool> mayBeUnused = new ArrayList<>();
    private int size;

    /**
     * @param pinned the warm-up targets: their routes are kept even while they have nothing
     * @param settings the settings that apply to a host name
     * @param serverIdleLimits the idle limits servers were seen closing connections at, per origin
     * @param originGone told when the last route of an origin is removed
     */
    RouteTable(Set<Route> pinned, Function<String, EffectiveHostSettings> settings,
            ServerIdleLimits serverIdleLimits, OriginGone originGone, Multiplexing multiplexing) {
        this.multiplexing = multiplexing;
        this.pinned = Set.copyOf(pinned);
        this.settings = settings;
        this.serverIdleLimits = serverIdleLimits;
        this.originGone = originGone;
        for (Route route : this.pinned) {
            getOrCreate(route);
        }
    }

    /** The live route, or {@code null}. */
    RoutePool get(Route route) {
        for (RoutePool r = this.byHost.get(route.origin().host()); r != null; r = r.sameHost()) {
            if (r.route().equals(route)) {
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
        for (RoutePool r = first; r != null; r = r.sameHost()) {
            if (r.route().is(origin, settings, filter, proxy)) {
                return r;
            }
        }
        Route route = new Route(origin, settings, filter, proxy);
        RoutePool created = new RoutePool(route, this.pinned.contains(route), this.settings.apply(host),
                this.serverIdleLimits.existing(origin), this.multiplexing.offered(origin, proxy));
        created.linkSameHost(first);
        this.byHost.put(host, created);
        this.size++;
        return created;
    }

    /** Notes a route that may have become unused in this hold of the pool's lock; {@link #removeUnused} checks it. */
    void mayBeUnused(RoutePool route) {
        this.mayBeUnused.add(route);
    }

    /**
     * Removes the routes noted since the last call that are unused, and tells {@code originGone} of each origin left
     * without a route. At the end of every hold of the pool's lock.
     */
    void removeUnused() {
        for (int i = 0; i < this.mayBeUnused.size(); i++) {
            RoutePool r = this.mayBeUnused.get(i);
            if (!r.removed() && r.unused()) {
                boolean lastToHost = remove(r);
                Origin origin = r.route().origin();
                if (lastToHost || !hasOrigin(origin)) {
                    this.originGone.gone(origin, lastToHost);
                }
            }
        }
        this.mayBeUnused.clear();
    }

    /**
     * Removes a live route; nothing may use it after.
     *
     * @return whether it was the last route to its host
     */
    private boolean remove(RoutePool route) {
        String host = route.route().origin().host();
        RoutePool first = this.byHost.get(host);
        if (first == route) {
            if (route.sameHost() == null) {
                this.byHost.remove(host);
            }
            else {
                this.byHost.put(host, route.sameHost());
            }
        }
        else {
            RoutePool r = first;
            while (r.sameHost() != route) {
                r = r.sameHost();
            }
            r.linkSameHost(route.sameHost());
        }
        route.linkSameHost(null);
        route.markRemoved();
        this.size--;
        return !this.byHost.containsKey(host);
    }

    /** Whether a live route goes to the origin (any TLS settings). */
    boolean hasOrigin(Origin origin) {
        for (RoutePool r = this.byHost.get(origin.host()); r != null; r = r.sameHost()) {
            if (r.route().origin().equals(origin)) {
                return true;
            }
        }
        return false;
    }

    /** The origins of the live routes to {@code host} (any port, scheme and TLS settings), or of all when null. */
    Set<Origin> origins(String host) {
        Set<Origin> origins = new LinkedHashSet<>();
        forEach(host, r -> origins.add(r.route().origin()));
        return origins;
    }

    /** Visits every open connection of the origin (all its routes); the action may close the one it visits. */
    void forEachOpen(Origin origin, Consumer<PoolEntry> action) {
        for (RoutePool r = this.byHost.get(origin.host()); r != null; r = r.sameHost()) {
            if (r.route().origin().equals(origin)) {
                r.forEachOpen(action);
            }
        }
    }

    /** Every live route, or those to one host; the action may close connections but not add or remove routes. */
    void forEach(String host, Consumer<RoutePool> action) {
        if (host != null) {
            for (RoutePool r = this.byHost.get(host); r != null; r = r.sameHost()) {
                action.accept(r);
            }
            return;
        }
        for (RoutePool first : this.byHost.values()) {
            for (RoutePool r = first; r != null; r = r.sameHost()) {
                action.accept(r);
            }
        }
    }

    int size() {
        return this.size;
    }
}
