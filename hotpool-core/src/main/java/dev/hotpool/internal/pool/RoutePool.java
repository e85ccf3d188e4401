package dev.hotpool.internal.pool;

import dev.hotpool.EffectiveHostSettings;
import dev.hotpool.PoolStats;
import dev.hotpool.internal.pool.PoolEntry.State;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One live route's connections and line: its idle connections (newest first, so reuse is LIFO and the rest idle
 * out), every connection it has open or opening, and its waiting leases (oldest first). It owns these lists; its
 * counts are kept by the pool's {@link Ledger}.
 *
 * <p>A route lives while it is in use: while it has a connection (in any state), a waiter, or is a warm-up target
 * ({@link #pinned}). The pool removes it as soon as it has none of these, at the end of the operation that emptied
 * it, so the pool's memory follows its live connections, never the number of origins it has seen. Its counters of
 * leases and connections opened go with it.
 *
 * <p>Not thread-safe: guarded by the owning {@link ConnectionPool}'s lock, except {@link #load} and {@link #leases},
 * which are thread-safe on their own.
 */
final class RoutePool {

    final Route route;
    /** Whether the route is a warm-up target: kept even when it has nothing. */
    final boolean pinned;
    /** The settings of the route's host ({@code hotpool.hosts}, else the pool's), resolved when it was created. */
    final EffectiveHostSettings settings;
    /** The route's own cap: {@code hotpool.hosts[<pattern>].max-connections}, else {@code max-conns-per-host}. */
    final int maxConns;
    final long idleTimeoutMillis;
    final long maxLifetimeMillis;
    /**
     * Its origin's observed server idle limit ({@link ServerIdleLimits}), {@code null} while none is known; set when
     * the route is created or when the pool first sees the server close one of its connections. Guarded by the pool
     * lock.
     */
    ServerIdleLimits.Limit serverLimit;
    /** This route's counts; changed by the pool's {@link Ledger} only. */
    final Ledger.Counts counts = new Ledger.Counts();
    /** IDLE and in-place CHECKING connections, newest at the head. */
    private final EntryList idle = new EntryList(EntryList.Kind.ROUTE_IDLE);
    /** Every connection not CLOSED, CONNECTING ones included, oldest first. */
    private final EntryList members = new EntryList(EntryList.Kind.ROUTE_MEMBERS);
    /** Leases waiting in line, oldest first; made on first use (most routes never wait). */
    private ArrayDeque<Waiter> waiters;
    /** Live connections per address; read by connecting threads without the lock. */
    final AddressLoad load = new AddressLoad();
    /** Leases granted since the route was created; counted without the lock. */
    final LongAdder leases = new LongAdder();
    long created;
    /** The next live route to the same host name: the pool's route map holds the first of each host. */
    RoutePool sameHost;
    /** Whether the route is in the pool's line of routes waiting for room under {@code max-connections}. */
    boolean needsRoom;
    /** Set once, when the pool removes the route; nothing may use it after. */
    boolean removed;

    RoutePool(Route route, boolean pinned, EffectiveHostSettings settings) {
        this.route = route;
        this.pinned = pinned;
        this.settings = settings;
        this.maxConns = settings.maxConnections();
        this.idleTimeoutMillis = settings.idleTimeout().toMillis();
        this.maxLifetimeMillis = settings.maxLifetime().toMillis();
    }

    /** The property the route's cap comes from, for messages. */
    String capProperty() {
        return this.settings.pattern() != null ? "hotpool.hosts[" + this.settings.pattern() + "].max-connections or "
                + "hotpool.max-conns-per-host" : "hotpool.max-conns-per-host";
    }

    int total() {
        return this.counts.total();
    }

    /** Whether nothing keeps the route alive: no connection, no waiter, not a warm-up target. */
    boolean unused() {
        return this.counts.total() == 0 && this.counts.waiting() == 0 && !this.pinned;
    }

    // ---- idle connections ---------------------------------------------------------------------------------

    /** The newest idle (or in-place checking) connection, or {@code null}; walk on with {@link #olderIdle}. */
    PoolEntry newestIdle() {
        return this.idle.first();
    }

    PoolEntry olderIdle(PoolEntry e) {
        return this.idle.next(e);
    }

    /** The least recently used IDLE connection (not one being checked), or {@code null}. */
    PoolEntry oldestIdle() {
        for (PoolEntry e = this.idle.last(); e != null; e = this.idle.previous(e)) {
            if (e.state == State.IDLE) {
                return e;
            }
        }
        return null;
    }

    void pushIdle(PoolEntry e) {
        this.idle.addFirst(e);
    }

    void unlinkIdle(PoolEntry e) {
        this.idle.remove(e);
    }

    int idleListSize() {
        return this.idle.size();
    }

    EntryList idleList() {
        return this.idle;
    }

    // ---- members ------------------------------------------------------------------------------------------

    void join(PoolEntry e) {
        this.members.addLast(e);
    }

    void leave(PoolEntry e) {
        this.members.remove(e);
    }

    /** Every connection of the route not closed, oldest first; walk on with {@link #nextMember}. */
    PoolEntry firstMember() {
        return this.members.first();
    }

    PoolEntry nextMember(PoolEntry e) {
        return this.members.next(e);
    }

    EntryList memberList() {
        return this.members;
    }

    /** Visits every open connection of the route (those with a transport); the action may close the one it visits. */
    void forEachOpen(Consumer<PoolEntry> action) {
        for (PoolEntry e = this.members.first(); e != null; ) {
            PoolEntry next = this.members.next(e);
            if (e.transport() != null) {
                action.accept(e);
            }
            e = next;
        }
    }

    // ---- waiters ------------------------------------------------------------------------------------------

    boolean hasWaiters() {
        return this.waiters != null && !this.waiters.isEmpty();
    }

    int waiterCount() {
        return this.waiters == null ? 0 : this.waiters.size();
    }

    void addWaiter(Waiter w) {
        if (this.waiters == null) {
            this.waiters = new ArrayDeque<>(4);
        }
        this.waiters.addLast(w);
    }

    /** The oldest waiter, taken out of the line, or {@code null}. */
    Waiter pollWaiter() {
        return this.waiters == null ? null : this.waiters.pollFirst();
    }

    /** Takes a waiter that gives up out of the line; false when it was not in it (granted meanwhile). */
    boolean removeWaiter(Waiter w) {
        return this.waiters != null && this.waiters.remove(w);
    }

    Iterable<Waiter> waiters() {
        return this.waiters == null ? java.util.List.of() : this.waiters;
    }

    /** This route's counts for {@link PoolStats}; idle includes connections being checked. */
    PoolStats.HostStats stats() {
        return new PoolStats.HostStats(this.route.origin(), this.route.toString(), this.counts.total(),
                this.counts.leased(), this.counts.idle() + this.counts.checking(), this.counts.connecting(),
                this.counts.waiting(), this.leases.sum(), this.created,
                this.route.proxy() == null ? null : this.route.proxy().authority());
    }

    @Override
    public String toString() {
        return this.route + " [" + this.counts + "]";
    }
}
