package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.ConnectionInfo;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.internal.pool.ConnectionProbe.Outcome;
import dev.hotpool.internal.pool.PoolEntry.State;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps the pool's upkeep and its owner take on it besides leasing: the health check's (list the idle connections,
 * check one in place, end its check), warm-up's (reserve a slot where there is room without evicting, count what a
 * warm route has), closing an origin's idle connections, retiring the connections to an address, the graceful
 * shutdown, and the views of the live routes and connections the endpoint and the health check read.
 *
 * <p>Each is a step of the {@link ConnectionPool}'s state machine like the lease steps: it takes the pool's lock, does
 * no I/O, changes the pool only through the pool's moves ({@link ConnectionPool#closeLocked} and its kin,
 * {@link PoolConnections}, the {@link Ledger}) and its routes' decisions ({@link RoutePool}), and ends in the pool's
 * {@link ConnectionPool#settleAndUnlock()}.
 *
 * <p>Thread-safe: it holds no state of its own; the pool's parts it is given are guarded by the pool's lock.
 */
final class PoolUpkeep {

    /** The pool's log: its lines keep their logger. */
    private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

    private final ConnectionPool pool;
    private final RouteTable routes;
    private final Ledger ledger;
    private final PoolConnections connections;
    /** A condition of the pool's lock: signalled when a leased connection comes back after close() began. */
    private final Condition returned;
    private final RoutePool.Closer closer;
    private final String name;
    private final long shutdownTimeoutNanos;

    /** The pool and its parts, each guarded by the pool's lock. */
    PoolUpkeep(ConnectionPool pool, RouteTable routes, Ledger ledger, PoolConnections connections, Condition returned,
            HotPoolConfig config) {
        this.pool = pool;
        this.routes = routes;
        this.ledger = ledger;
        this.connections = connections;
        this.returned = returned;
        this.closer = pool::closeLocked;
        this.name = config.name();
        this.shutdownTimeoutNanos = Waiter.saturatedNanos(config.shutdownTimeout());
    }

    // ---- the health check ---------------------------------------------------------------------------------

    /**
     * Closes the idle connections that have expired (idle timeout, keep-alive hint, max lifetime) and lists the rest,
     * least recently used first, for the health check to check one at a time with {@link #beginCheck}.
     *
     * @param closedByReason incremented per connection closed here
     */
    List<PoolEntry> idleForCheck(long now, Map<CloseReason, Integer> closedByReason) {
        List<PoolEntry> idle = new ArrayList<>();
        this.pool.lock();
        try {
            if (this.pool.closedLocked()) {
                return idle;
            }
            EntryList lru = this.connections.idle();
            for (PoolEntry e = lru.first(); e != null; ) {
                PoolEntry next = lru.next(e);
                CloseReason expiry = e.state == State.IDLE ? e.expiry(now) : null;
                if (expiry != null) {
                    this.pool.closeLocked(e, expiry);
                    closedByReason.merge(expiry, 1, Integer::sum);
                }
                else if (e.state == State.IDLE) {
                    idle.add(e);
                }
                e = next;
            }
        }
        finally {
            this.pool.settleAndUnlock();
        }
        return idle;
    }

    /**
     * Marks a connection as being checked, where it lies in the idle lists (leases skip it meanwhile), when it is
     * still idle; false when it has been leased or closed since it was listed.
     */
    boolean beginCheck(PoolEntry entry) {
        this.pool.lock();
        try {
            if (this.pool.closedLocked() || entry.state != State.IDLE) {
                return false;
            }
            this.connections.beginCheck(entry);
            return true;
        }
        finally {
            this.pool.settleAndUnlock();
        }
    }

    /**
     * Ends a check: a healthy connection stays where it was in the idle lists with its idle time kept (or goes to a
     * waiter of its route); any other is closed.
     *
     * @return the reason it was closed for, or {@code null} when it stays open
     */
    CloseReason endCheck(PoolEntry entry, Outcome outcome) {
        long now = this.pool.clock().millis();
        this.pool.lock();
        try {
            if (entry.state != State.CHECKING) {
                return null;
            }
            CloseReason reason = switch (outcome) {
                case DEAD -> CloseReason.STALE;
                case UNHEALTHY -> CloseReason.UNHEALTHY;
                case HEALTHY -> this.pool.closedLocked() ? CloseReason.SHUTDOWN
                        : entry.retiring != null ? entry.retiring : entry.draining != null ? entry.draining
                        : entry.expiry(now);
            };
            if (reason != null) {
                this.pool.closeLocked(entry, reason);
                return reason;
            }
            this.pool.checkedLocked(entry);
            return entry.state == State.CLOSED ? CloseReason.EVICTED : null;
        }
        finally {
            this.pool.settleAndUnlock();
        }
    }

    // ---- warm-up ------------------------------------------------------------------------------------------

    /**
     * Reserves a slot for one more connection of a warm route when there is room under both limits and
     * {@code max-idle-conns}, never by evicting another route's connection; the caller connects it.
     *
     * @return the reserved slot (CONNECTING), or {@code null} when there is no room or the pool is closed
     */
    PoolEntry reserveForWarmup(Route route) {
        this.pool.lock();
        try {
            return this.pool.closedLocked() ? null
                    : this.pool.reserveIfRoomLocked(this.routes.getOrCreate(route));
        }
        finally {
            this.pool.settleAndUnlock();
        }
    }

    /** Idle, checked and connecting connections of a route: what warm-up counts toward its minimum. */
    int warmCount(Route route) {
        return this.pool.read(() -> {
            RoutePool r = this.routes.get(route);
            return r == null ? 0 : r.warmCount();
        });
    }

    /** How many connections warm-up opens for the route to reach {@code minIdle} ({@link RoutePool#warmDeficit}). */
    int warmDeficit(Route route, int minIdle) {
        return this.pool.read(() -> {
            RoutePool r = this.routes.get(route);
            return r == null ? minIdle : r.warmDeficit(minIdle);
        });
    }

    // ---- closing connections from outside ------------------------------------------------------------------

    /** Closes the idle connections of one origin, or of all when {@code origin} is {@code null}; returns how many. */
    int evictIdle(Origin origin) {
        int evicted;
        this.pool.lock();
        try {
            this.routes.forEach(origin == null ? null : origin.host(), r -> {
                if (origin == null || r.route().origin().equals(origin)) {
                    r.closeIdle(CloseReason.EVICTED, this.closer);
                }
            });
        }
        finally {
            evicted = this.pool.settleAndUnlock();
        }
        return evicted;
    }

    /**
     * Retires the connections of one origin ({@code host:port}) to one address: idle ones close now, leased and
     * checked ones when they come back. Returns how many closed now.
     */
    int retireAddress(String host, String authority, InetAddress address, CloseReason reason) {
        return retire(host, r -> r.route().origin().authority().equals(authority), address::equals, reason);
    }

    /** Retires the connections to {@code host} (any port) whose address is not in {@code current}. */
    int retireAddressesNotIn(String host, Collection<InetAddress> current, CloseReason reason) {
        return retire(host, r -> true, a -> !current.contains(a), reason);
    }

    private int retire(String host, Predicate<RoutePool> routes, Predicate<InetAddress> addresses,
            CloseReason reason) {
        int retired;
        this.pool.lock();
        try {
            this.routes.forEach(host, r -> {
                if (routes.test(r)) {
                    r.retire(addresses, reason, this.closer);
                }
            });
        }
        finally {
            retired = this.pool.settleAndUnlock();
        }
        return retired;
    }

    /**
     * Closes the pool gracefully: new leases fail at once, waiters are woken with an error and idle connections
     * close now; leased connections get up to {@code shutdown-timeout} to come back, then are aborted (their
     * exchanges fail). Idempotent; the state before and after is logged.
     */
    void close() {
        PoolStats before;
        this.pool.lock();
        try {
            if (!this.pool.markClosedLocked()) {
                return;
            }
            before = this.pool.statsLocked();
            this.routes.forEach(null, r -> {
                r.closeIdle(CloseReason.SHUTDOWN, this.closer);
                r.wakeWaiters();
            });
        }
        finally {
            this.pool.settleAndUnlock();
        }
        List<Transport> aborted = new ArrayList<>();
        long deadline = System.nanoTime() + this.shutdownTimeoutNanos;
        this.pool.read(() -> {
            awaitReturnedLocked(deadline);
            // Still leased (or being checked) after the grace period:
            this.routes.forEach(null, r -> r.forEachOpen(e -> aborted.add(e.transport())));
            return null;
        });
        for (Transport t : aborted) {
            t.abort(); // Counted as SHUTDOWN when its holder releases or discards it.
        }
        this.pool.leaseEvents().close();
        log.info("{} - closed (before: {}, after: {}{})", this.name, before, this.pool.stats(), aborted.isEmpty() ? ""
                : ", " + aborted.size() + " leased connection(s) aborted after hotpool.shutdown-timeout");
    }

    /** Waits, releasing the lock meanwhile, until no connection is leased or the deadline passes, or an interrupt. */
    private void awaitReturnedLocked(long deadlineNanos) {
        long remaining;
        while (this.ledger.pool().leased() > 0 && (remaining = deadlineNanos - System.nanoTime()) > 0) {
            try {
                this.returned.awaitNanos(remaining);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- looking in --------------------------------------------------------------------------------------

    /** The origins of the live routes to {@code host} (any port, scheme and TLS settings). */
    Set<Origin> originsOf(String host) {
        return this.pool.read(() -> this.routes.origins(host));
    }

    /** The origins of every live route. */
    Set<Origin> origins() {
        return originsOf(null);
    }

    /** Open connections of an origin (all its routes) per address. */
    Map<InetAddress, Integer> connectionsByAddress(Origin origin) {
        Map<InetAddress, Integer> counts = new LinkedHashMap<>();
        return this.pool.read(() -> {
            this.routes.forEachOpen(origin,
                    e -> counts.merge(e.transport().remote().getAddress(), 1, Integer::sum));
            return counts;
        });
    }

    /** One row per open connection of the origin (all its routes), oldest first. */
    List<ConnectionInfo> connections(Origin origin) {
        long now = this.pool.clock().millis();
        List<ConnectionInfo> rows = new ArrayList<>();
        this.pool.read(() -> {
            this.routes.forEachOpen(origin, e -> rows.add(e.infoLocked(now)));
            return null;
        });
        rows.sort(Comparator.comparingLong(ConnectionInfo::id));
        return rows;
    }
}
