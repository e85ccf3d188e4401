package dev.hotpool.internal.pool;

import dev.hotpool.AcquireTimeoutException;
import dev.hotpool.CloseReason;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.internal.pool.PoolEntry.State;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.net.AddressFilter;
import dev.hotpool.tls.TlsSettings;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: leases connections per route under the per-host and global limits and takes them back.
 *
 * <ol>
 * <li>A lease takes the newest usable idle connection of its route (LIFO); one idle longer than
 * {@code validate-after-inactivity} gets a 1 ms liveness read first, outside the lock.</li>
 * <li>Otherwise, under both limits, it reserves a slot and connects outside the lock. At the global limit it closes
 * the least recently used idle connection of the pool to make room.</li>
 * <li>Otherwise it waits in its route's FIFO line until a released connection is handed to it, a slot is granted,
 * or the acquire timeout passes. The line is bounded by {@code max-pending-acquires}.</li>
 * </ol>
 *
 * <p>The pool keeps what concerns every route: the global limits ({@code max-connections}, {@code max-idle-conns}),
 * the line of routes whose waiters wait for room under {@code max-connections} ({@link #needRoom}, served in order as
 * room appears), the {@link Ledger} and the step machine. Each {@link RoutePool} decides what is its own (which idle
 * connection, which waiter, its own cap, its server's idle limit); {@link PoolConnections} keeps the pool's idle list,
 * least recently used first, in step with the counts. No decision visits every route, and a route lives only while it
 * has a connection, a waiter or a warm-up target ({@link RouteTable}).
 *
 * <p>Every operation is a step that takes the lock and does no I/O: the lease steps here ({@link #admit},
 * {@link #connected}, {@link #connectFailed}, {@link #release}, {@link #discard}, {@link #cancel}), a waiter's wait
 * ({@link Waiter#await}), and the health check's, warm-up's, eviction, retirement and shutdown ({@link PoolUpkeep}).
 * {@link Leaser} puts them together with the I/O (the liveness read, the connect). Each ends in
 * {@link #settleAndUnlock()}: waiting routes get the room that appeared, routes left unused are removed, and sockets
 * closed under the lock are closed after unlocking.
 *
 * <p>Thread-safe. One {@link ReentrantLock} guards all counts, lists and lines, the routes' included (no intrinsic
 * monitor, which would pin virtual threads); it is never held during I/O. Time comes from the configured {@link Clock}.
 */
final class ConnectionPool {

    private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

    private final String name;
    private final Clock clock;
    private final int maxConnections;
    private final int maxIdleConns;
    private final LeaseEvents leases;
    private final LeaseFailures failures;
    private final PoolUpkeep upkeep;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a leased connection comes back after close() began, for the graceful wait. */
    private final Condition returned = this.lock.newCondition();
    /** Guarded by lock. */
    private final Ledger ledger;
    /** Guarded by lock: the live routes. A route leaves as soon as it is unused (see {@link RouteTable}). */
    private final RouteTable routes;
    /** Guarded by lock: the pool's idle list, and the moves that change it and the counts together. */
    private final PoolConnections connections;
    /**
     * Guarded by lock: routes with waiters and room under their own cap, so they wait for room under max-connections;
     * in the order they began to. A route leaves when it is served to its cap or has no waiter.
     */
    private final LinkedHashSet<RoutePool> needRoom = new LinkedHashSet<>();
    /** How a route's decisions close a connection. */
    private final RoutePool.Closer closer = this::closeLocked;
    /** How a route's decisions drain a multiplexed connection (no new streams; closed after its last). */
    private final RoutePool.Closer drainer = this::drainLocked;
    /** Guarded by lock. */
    private long nextId;
    /** Guarded by lock. Once true, always true. */
    private boolean closed;

    /**
     * @param warmRoutes the warm-up targets: routes kept even while they have nothing (created now)
     * @param originGone told when the pool removes the last route of an origin
     */
    ConnectionPool(HotPoolConfig config, PoolListener listener, Set<Route> warmRoutes,
            RouteTable.OriginGone originGone) {
        this(config, listener, warmRoutes, originGone, Multiplexing.NONE);
    }

    /** @param multiplexing which routes' connections may turn out multiplexed */
    ConnectionPool(HotPoolConfig config, PoolListener listener, Set<Route> warmRoutes,
            RouteTable.OriginGone originGone, Multiplexing multiplexing) {
        this.name = config.name();
        this.clock = config.clock();
        this.maxConnections = config.maxConnections();
        this.maxIdleConns = config.maxIdleConns();
        this.leases = new LeaseEvents(config.name(), listener, config.leakDetectionThreshold());
        this.ledger = new Ledger(this.maxConnections);
        this.failures = new LeaseFailures(this.name, this.ledger, listener, this.leases.starvation(),
                config.maxPendingAcquires());
        ServerIdleLimits serverIdleLimits = new ServerIdleLimits(Math.max(1024, config.maxConnections()));
        this.routes = new RouteTable(warmRoutes, config::hostSettings, serverIdleLimits, originGone, multiplexing);
        this.connections = new PoolConnections(config, this.ledger, this.leases, listener, serverIdleLimits);
        this.upkeep = new PoolUpkeep(this, this.routes, this.ledger, this.connections, this.returned, config);
    }

    /** The start and end of leases: {@link Leaser} begins them, the pool ends them. */
    LeaseEvents leaseEvents() {
        return this.leases;
    }

    /** The steps of the health check, warm-up, eviction and retirement, and the views of live routes. */
    PoolUpkeep upkeep() {
        return this.upkeep;
    }

    // ---- leasing ------------------------------------------------------------------------------------------

    /**
     * Admits a lease: the newest usable idle connection of the route, now LEASED (not for
     * {@link LeaseMode#NEW_CONNECTION}); else a slot reserved under both limits, an entry in CONNECTING state for
     * the caller to connect; else a {@link Waiter} in the route's line.
     *
     * @throws AcquireTimeoutException when the line is full
     * @throws HotPoolException when the pool is closed
     */
    Admission admit(Route route, LeaseMode mode, long now) throws HotPoolException {
        return admit(route.origin(), route.tls(), route.filter(), route.proxy(), mode, now);
    }

    /**
     * As {@link #admit(Route, LeaseMode, long)}, for the route of these parts (see {@link Route#of}); a lookup of a
     * live route makes no {@link Route}.
     */
    Admission admit(Origin origin, TlsSettings tls, AddressFilter filter, HttpProxy proxy, LeaseMode mode, long now)
            throws HotPoolException {
        this.lock.lock();
        try {
            if (this.closed) {
                throw this.failures.closed(Route.of(origin, tls));
            }
            RoutePool r = this.routes.getOrCreate(origin, tls, filter, proxy);
            // A stream of a multiplexed connection, even for a lease that asks for a new connection: its session
            // reads the socket all the time, so it is not the kind a retry after a stale connection avoids.
            PoolEntry shared = r.streamHost(now, this.drainer);
            if (shared != null) {
                return beginStreamLocked(shared);
            }
            PoolEntry idle = this.connections.takeIdle(r, mode, now, this.closer);
            if (idle != null) {
                return idle.multiplex() == null ? idle : beginStreamLocked(idle);
            }
            if (mode == LeaseMode.NEW_CONNECTION) {
                r.makeRoomForNew(this.closer);
            }
            if (!r.hasWaiters() && !r.awaitsMultiplex()) {
                PoolEntry reserved = reserveLocked(r);
                if (reserved != null) {
                    return reserved;
                }
            }
            if (this.failures.lineFull(r)) {
                this.routes.mayBeUnused(r);
                throw this.failures.refused(r, now);
            }
            Waiter waiter = r.enqueue(this.lock.newCondition(), this.ledger);
            if (r.wantsRoom()) {
                needsRoom(r);
            }
            return waiter;
        }
        finally {
            settleAndUnlock();
        }
    }

    /**
     * Turns a reserved slot with a new transport into a LEASED connection; when the pool closed meanwhile, closes it
     * (counted and reported opened, then closed) and throws.
     */
    PoolEntry connected(PoolEntry entry, Transport transport) throws HotPoolException {
        return (PoolEntry) connected(entry, transport, null);
    }

    /**
     * Turns a reserved slot with a new transport into a LEASED connection: for a multiplexed one ({@code session} not
     * {@code null}), the lease is its first stream, and the route's waiters get streams of it up to its limit. When the
     * pool closed meanwhile, or the session takes no stream, closes it (counted and reported opened, then closed) and
     * throws.
     */
    Held connected(PoolEntry entry, Transport transport, Multiplex session) throws HotPoolException {
        long now = this.clock.millis();
        this.lock.lock();
        try {
            this.connections.opened(entry, transport, now);
            if (this.closed) {
                closeLocked(entry, CloseReason.SHUTDOWN);
                throw this.failures.closed(entry.route.route());
            }
            RoutePool r = entry.route;
            if (r.mayMultiplex()) {
                r.learned(session != null);
            }
            this.ledger.move(entry, State.LEASED);
            if (log.isDebugEnabled()) {
                log.debug("{} - opened {}{}", this.name, entry, session != null ? " (multiplexed)" : "");
            }
            if (session == null) {
                if (r.wantsRoom()) {
                    needsRoom(r); // Its waiters waited for this connect; it carries one exchange: they need room.
                }
                return entry;
            }
            entry.multiplexed(session);
            if (entry.draining != null || !entry.takesStream()) {
                CloseReason reason = entry.draining != null ? entry.draining : CloseReason.ERROR;
                closeLocked(entry, reason);
                throw this.failures.noStream(entry.route.route(), session.streamLimit(), reason);
            }
            r.share(entry);
            StreamLease first = beginStreamLocked(entry);
            grantStreamsLocked(entry, now);
            if (r.wantsRoom()) {
                needsRoom(r);
            }
            return first;
        }
        finally {
            settleAndUnlock();
        }
    }

    /** Gives back the slot of a connect that failed, to a waiter if any. */
    void connectFailed(PoolEntry entry) {
        this.lock.lock();
        try {
            this.connections.connectFailed(entry);
            routeShrank(entry.route);
        }
        finally {
            settleAndUnlock();
        }
    }

    /**
     * Takes a connection back for reuse: handed to the oldest waiter of its route, or kept idle. Closed instead when
     * the pool is closed, the connection has outlived its lifetime or served {@code max-requests-per-connection}
     * exchanges, or its address was retired.
     */
    void release(PoolEntry entry) {
        long now = this.clock.millis();
        this.lock.lock();
        try {
            if (entry.state != State.LEASED) {
                return; // Closed by the pool in the meantime, or released twice.
            }
            this.leases.end(entry);
            entry.route.served(entry);
            CloseReason reason = this.closed ? CloseReason.SHUTDOWN : this.connections.endOfUse(entry, now);
            if (reason != null) {
                closeLocked(entry, reason);
                return;
            }
            entry.becameIdle(now);
            if (!handOver(entry)) {
                this.connections.putIdle(entry);
                trimIdleLocked();
            }
        }
        finally {
            settleAndUnlock();
        }
    }

    /** Closes a leased connection that must not be reused, and lets a waiter have its slot. */
    void discard(PoolEntry entry, CloseReason reason) {
        this.lock.lock();
        try {
            if (entry.state == State.CLOSED) {
                this.connections.closeAgain(entry); // Closed already; make sure its socket is too.
                return;
            }
            closeLocked(entry, this.closed ? CloseReason.SHUTDOWN : reason);
        }
        finally {
            settleAndUnlock();
        }
    }

    /**
     * Ends a stream's lease: its slot goes to the oldest waiter of the route, or the connection goes idle when it was
     * the last. A connection that is draining (its session's, its lifetime's or its requests' end, its address
     * retired, the pool closed) takes no new stream and closes when its last one ends.
     */
    void releaseStream(StreamLease s) {
        long now = this.clock.millis();
        this.lock.lock();
        try {
            PoolEntry e = s.entry;
            if (!endStreamLocked(s) || e.state != State.LEASED) {
                return; // Ended already, or its connection was closed meanwhile.
            }
            CloseReason reason = this.closed ? CloseReason.SHUTDOWN : e.draining != null ? e.draining
                    : this.connections.endOfStreams(e, now);
            if (reason != null) {
                drainLocked(e, reason);
                return;
            }
            grantStreamsLocked(e, now);
            if (e.streamCount() == 0) {
                e.becameIdle(now);
                this.connections.putIdle(e);
                trimIdleLocked();
            }
        }
        finally {
            settleAndUnlock();
        }
    }

    /** Ends a stream's lease and closes its whole connection, which must not be reused. */
    void discardStream(StreamLease s, CloseReason reason) {
        this.lock.lock();
        try {
            endStreamLocked(s);
            PoolEntry e = s.entry;
            if (e.state == State.CLOSED) {
                this.connections.closeAgain(e);
                return;
            }
            closeLocked(e, this.closed ? CloseReason.SHUTDOWN : reason);
        }
        finally {
            settleAndUnlock();
        }
    }

    /** A session's limit grew: the route's waiters get the streams that fit. */
    void streamLimitChanged(PoolEntry e) {
        this.lock.lock();
        try {
            if (!this.closed && e.state != State.CLOSED && e.state != State.CONNECTING) {
                grantStreamsLocked(e, this.clock.millis());
            }
        }
        finally {
            settleAndUnlock();
        }
    }

    /**
     * A session takes no new streams: an idle connection closes now, a leased one when its last stream ends; the
     * route's waiters look for room elsewhere. Before the connect is complete, {@link #connected} finds it draining.
     */
    void sessionDraining(PoolEntry e, CloseReason reason) {
        this.lock.lock();
        try {
            if (e.state == State.CLOSED || e.draining != null) {
                return;
            }
            if (e.state == State.CONNECTING) {
                e.draining = reason;
                return;
            }
            drainLocked(e, reason);
        }
        finally {
            settleAndUnlock();
        }
    }

    /**
     * Takes a waiter that gives up (timeout, interrupt, shutdown) out of its route's line.
     *
     * @return false when it had been granted meanwhile: the caller then owns what it was granted
     */
    boolean cancel(Waiter waiter) {
        this.lock.lock();
        try {
            return cancelLocked(waiter);
        }
        finally {
            settleAndUnlock();
        }
    }

    // ---- closing ------------------------------------------------------------------------------------------

    /** Closes the pool gracefully ({@link PoolUpkeep#close()}). Idempotent. */
    void close() {
        this.upkeep.close();
    }

    boolean isClosed() {
        return read(() -> this.closed);
    }

    // ---- looking in --------------------------------------------------------------------------------------

    PoolStats stats() {
        return read(this::statsLocked);
    }

    /**
     * Checks every invariant by walking everything, for the engine's tests (see {@link Ledger#verify}).
     *
     * @throws AssertionError naming the first invariant broken
     */
    void verify() {
        read(() -> {
            this.ledger.verify(this.routes, this.connections.idle(), this.needRoom, this.closed,
                    this.connections.oldestIdle() != null, this.maxIdleConns);
            return null;
        });
    }

    @Override
    public String toString() {
        return this.name + " " + stats();
    }

    /** What {@code reading} finds under the lock, which it leaves without settling: for steps that change nothing. */
    <T> T read(Supplier<T> reading) {
        this.lock.lock();
        try {
            return reading.get();
        }
        finally {
            this.lock.unlock();
        }
    }

    // ---- under the lock: the pool's own moves, for the steps here, in Waiter and in PoolUpkeep --------------

    /** Begins a step; it ends with {@link #settleAndUnlock()}. */
    void lock() {
        this.lock.lock();
    }

    boolean closedLocked() {
        return this.closed;
    }

    /** Marks the pool closed (once closed, always closed); false when it already was. */
    boolean markClosedLocked() {
        boolean was = this.closed;
        this.closed = true;
        return !was;
    }

    LeaseFailures failures() {
        return this.failures;
    }

    Clock clock() {
        return this.clock;
    }

    /**
     * Reserves a slot for a new connection of the route when its own cap allows, closing the pool's least recently
     * used idle connection at the global limit; {@code null} when there is no room.
     */
    private PoolEntry reserveLocked(RoutePool r) {
        if (!r.hasRoom()) {
            return null;
        }
        if (this.ledger.pool().total() >= this.maxConnections) {
            PoolEntry victim = this.connections.oldestIdle();
            if (victim == null) {
                return null;
            }
            closeLocked(victim, CloseReason.EVICTED);
        }
        return r.reserve(++this.nextId, this, this.ledger);
    }

    /**
     * Reserves a slot for warm-up when there is room under both limits and {@code max-idle-conns} without evicting
     * anything; {@code null} when there is none.
     */
    PoolEntry reserveIfRoomLocked(RoutePool r) {
        Ledger.Counts pool = this.ledger.pool();
        if (!r.hasRoom() || pool.total() >= this.maxConnections
                || pool.idle() + pool.checking() + pool.connecting() >= this.maxIdleConns) {
            this.routes.mayBeUnused(r);
            return null;
        }
        return reserveLocked(r);
    }

    /**
     * A connection checked in place and found healthy: handed to the oldest waiter of its route, or IDLE again where
     * it lies in the idle lists, its idle time kept.
     */
    void checkedLocked(PoolEntry entry) {
        if (entry.multiplex() != null) {
            this.connections.endCheck(entry);
            if (entry.route.hasWaiters() && entry.takesStream()) {
                grantStreamsLocked(entry, this.clock.millis());
            }
            else {
                trimIdleLocked();
            }
            return;
        }
        if (entry.route.hasWaiters()) {
            this.connections.leaseChecked(entry);
            handOver(entry);
        }
        else {
            this.connections.endCheck(entry);
            trimIdleLocked();
        }
    }

    /**
     * A new stream of a multiplexed connection that takes one (LEASED already, or IDLE: then leased now, out of the
     * idle lists); a connection that has begun {@code max-requests-per-connection} streams drains.
     */
    private StreamLease beginStreamLocked(PoolEntry e) {
        if (e.state == State.IDLE || e.state == State.CHECKING) {
            this.connections.leaseChecked(e);
        }
        StreamLease s = e.addStream(this);
        if (this.connections.lastRequest(e)) {
            e.draining = CloseReason.MAX_REQUESTS;
            e.route.unshare(e);
        }
        return s;
    }

    /** Grants the streams a multiplexed connection takes to the oldest waiters of its route. */
    private void grantStreamsLocked(PoolEntry e, long now) {
        RoutePool r = e.route;
        if (now >= e.lifetimeDeadline && e.draining == null) {
            drainLocked(e, CloseReason.MAX_LIFETIME);
            return;
        }
        while (r.hasWaiters() && e.takesStream()) {
            r.grantOldest(beginStreamLocked(e), this.ledger);
        }
        if (!r.hasWaiters()) {
            leaveNeedRoom(r);
        }
    }

    /** Ends a stream's lease, once; false when it had ended already. */
    private boolean endStreamLocked(StreamLease s) {
        if (s.ended) {
            return false;
        }
        s.ended = true;
        this.leases.end(s);
        s.entry.removeStream(s);
        return true;
    }

    /**
     * A multiplexed connection takes no new stream from now on: closed now when it carries none, else when its last
     * stream ends; the route's waiters may now want room for a connection of their own.
     */
    private void drainLocked(PoolEntry e, CloseReason reason) {
        if (e.draining == null) {
            e.draining = reason;
        }
        RoutePool r = e.route;
        r.unshare(e);
        if (e.state != State.CHECKING && e.streamCount() == 0) {
            closeLocked(e, e.draining); // A connection being checked closes when its check ends.
        }
        if (r.wantsRoom()) {
            needsRoom(r);
        }
    }

    /** Closes the pool's least recently used idle connections while there are more than {@code max-idle-conns}. */
    private void trimIdleLocked() {
        while (this.ledger.pool().idle() > this.maxIdleConns) {
            closeLocked(this.connections.oldestIdle(), CloseReason.EVICTED);
        }
    }

    /** Hands a LEASED connection that came back to the oldest waiter of its route; false when none waits. */
    private boolean handOver(PoolEntry entry) {
        RoutePool r = entry.route;
        if (!r.grantOldest(entry, this.ledger)) { // Stays LEASED: handed straight over.
            return false;
        }
        if (!r.hasWaiters()) {
            leaveNeedRoom(r);
        }
        return true;
    }

    /** Marks a connection closed and updates the counts; its transport is closed after unlocking. */
    void closeLocked(PoolEntry e, CloseReason reason) {
        if (e.state == State.LEASED && this.closed) {
            this.returned.signalAll(); // For the graceful wait of close(), which wakes once the lock is released.
        }
        if (this.connections.close(e, reason)) {
            routeShrank(e.route);
        }
    }

    /** A route lost a connection: its waiters may now have room under its cap; it may have become unused. */
    private void routeShrank(RoutePool r) {
        if (r.wantsRoom()) {
            needsRoom(r);
        }
        this.routes.mayBeUnused(r);
    }

    private void needsRoom(RoutePool r) {
        if (r.markInRoomLine(true)) {
            this.needRoom.add(r);
        }
    }

    private void leaveNeedRoom(RoutePool r) {
        if (r.markInRoomLine(false)) {
            this.needRoom.remove(r);
        }
    }

    /** Takes a waiter that gives up out of its route's line; false when it was granted meanwhile. */
    boolean cancelLocked(Waiter waiter) {
        RoutePool r = waiter.route;
        if (!r.cancel(waiter, this.ledger)) {
            return false;
        }
        if (!r.hasWaiters()) {
            leaveNeedRoom(r);
        }
        this.routes.mayBeUnused(r);
        return true;
    }

    /**
     * Gives the routes waiting for room what has become available, oldest first: a slot under max-connections, made
     * by closing the pool's least recently used idle connection when the pool is at its limit.
     */
    private void dispatchLocked() {
        while (!this.closed && !this.needRoom.isEmpty()) {
            RoutePool r = this.needRoom.iterator().next();
            if (!r.wantsRoom()) {
                leaveNeedRoom(r);
                continue;
            }
            if (this.ledger.pool().total() >= this.maxConnections) {
                PoolEntry victim = this.connections.oldestIdle();
                if (victim == null) {
                    return; // The pool is full of leased and connecting connections: wait for one to end.
                }
                closeLocked(victim, CloseReason.EVICTED);
                continue;
            }
            r.grantOldest(reserveLocked(r), this.ledger); // r stays in line while it wants room.
        }
    }

    /**
     * Ends every step: serves the routes waiting for room, removes the routes left unused, unlocks, and closes the
     * transports of the connections marked closed. An inner hold of the (reentrant) lock leaves all of this to the
     * outer one. Returns how many transports it closed.
     */
    int settleAndUnlock() {
        List<PoolConnections.Closing> doomed = List.of();
        if (this.lock.getHoldCount() == 1) {
            if (!this.needRoom.isEmpty()) {
                dispatchLocked();
            }
            this.routes.removeUnused();
            doomed = this.connections.drainClosing();
        }
        this.lock.unlock();
        for (int i = 0; i < doomed.size(); i++) {
            doomed.get(i).close();
        }
        return doomed.size();
    }

    PoolStats statsLocked() {
        return this.ledger.snapshot(this.routes, this.leases.leases(), this.leases.reusedLeases());
    }
}
