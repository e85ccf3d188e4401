package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.EffectiveHostSettings;
import dev.hotpool.PoolStats;
import dev.hotpool.internal.pool.PoolEntry.State;

import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One live route's connections and line, and the decisions that are the route's own: which idle connection a lease
 * takes (the newest usable, so reuse is LIFO and the rest idle out), which waiter a connection goes to (the oldest),
 * whether a new connection fits under the route's own cap, which of its connections close when they idle out or
 * their address is retired, and what its server was seen to allow an idle connection ({@link ServerIdleLimits}). It
 * owns its lists: its idle connections (newest first), every connection it has open or opening, and its waiting leases
 * (oldest first); no other class writes its fields. Its counts are kept by the pool's {@link Ledger}, which it asks
 * whenever its lists change. What concerns the whole pool (the pool's idle list, {@code max-connections}, the line of
 * routes waiting for room) is the pool's: a decision here that closes a connection asks the pool to ({@link Closer}).
 *
 * <p>A route lives while it is in use: while it has a connection (in any state), a waiter, or is a warm-up target. The
 * pool removes it as soon as it has none of these, at the end of the operation that emptied it (see
 * {@link RouteTable}), so the pool's memory follows its live connections, never the number of origins it has seen. Its
 * counters of leases and connections opened go with it.
 *
 * <p>Guarded by the pool's lock: every method runs under the owning {@link ConnectionPool}'s lock (in the pool's
 * steps, {@link PoolUpkeep}'s and {@link Waiter#await}), except {@link #load()} and {@link #countLease()}, which are
 * thread-safe, and the getters of its final settings. Not thread-safe otherwise.
 */
final class RoutePool {

    /** How a route's decision closes a connection: the pool's close, which updates the pool's lists and counts too. */
    @FunctionalInterface
    interface Closer {

        /** Marks the connection closed for the reason; its transport is closed after the pool's lock is released. */
        void close(PoolEntry e, CloseReason reason);
    }

    private final Route route;
    /** Whether the route is a warm-up target: kept even when it has nothing. */
    private final boolean pinned;
    /** The settings of the route's host ({@code hotpool.hosts}, else the pool's), resolved when it was created. */
    private final EffectiveHostSettings settings;
    /** The route's own cap: {@code hotpool.hosts[<pattern>].max-connections}, else {@code max-conns-per-host}. */
    private final int maxConns;
    private final long idleTimeoutMillis;
    private final long maxLifetimeMillis;
    /**
     * Its origin's observed server idle limit ({@link ServerIdleLimits}), {@code null} while none is known; given when
     * the route is created, or taken when the route first sees its server close one of its connections.
     */
    private ServerIdleLimits.Limit serverLimit;
    /** This route's counts; changed by the pool's {@link Ledger} only. */
    private final Ledger.Counts counts = new Ledger.Counts();
    /** IDLE and in-place CHECKING connections, newest at the head. */
    private final EntryList idle = new EntryList(EntryList.Kind.ROUTE_IDLE);
    /** Every connection not CLOSED, CONNECTING ones included, oldest first. */
    private final EntryList members = new EntryList(EntryList.Kind.ROUTE_MEMBERS);
    /** Leases waiting in line, oldest first; made on first use (most routes never wait). */
    private ArrayDeque<Waiter> waiters;
    /** Live connections per address; thread-safe, read by connecting threads without the lock. */
    private final AddressLoad load = new AddressLoad();
    /** Leases granted since the route was created; thread-safe, counted without the lock. */
    private final LongAdder leases = new LongAdder();
    private long created;
    /** The next live route to the same host name: the {@link RouteTable} holds the first of each host. */
    private RoutePool sameHost;
    /** Whether the route is in the pool's line of routes waiting for room under {@code max-connections}. */
    private boolean inRoomLine;
    /** Set once, when the pool removes the route; nothing may use it after. */
    private boolean removed;
    /** Whether its new connections may turn out multiplexed ({@link Multiplexing#offered}). */
    private final boolean mayMultiplex;
    /** What its last connect agreed: multiplexed or not; {@code null} before the first. */
    private Boolean multiplexed;
    /** Its multiplexed connections that may take streams (not draining, not closed), oldest first. */
    private final ArrayList<PoolEntry> shared = new ArrayList<>(1);

    /** @param serverLimit what its origin's server was seen to allow, or {@code null} when nothing is known */
    RoutePool(Route route, boolean pinned, EffectiveHostSettings settings, ServerIdleLimits.Limit serverLimit,
            boolean mayMultiplex) {
        this.route = route;
        this.mayMultiplex = mayMultiplex;
        this.pinned = pinned;
        this.settings = settings;
        this.maxConns = settings.maxConnections();
        this.idleTimeoutMillis = settings.idleTimeout().toMillis();
        this.maxLifetimeMillis = settings.maxLifetime().toMillis();
        this.serverLimit = serverLimit;
    }

    Route route() {
        return this.route;
    }

    EffectiveHostSettings settings() {
        return this.settings;
    }

    /** The route's own cap on its connections. */
    int maxConns() {
        return this.maxConns;
    }

    long idleTimeoutMillis() {
        return this.idleTimeoutMillis;
    }

    /** The route's counts, read-only outside the {@link Ledger}. */
    Ledger.Counts counts() {
        return this.counts;
    }

    /** Live connections of the route per address. Thread-safe. */
    AddressLoad load() {
        return this.load;
    }

    /** A lease of the route began. Thread-safe. */
    void countLease() {
        this.leases.increment();
    }

    /** The property the route's cap comes from, for messages. */
    String capProperty() {
        return this.settings.pattern() != null ? "hotpool.hosts[" + this.settings.pattern() + "].max-connections or "
                + "hotpool.max-conns-per-host" : "hotpool.max-conns-per-host";
    }

    int total() {
        return this.counts.total();
    }

    /** Whether the route is under its own cap: the per-host part of reserving room for a new connection. */
    boolean hasRoom() {
        return this.counts.total() < this.maxConns;
    }

    /** Whether its new connections may turn out multiplexed. */
    boolean mayMultiplex() {
        return this.mayMultiplex;
    }

    /**
     * Whether its waiters wait for a connect under way rather than for room: a connect that may turn out multiplexed
     * will carry them as streams (unless the route's last connect spoke one exchange at a time). Without this, a burst
     * of leases on a cold route would open a connection each where one multiplexed connection carries them all.
     */
    boolean awaitsMultiplex() {
        return this.mayMultiplex && this.multiplexed != Boolean.FALSE && this.counts.connecting() > 0;
    }

    /** Whether its waiters want room for a new connection: it has waiters, room under its cap, and awaits no connect. */
    boolean wantsRoom() {
        return hasWaiters() && hasRoom() && !awaitsMultiplex();
    }

    /** A connect of the route agreed to multiplex, or not: later bursts wait for a connect only while it does. */
    void learned(boolean multiplexes) {
        this.multiplexed = multiplexes;
    }

    /** A new multiplexed connection joins those that may take streams. */
    void share(PoolEntry e) {
        this.shared.add(e);
    }

    /** A multiplexed connection takes no more streams (draining or closed). */
    void unshare(PoolEntry e) {
        this.shared.remove(e);
    }

    /** Its multiplexed connections that may take streams, oldest first; read-only. */
    List<PoolEntry> shared() {
        return this.shared;
    }

    /**
     * The multiplexed LEASED connection a new stream goes on: the oldest that takes one, so streams gather on as few
     * connections as they fit and the others idle out; {@code null} when none does. One past its lifetime is drained
     * on the way ({@code drain}).
     */
    PoolEntry streamHost(long now, Closer drain) {
        for (int i = 0; i < this.shared.size(); ) {
            PoolEntry e = this.shared.get(i);
            if (e.state == State.LEASED && now >= e.lifetimeDeadline) {
                drain.close(e, CloseReason.MAX_LIFETIME); // It leaves shared: the next one is at i now.
                if (i < this.shared.size() && this.shared.get(i) == e) {
                    i++;
                }
                continue;
            }
            if (e.state == State.LEASED && e.takesStream()) {
                return e;
            }
            i++;
        }
        return null;
    }

    /**
     * The streams its multiplexed connections carry against their limits, for messages ({@code ; HTTP/2 streams 100
     * of 100 on 1 connection}), or the empty string when it has none.
     */
    String streamsSummary() {
        int connections = 0;
        long streams = 0;
        long limits = 0;
        for (PoolEntry e = this.members.first(); e != null; e = this.members.next(e)) {
            Multiplex m = e.multiplex();
            if (m != null && e.state != State.CLOSED) {
                connections++;
                streams += e.streamCount();
                limits += e.draining == null ? m.streamLimit() : e.streamCount();
            }
        }
        return connections == 0 ? "" : "; HTTP/2 streams " + streams + " of " + limits + " on " + connections
                + (connections == 1 ? " connection" : " connections");
    }

    /** Whether nothing keeps the route alive: no connection, no waiter, not a warm-up target. */
    boolean unused() {
        return this.counts.total() == 0 && this.counts.waiting() == 0 && !this.pinned;
    }

    /** Idle, checked and connecting connections: what warm-up counts toward the route's minimum. */
    int warmCount() {
        return this.counts.idle() + this.counts.checking() + this.counts.connecting();
    }

    /**
     * How many connections warm-up opens to bring the route to {@code minIdle}: the idle, checked and connecting ones
     * count; for a route whose connections multiplex (or may, before its first connect says), one open connection that
     * takes streams is warm whatever its state, so it opens at most one.
     */
    int warmDeficit(int minIdle) {
        if (this.mayMultiplex && this.multiplexed != Boolean.FALSE) {
            return this.shared.isEmpty() && this.counts.connecting() == 0 ? Math.min(1, minIdle) : 0;
        }
        return minIdle - warmCount();
    }

    // ---- leasing an idle connection -----------------------------------------------------------------------

    /**
     * Takes the newest usable idle connection out of the route's idle list; the caller takes it out of the pool's and
     * leases it. Expired ones met on the way are closed, and for a lease that cannot be retried
     * ({@link LeaseMode#NOT_RETRYABLE}) so are those idle nearly as long as the route's server was seen to allow.
     *
     * <p>A {@link LeaseMode#NEW_CONNECTION} lease takes only a multiplexed connection, whose session would have seen
     * a close by the server.
     *
     * @return the connection, still IDLE in the ledger and in the pool's idle list; {@code null} when none is usable
     */
    PoolEntry takeIdle(LeaseMode mode, long now, Closer pool) {
        for (PoolEntry e = this.idle.first(); e != null; ) {
            PoolEntry older = this.idle.next(e);
            if (e.state == State.IDLE && (e.multiplex() == null ? mode != LeaseMode.NEW_CONNECTION : e.takesStream())) {
                CloseReason expiry = e.expiry(now);
                if (expiry == null && mode == LeaseMode.NOT_RETRYABLE && this.serverLimit != null
                        && this.serverLimit.near(now - e.idleSince, now)) {
                    expiry = CloseReason.IDLE_TIMEOUT;
                }
                if (expiry != null) {
                    pool.close(e, expiry);
                }
                else {
                    this.idle.remove(e);
                    e.idleAtLease = Math.max(1, now - e.idleSince);
                    return e;
                }
            }
            e = older;
        }
        return null;
    }

    /** For a {@link LeaseMode#NEW_CONNECTION} lease: at the route's cap, closes its oldest idle connection for room. */
    void makeRoomForNew(Closer pool) {
        PoolEntry oldest = hasRoom() ? null : oldestIdle();
        if (oldest != null) {
            pool.close(oldest, CloseReason.EVICTED);
        }
    }

    /** A connection of the route answered after idling {@code idleAtLease}: a server limit at or below is outdated. */
    void served(PoolEntry entry) {
        if (this.serverLimit != null) {
            this.serverLimit.servedAfter(entry.idleAtLease);
        }
    }

    /**
     * The pool is closing a connection of the route because its server closed it: when it had idled, the time it had
     * idled is what the server allows (learned per origin in {@code limits}, which keeps it past the route's life).
     */
    void closedByServer(PoolEntry e, Clock clock, ServerIdleLimits limits) {
        if (!e.idledOnce) {
            return;
        }
        if (this.serverLimit == null) {
            this.serverLimit = limits.of(this.route.origin());
        }
        long now = clock.millis();
        this.serverLimit.closedAfter(now - e.idleSince, now);
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

    /** Closes every IDLE connection of the route (not one being checked). */
    void closeIdle(CloseReason reason, Closer pool) {
        PoolEntry e;
        while ((e = oldestIdle()) != null) {
            pool.close(e, reason);
        }
    }

    /**
     * Retires the route's open connections to the addresses: idle ones close now, leased and checked ones are marked
     * to close with {@code reason} when they come back.
     */
    void retire(Predicate<InetAddress> addresses, CloseReason reason, Closer pool) {
        forEachOpen(e -> {
            if (addresses.test(e.remote().getAddress())) {
                if (e.state == State.IDLE) {
                    pool.close(e, reason);
                }
                else {
                    e.retiring = reason; // Closes when it comes back.
                }
            }
        });
    }

    // ---- members ------------------------------------------------------------------------------------------

    /** Reserves the slot of a new connection of the route (the caller checked both limits): CONNECTING, counted. */
    PoolEntry reserve(long id, ConnectionPool pool, Ledger ledger) {
        PoolEntry e = new PoolEntry(id, this, pool);
        ledger.reserved(e);
        this.members.addLast(e);
        return e;
    }

    /** The connect of a reserved slot succeeded: it lives until {@code max-lifetime}, less up to 2.5 % of jitter. */
    void opened(PoolEntry e, Transport transport, long now) {
        long jitter = (long) (this.maxLifetimeMillis * 0.025 * ThreadLocalRandom.current().nextDouble());
        e.opened(transport, now, now + this.maxLifetimeMillis - jitter);
        this.created++;
    }

    /** A connection (already CLOSED in the ledger, or a slot whose connect failed) leaves the route and its address. */
    void leave(PoolEntry e) {
        this.members.remove(e);
        if (e.multiplex() != null) {
            this.shared.remove(e);
        }
        Transport t = e.transport();
        if (t != null) {
            this.load.add(t.remote().getAddress(), -1);
        }
    }

    /** Every connection of the route not closed, oldest first; walk on with {@link #nextMember}. */
    PoolEntry firstMember() {
        return this.members.first();
    }

    PoolEntry nextMember(PoolEntry e) {
        return this.members.next(e);
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

    /** A lease joins the end of the route's line, counted; it waits on {@code condition}, one of the pool's lock. */
    Waiter enqueue(Condition condition, Ledger ledger) {
        Waiter w = new Waiter(this, condition);
        if (this.waiters == null) {
            this.waiters = new ArrayDeque<>(4);
        }
        this.waiters.addLast(w);
        ledger.waiterAdded(this);
        return w;
    }

    /**
     * Grants a connection (a released one, LEASED; or a slot reserved for it, CONNECTING), or a stream of a
     * multiplexed one, to the oldest waiter, which leaves the line; false when none waits.
     */
    boolean grantOldest(Held entry, Ledger ledger) {
        Waiter w = this.waiters == null ? null : this.waiters.pollFirst();
        if (w == null) {
            return false;
        }
        ledger.waiterLeft(this);
        w.grant(entry);
        return true;
    }

    /** Takes a waiter that gives up out of the line; false when it was not in it (granted meanwhile). */
    boolean cancel(Waiter w, Ledger ledger) {
        if (w.done || this.waiters == null || !this.waiters.remove(w)) {
            return false;
        }
        ledger.waiterLeft(this);
        return true;
    }

    /** Wakes every waiter, to find the pool closed. */
    void wakeWaiters() {
        for (Waiter w : this.waiters == null ? List.<Waiter>of() : this.waiters) {
            w.condition.signal();
        }
    }

    // ---- the pool's bookkeeping of the route ----------------------------------------------------------------

    /** Whether the route is in the pool's line of routes waiting for room. */
    boolean inRoomLine() {
        return this.inRoomLine;
    }

    /** Marks the route in or out of the pool's room line; false when it already was. */
    boolean markInRoomLine(boolean in) {
        boolean changed = this.inRoomLine != in;
        this.inRoomLine = in;
        return changed;
    }

    /** The next live route to the same host; {@link RouteTable}'s chain. */
    RoutePool sameHost() {
        return this.sameHost;
    }

    void linkSameHost(RoutePool next) {
        this.sameHost = next;
    }

    boolean removed() {
        return this.removed;
    }

    /** The {@link RouteTable} removed the route. */
    void markRemoved() {
        this.removed = true;
    }

    /**
     * This route's counts for {@link PoolStats}; idle includes connections being checked. A route that may multiplex
     * sums its multiplexed connections' leased streams, and the limits of those that take new ones (a walk over its
     * connections: few, as streams gather on as few as they fit).
     */
    PoolStats.HostStats stats() {
        int streams = 0;
        int streamLimit = 0;
        if (this.mayMultiplex) {
            for (PoolEntry e = this.members.first(); e != null; e = this.members.next(e)) {
                Multiplex m = e.multiplex();
                if (m != null) {
                    streams += e.streamCount();
                    if (this.shared.contains(e)) {
                        streamLimit = (int) Math.min(Integer.MAX_VALUE, (long) streamLimit + m.streamLimit());
                    }
                }
            }
        }
        return new PoolStats.HostStats(this.route.origin(), this.route.toString(), this.counts.total(),
                this.counts.leased(), this.counts.idle() + this.counts.checking(), this.counts.connecting(),
                this.counts.waiting(), this.leases.sum(), this.created,
                this.route.proxy() == null ? null : this.route.proxy().authority(), streams, streamLimit);
    }

    @Override
    public String toString() {
        return this.route + " [" + this.counts + "]";
    }
}
