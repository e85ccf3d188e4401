package dev.hotpool.internal.pool;

import dev.hotpool.AcquireTimeoutException;
import dev.hotpool.CloseReason;
import dev.hotpool.ConnectionInfo;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.internal.pool.ConnectionProbe.Outcome;
import dev.hotpool.internal.pool.PoolEntry.State;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.net.AddressFilter;
import dev.hotpool.tls.TlsSettings;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: leases connections per route under the per-host and global limits and takes them back.
 *
 * <ol>
 * <li>A lease takes the newest idle connection of its route (LIFO) that has not expired; one idle longer than
 * {@code validate-after-inactivity} gets a 1 ms liveness read first, outside the lock.</li>
 * <li>Otherwise, under both limits, it reserves a slot and connects outside the lock. At the global limit it closes
 * the least recently used idle connection of the pool to make room.</li>
 * <li>Otherwise it waits in its route's FIFO line until a released connection is handed to it, a slot is granted,
 * or the acquire timeout passes. The line is bounded by {@code max-pending-acquires}.</li>
 * </ol>
 *
 * <p>No decision visits every route. The least recently used idle connection of the whole pool is the head of one
 * list ({@link #lru}); routes whose waiters wait for room under {@code max-connections} (not for their own per-host
 * limit) are in one line ({@link #needRoom}), served in order as room appears; a released connection goes straight
 * to the oldest waiter of its own route. A route lives only while it has a connection, a waiter or a warm-up target
 * ({@link RoutePool}), so memory follows live connections, not the number of origins ever seen.
 *
 * <p>Every operation is a step of a state machine that does no I/O: {@link #admit}, {@link #connected},
 * {@link #connectFailed}, {@link #release}, {@link #discard}, {@link #cancel}, the health check's and warm-up's
 * steps; {@link #await} and {@link #close()} also block, on the lock's conditions. {@link Leaser} puts the steps
 * together with the I/O (the liveness read, the connect). Each step ends in {@link #settleAndUnlock()}: waiting
 * routes are given the room that appeared, routes left unused are removed, and sockets closed under the lock are
 * closed after unlocking.
 *
 * <p>Thread-safe. One {@link ReentrantLock} guards all counts, lists and lines (no intrinsic monitor, which would
 * pin virtual threads); it is never held during I/O. Time for expiry comes from the configured {@link Clock}.
 */
final class ConnectionPool {

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

    private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

    private final String name;
    private final PoolListener listener;
    private final Clock clock;
    private final int maxConnections;
    private final int maxIdleConns;
    private final int maxPendingAcquires;
    private final int maxRequestsPerConnection;
    /** The idle limits servers were seen closing connections at, per origin; guarded by the lock. */
    private final ServerIdleLimits serverIdleLimits;
    private final Duration shutdownTimeout;
    private final LeaseEvents leases;
    private final OriginGone originGone;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a leased connection comes back after close() began, for the graceful wait. */
    private final Condition returned = this.lock.newCondition();
    /** Guarded by lock. */
    private final Ledger ledger;
    /** Guarded by lock: the live routes. A route leaves as soon as it is unused (see {@link RoutePool}). */
    private final RouteTable routes;
    /** Guarded by lock: every IDLE connection (and those CHECKING in place), least recently used first. */
    private final EntryList lru = new EntryList(EntryList.Kind.POOL_IDLE);
    /**
     * Guarded by lock: routes with waiters and room under their own per-host limit, so they wait for room under
     * max-connections; in the order they began to. A route leaves when it is served to its limit or has no waiter.
     */
    private final LinkedHashSet<RoutePool> needRoom = new LinkedHashSet<>();
    /** Guarded by lock: routes that may have become unused in this hold of the lock; checked on the way out. */
    private final List<RoutePool> mayBeUnused = new ArrayList<>();
    /**
     * Guarded by lock: connections marked closed whose transports are still open. The thread that marked them takes
     * them on its way out of the lock and closes them after unlocking.
     */
    private List<Transport> closing = new ArrayList<>();
    /** Guarded by lock. */
    private long nextId;
    /** Guarded by lock. Once true, always true. */
    private boolean closed;

    /**
     * @param warmRoutes the warm-up targets: routes kept even while they have nothing (created now)
     * @param originGone told when the pool removes the last route of an origin
     */
    ConnectionPool(HotPoolConfig config, PoolListener listener, Set<Route> warmRoutes, OriginGone originGone) {
        this.name = config.name();
        this.originGone = originGone;
        this.listener = listener;
        this.clock = config.clock();
        this.maxConnections = config.maxConnections();
        this.maxIdleConns = config.maxIdleConns();
        this.maxPendingAcquires = config.maxPendingAcquires();
        this.maxRequestsPerConnection = config.maxRequestsPerConnection();
        this.shutdownTimeout = config.shutdownTimeout();
        this.leases = new LeaseEvents(config.name(), listener, config.leakDetectionThreshold());
        this.ledger = new Ledger(this.maxConnections);
        this.serverIdleLimits = new ServerIdleLimits(Math.max(1024, config.maxConnections()));
        this.routes = new RouteTable(warmRoutes, config::hostSettings, this.serverIdleLimits);
    }

    // ---- leasing ------------------------------------------------------------------------------------------

    /** The start and end of leases: {@link Leaser} begins them, the pool ends them. */
    LeaseEvents leaseEvents() {
        return this.leases;
    }

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
                ensureOpen(Route.of(origin, tls));
            }
            RoutePool r = this.routes.getOrCreate(origin, tls, filter, proxy);
            Route route = r.route;
            if (mode != LeaseMode.NEW_CONNECTION) {
                PoolEntry idle = takeIdle(r, mode, now);
                if (idle != null) {
                    return idle;
                }
            }
            else if (r.total() >= r.maxConns) {
                PoolEntry oldest = r.oldestIdle();
                if (oldest != null) {
                    closeLocked(oldest, CloseReason.EVICTED); // Room for the fresh one.
                }
            }
            if (!r.hasWaiters()) {
                PoolEntry reserved = reserveLocked(r);
                if (reserved != null) {
                    return reserved;
                }
            }
            if (r.waiterCount() >= this.maxPendingAcquires) {
                this.ledger.countAcquireFailure();
                this.listener.acquireFailed(route.origin());
                this.mayBeUnused.add(r);
                throw new AcquireTimeoutException("hotpool: too many leases waiting for " + route + " ("
                        + r.waiterCount() + " waiting, hotpool.max-pending-acquires=" + this.maxPendingAcquires
                        + "); " + countsLocked(r)
                        + this.leases.starvation().noteLocked(r, "a lease was refused: the line of waiting leases "
                                + "is full", now));
            }
            Waiter waiter = new Waiter(r, this.lock.newCondition());
            r.addWaiter(waiter);
            this.ledger.waiterAdded(r);
            if (r.total() < r.maxConns) {
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
        long now = this.clock.millis();
        RoutePool r = entry.route;
        long jitter = (long) (r.maxLifetimeMillis * 0.025 * ThreadLocalRandom.current().nextDouble());
        this.lock.lock();
        try {
            entry.opened(transport, now, now + r.maxLifetimeMillis - jitter);
            this.ledger.countOpen(); // Before a close below: every connection counted closed was counted opened.
            r.created++;
            this.listener.connectionOpened(r.route.origin(), transport.remote().getAddress());
            if (this.closed) {
                closeLocked(entry, CloseReason.SHUTDOWN);
                ensureOpen(r.route);
            }
            this.ledger.move(entry, State.LEASED);
            if (log.isDebugEnabled()) {
                log.debug("{} - opened {}", this.name, entry);
            }
            return entry;
        }
        finally {
            settleAndUnlock();
        }
    }

    /** Gives back the slot of a connect that failed, to a waiter if any. */
    void connectFailed(PoolEntry entry) {
        this.lock.lock();
        try {
            RoutePool r = entry.route;
            this.ledger.move(entry, State.CLOSED);
            r.leave(entry);
            routeShrank(r);
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
            if (entry.route.serverLimit != null) {
                entry.route.serverLimit.servedAfter(entry.idleAtLease); // Answered after that much idle.
            }
            if (this.closed) {
                closeLocked(entry, CloseReason.SHUTDOWN);
                return;
            }
            if (now >= entry.lifetimeDeadline || entry.retiring != null) {
                closeLocked(entry, entry.retiring != null ? entry.retiring : CloseReason.MAX_LIFETIME);
                return;
            }
            if (this.maxRequestsPerConnection > 0 && entry.exchanges() >= this.maxRequestsPerConnection) {
                closeLocked(entry, CloseReason.MAX_REQUESTS);
                return;
            }
            entry.becameIdle(now);
            if (handOver(entry)) {
                return;
            }
            this.ledger.move(entry, State.IDLE);
            linkIdle(entry);
            trimIdleLocked();
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
                Transport t = entry.transport();
                if (t != null) {
                    this.closing.add(t); // Closed already; make sure its socket is too.
                }
                return;
            }
            closeLocked(entry, this.closed ? CloseReason.SHUTDOWN : reason);
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

    // ---- the health check and warm-up ---------------------------------------------------------------------

    /**
     * Closes the idle connections that have expired (idle timeout, keep-alive hint, max lifetime) and lists the rest,
     * least recently used first, for the health check to check one at a time with {@link #beginCheck}.
     *
     * @param closedByReason incremented per connection closed here
     */
    List<PoolEntry> idleForCheck(long now, Map<CloseReason, Integer> closedByReason) {
        List<PoolEntry> idle = new ArrayList<>();
        this.lock.lock();
        try {
            if (this.closed) {
                return idle;
            }
            for (PoolEntry e = this.lru.first(); e != null; ) {
                PoolEntry next = this.lru.next(e);
                CloseReason expiry = e.state == State.IDLE ? e.expiry(now) : null;
                if (expiry != null) {
                    closeLocked(e, expiry);
                    closedByReason.merge(expiry, 1, Integer::sum);
                }
                else if (e.state == State.IDLE) {
                    idle.add(e);
                }
                e = next;
            }
        }
        finally {
            settleAndUnlock();
        }
        return idle;
    }

    /**
     * Marks a connection as being checked, where it lies in the idle lists (leases skip it meanwhile), when it is
     * still idle; false when it has been leased or closed since it was listed.
     */
    boolean beginCheck(PoolEntry entry) {
        this.lock.lock();
        try {
            if (this.closed || entry.state != State.IDLE) {
                return false;
            }
            this.ledger.move(entry, State.CHECKING);
            return true;
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Ends a check: a healthy connection stays where it was in the idle lists with its idle time kept (or goes to a
     * waiter of its route); any other is closed.
     *
     * @return the reason it was closed for, or {@code null} when it stays open
     */
    CloseReason endCheck(PoolEntry entry, Outcome outcome) {
        long now = this.clock.millis();
        this.lock.lock();
        try {
            if (entry.state != State.CHECKING) {
                return null;
            }
            CloseReason reason = switch (outcome) {
                case DEAD -> CloseReason.STALE;
                case UNHEALTHY -> CloseReason.UNHEALTHY;
                case HEALTHY -> this.closed ? CloseReason.SHUTDOWN
                        : entry.retiring != null ? entry.retiring : entry.expiry(now);
            };
            if (reason != null) {
                closeLocked(entry, reason);
                return reason;
            }
            if (entry.route.hasWaiters()) {
                unlinkIdle(entry);
                this.ledger.move(entry, State.LEASED);
                handOver(entry);
            }
            else {
                this.ledger.move(entry, State.IDLE);
                trimIdleLocked();
            }
            return entry.state == State.CLOSED ? CloseReason.EVICTED : null;
        }
        finally {
            settleAndUnlock();
        }
    }

    /**
     * Reserves a slot for one more connection of a warm route when there is room under both limits and
     * {@code max-idle-conns}, never by evicting another route's connection; the caller connects it.
     *
     * @return the reserved slot (CONNECTING), or {@code null} when there is no room or the pool is closed
     */
    PoolEntry reserveForWarmup(Route route) {
        this.lock.lock();
        try {
            if (this.closed) {
                return null;
            }
            RoutePool r = this.routes.getOrCreate(route);
            Ledger.Counts pool = this.ledger.pool();
            if (r.total() >= r.maxConns || pool.total() >= this.maxConnections
                    || pool.idle() + pool.checking() + pool.connecting() >= this.maxIdleConns) {
                this.mayBeUnused.add(r);
                return null;
            }
            return reserveLocked(r);
        }
        finally {
            settleAndUnlock();
        }
    }

    /** Idle, checked and connecting connections of a route: what warm-up counts toward its minimum. */
    int warmCount(Route route) {
        return read(() -> {
            RoutePool r = this.routes.get(route);
            return r == null ? 0 : r.counts.idle() + r.counts.checking() + r.counts.connecting();
        });
    }

    // ---- closing connections from outside ------------------------------------------------------------------

    /** Closes the idle connections of one origin, or of all when {@code origin} is {@code null}; returns how many. */
    int evictIdle(Origin origin) {
        int evicted;
        this.lock.lock();
        try {
            this.routes.forEach(origin == null ? null : origin.host(), r -> {
                if (origin == null || r.route.origin().equals(origin)) {
                    closeIdle(r, CloseReason.EVICTED);
                }
            });
        }
        finally {
            evicted = settleAndUnlock();
        }
        return evicted;
    }

    /**
     * Retires the connections of one origin ({@code host:port}) to one address: idle ones close now, leased and
     * checked ones when they come back. Returns how many closed now.
     */
    int retireAddress(String host, String authority, InetAddress address, CloseReason reason) {
        return retire(host, r -> r.route.origin().authority().equals(authority), address::equals, reason);
    }

    /** Retires the connections to {@code host} (any port) whose address is not in {@code current}. */
    int retireAddressesNotIn(String host, Collection<InetAddress> current, CloseReason reason) {
        return retire(host, r -> true, a -> !current.contains(a), reason);
    }

    private int retire(String host, Predicate<RoutePool> routes, Predicate<InetAddress> addresses,
            CloseReason reason) {
        int retired;
        this.lock.lock();
        try {
            this.routes.forEach(host, r -> {
                if (routes.test(r)) {
                    r.forEachOpen(e -> {
                        if (addresses.test(e.remote().getAddress())) {
                            if (e.state == State.IDLE) {
                                closeLocked(e, reason);
                            }
                            else {
                                e.retiring = reason; // Closes when it comes back.
                            }
                        }
                    });
                }
            });
        }
        finally {
            retired = settleAndUnlock();
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
        this.lock.lock();
        try {
            if (this.closed) {
                return;
            }
            before = statsLocked();
            this.closed = true;
            this.routes.forEach(null, r -> {
                closeIdle(r, CloseReason.SHUTDOWN);
                for (Waiter w : r.waiters()) {
                    w.condition.signal();
                }
            });
        }
        finally {
            settleAndUnlock();
        }
        List<Transport> aborted = new ArrayList<>();
        long deadline = System.nanoTime() + saturatedNanos(this.shutdownTimeout);
        this.lock.lock();
        try {
            long remaining;
            while (this.ledger.pool().leased() > 0 && (remaining = deadline - System.nanoTime()) > 0) {
                try {
                    this.returned.awaitNanos(remaining);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            // Still leased (or being checked) after the grace period:
            this.routes.forEach(null, r -> r.forEachOpen(e -> aborted.add(e.transport())));
        }
        finally {
            this.lock.unlock();
        }
        for (Transport t : aborted) {
            t.abort(); // Counted as SHUTDOWN when its holder releases or discards it.
        }
        this.leases.close();
        log.info("{} - closed (before: {}, after: {}{})", this.name, before, stats(), aborted.isEmpty() ? ""
                : ", " + aborted.size() + " leased connection(s) aborted after hotpool.shutdown-timeout");
    }

    boolean isClosed() {
        return read(() -> this.closed);
    }

    // ---- looking in --------------------------------------------------------------------------------------

    PoolStats stats() {
        return read(this::statsLocked);
    }

    /** The origins of the live routes to {@code host} (any port, scheme and TLS settings). */
    Set<Origin> originsOf(String host) {
        Set<Origin> origins = new LinkedHashSet<>();
        return read(() -> {
            this.routes.forEach(host, r -> origins.add(r.route.origin()));
            return origins;
        });
    }

    /** The origins of every live route. */
    Set<Origin> origins() {
        return originsOf(null);
    }

    /** Open connections of an origin (all its routes) per address. */
    Map<InetAddress, Integer> connectionsByAddress(Origin origin) {
        Map<InetAddress, Integer> counts = new LinkedHashMap<>();
        forEachConnection(origin, e -> counts.merge(e.transport().remote().getAddress(), 1, Integer::sum));
        return counts;
    }

    /** One row per open connection of the origin (all its routes), oldest first. */
    List<ConnectionInfo> connections(Origin origin) {
        long now = this.clock.millis();
        List<ConnectionInfo> rows = new ArrayList<>();
        forEachConnection(origin, e -> rows.add(e.infoLocked(now)));
        rows.sort(java.util.Comparator.comparingLong(ConnectionInfo::id));
        return rows;
    }

    private void forEachConnection(Origin origin, Consumer<PoolEntry> action) {
        read(() -> {
            this.routes.forEach(origin.host(), r -> {
                if (r.route.origin().equals(origin)) {
                    r.forEachOpen(action);
                }
            });
            return null;
        });
    }

    /** What {@code reading} finds under the lock; for the looking-in methods, which change nothing. */
    private <T> T read(Supplier<T> reading) {
        this.lock.lock();
        try {
            return reading.get();
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Checks every invariant by walking everything, for the engine's tests (see {@link Ledger#verify}).
     *
     * @throws AssertionError naming the first invariant broken
     */
    void verify() {
        read(() -> {
            this.ledger.verify(this.routes, this.lru, this.needRoom, this.closed, oldestIdle() != null,
                    this.maxIdleConns);
            return null;
        });
    }

    @Override
    public String toString() {
        return this.name + " " + stats();
    }

    // ---- under the lock -------------------------------------------------------------------------------------

    private void ensureOpen(Route route) throws HotPoolException {
        if (this.closed) {
            throw new HotPoolException("hotpool: pool '" + this.name + "' is closed; no connection to " + route
                    + " can be leased");
        }
    }

    /**
     * The newest usable idle connection of the route, now LEASED; expired ones met on the way are closed, and for a
     * lease that cannot be retried so are those idle nearly as long as the route's server was seen to allow (see
     * {@link ServerIdleLimits}).
     */
    private PoolEntry takeIdle(RoutePool r, LeaseMode mode, long now) {
        for (PoolEntry e = r.newestIdle(); e != null; ) {
            PoolEntry older = r.olderIdle(e);
            if (e.state == State.IDLE) {
                CloseReason expiry = e.expiry(now);
                if (expiry == null && mode == LeaseMode.NOT_RETRYABLE && r.serverLimit != null
                        && r.serverLimit.near(now - e.idleSince, now)) {
                    expiry = CloseReason.IDLE_TIMEOUT;
                }
                if (expiry != null) {
                    closeLocked(e, expiry);
                }
                else {
                    unlinkIdle(e);
                    this.ledger.move(e, State.LEASED);
                    e.idleAtLease = Math.max(1, now - e.idleSince);
                    return e;
                }
            }
            e = older;
        }
        return null;
    }

    /**
     * Reserves a slot for a new connection of the route when its per-host limit allows, closing the pool's least
     * recently used idle connection at the global limit; {@code null} when there is no room.
     */
    private PoolEntry reserveLocked(RoutePool r) {
        if (r.total() >= r.maxConns) {
            return null;
        }
        if (this.ledger.pool().total() >= this.maxConnections) {
            PoolEntry victim = oldestIdle();
            if (victim == null) {
                return null;
            }
            closeLocked(victim, CloseReason.EVICTED);
        }
        PoolEntry e = new PoolEntry(++this.nextId, r, this);
        this.ledger.reserved(e);
        r.join(e);
        return e;
    }

    /** Closes the pool's least recently used idle connections while there are more than {@code max-idle-conns}. */
    private void trimIdleLocked() {
        while (this.ledger.pool().idle() > this.maxIdleConns) {
            closeLocked(oldestIdle(), CloseReason.EVICTED);
        }
    }

    /** Closes every IDLE connection of the route (not one being checked). */
    private void closeIdle(RoutePool r, CloseReason reason) {
        PoolEntry e;
        while ((e = r.oldestIdle()) != null) {
            closeLocked(e, reason);
        }
    }

    /** The least recently used IDLE connection of the pool (one being checked is skipped), or {@code null}. */
    private PoolEntry oldestIdle() {
        for (PoolEntry e = this.lru.first(); e != null; e = this.lru.next(e)) {
            if (e.state == State.IDLE) {
                return e;
            }
        }
        return null;
    }

    private void linkIdle(PoolEntry e) {
        e.route.pushIdle(e);
        this.lru.addLast(e);
    }

    private void unlinkIdle(PoolEntry e) {
        e.route.unlinkIdle(e);
        this.lru.remove(e);
    }

    /** Hands a LEASED connection that came back to the oldest waiter of its route; false when none waits. */
    private boolean handOver(PoolEntry entry) {
        RoutePool r = entry.route;
        Waiter w = r.pollWaiter();
        if (w == null) {
            return false;
        }
        this.ledger.waiterLeft(r);
        if (!r.hasWaiters()) {
            leaveNeedRoom(r);
        }
        w.grant(entry); // Stays LEASED: handed straight over.
        return true;
    }

    /** Marks a connection closed and updates the counts; its transport is closed after unlocking. */
    private void closeLocked(PoolEntry e, CloseReason reason) {
        RoutePool r = e.route;
        switch (e.state) {
            case IDLE, CHECKING -> unlinkIdle(e);
            case LEASED -> {
                this.leases.end(e);
                if (this.closed) {
                    this.returned.signalAll();
                }
            }
            case CONNECTING -> {
                // A reserved slot whose connect succeeded after the pool closed: counted like any other close.
            }
            case CLOSED -> {
                return;
            }
        }
        if (reason == CloseReason.STALE && e.idledOnce) {
            if (r.serverLimit == null) {
                r.serverLimit = this.serverIdleLimits.of(r.route.origin());
            }
            long now = this.clock.millis();
            r.serverLimit.closedAfter(now - e.idleSince, now); // Closed by its server after idling this long.
        }
        this.ledger.move(e, State.CLOSED);
        this.ledger.countClose(reason);
        r.leave(e);
        Transport t = e.transport();
        if (t != null) {
            r.load.add(t.remote().getAddress(), -1);
            this.closing.add(t);
        }
        long ageNanos = t != null ? TimeUnit.MILLISECONDS.toNanos(Math.max(0, this.clock.millis() - e.createdAt)) : -1;
        this.listener.connectionClosed(r.route.origin(), reason, ageNanos);
        if (log.isDebugEnabled()) {
            log.debug("{} - closing {} ({}, {} exchanges)", this.name, e, reason, e.exchanges());
        }
        routeShrank(r);
    }

    /** A route lost a connection: its waiters may now have per-host room; it may have become unused. */
    private void routeShrank(RoutePool r) {
        if (r.hasWaiters() && r.total() < r.maxConns) {
            needsRoom(r);
        }
        this.mayBeUnused.add(r);
    }

    private void needsRoom(RoutePool r) {
        if (!r.needsRoom) {
            r.needsRoom = true;
            this.needRoom.add(r);
        }
    }

    private void leaveNeedRoom(RoutePool r) {
        if (r.needsRoom) {
            r.needsRoom = false;
            this.needRoom.remove(r);
        }
    }

    private boolean cancelLocked(Waiter waiter) {
        RoutePool r = waiter.route;
        if (waiter.done || !r.removeWaiter(waiter)) {
            return false;
        }
        this.ledger.waiterLeft(r);
        if (!r.hasWaiters()) {
            leaveNeedRoom(r);
        }
        this.mayBeUnused.add(r);
        return true;
    }

    /**
     * Gives the routes waiting for room what has become available, oldest first: a slot under max-connections, made
     * by closing the pool's least recently used idle connection when the pool is at its limit.
     */
    private void dispatchLocked() {
        while (!this.closed && !this.needRoom.isEmpty()) {
            RoutePool r = this.needRoom.iterator().next();
            if (!r.hasWaiters() || r.total() >= r.maxConns) {
                leaveNeedRoom(r);
                continue;
            }
            if (this.ledger.pool().total() >= this.maxConnections) {
                PoolEntry victim = oldestIdle();
                if (victim == null) {
                    return; // The pool is full of leased and connecting connections: wait for one to end.
                }
                closeLocked(victim, CloseReason.EVICTED);
                continue;
            }
            PoolEntry slot = reserveLocked(r);
            Waiter w = r.pollWaiter();
            this.ledger.waiterLeft(r);
            w.grant(slot); // r stays in line while it has waiters and per-host room.
        }
    }

    /**
     * Ends every locked operation: serves the routes waiting for room, removes the routes left unused, unlocks, and
     * closes the transports of the connections marked closed. An inner hold of the (reentrant) lock leaves all of
     * this to the outer one. Returns how many transports it closed.
     */
    private int settleAndUnlock() {
        List<Transport> doomed = List.of();
        if (this.lock.getHoldCount() == 1) {
            if (!this.needRoom.isEmpty()) {
                dispatchLocked();
            }
            for (int i = 0; i < this.mayBeUnused.size(); i++) {
                RoutePool r = this.mayBeUnused.get(i);
                if (!r.removed && r.unused()) {
                    boolean lastToHost = this.routes.remove(r);
                    Origin origin = r.route.origin();
                    if (lastToHost || !this.routes.hasOrigin(origin)) {
                        this.originGone.gone(origin, lastToHost);
                    }
                }
            }
            this.mayBeUnused.clear();
            if (!this.closing.isEmpty()) {
                doomed = this.closing;
                this.closing = new ArrayList<>();
            }
        }
        this.lock.unlock();
        for (int i = 0; i < doomed.size(); i++) {
            doomed.get(i).close();
        }
        return doomed.size();
    }

    private PoolStats statsLocked() {
        return this.ledger.snapshot(this.routes, this.leases.leases(), this.leases.reusedLeases());
    }

    private String countsLocked(RoutePool r) {
        return this.ledger.describe(r);
    }

    // ---- waiting ------------------------------------------------------------------------------------------

    /**
     * Waits until the waiter is granted a connection or a slot, the pool closes, or {@code timeoutNanos} have passed
     * since {@code start} (System.nanoTime()); blocks on the waiter's condition, which releases the lock meanwhile.
     *
     * @return what it was granted: a LEASED connection handed over, or a CONNECTING slot to connect
     * @throws AcquireTimeoutException when the time is up
     * @throws InterruptedIOException when the thread is interrupted before a grant
     * @throws HotPoolException when the pool closes
     */
    PoolEntry await(Waiter waiter, long start, long timeoutNanos) throws IOException {
        RoutePool r = waiter.route;
        this.lock.lock();
        try {
            while (!waiter.done) {
                if (this.closed) {
                    cancelLocked(waiter);
                    ensureOpen(r.route);
                }
                long remaining = timeoutNanos - (System.nanoTime() - start);
                if (remaining <= 0) {
                    cancelLocked(waiter);
                    this.ledger.countAcquireFailure();
                    this.listener.acquireFailed(r.route.origin());
                    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    throw new AcquireTimeoutException("hotpool: no connection to " + r.route + " within " + waited
                            + " ms (" + countsLocked(r) + "); raise " + r.capProperty() + " or "
                            + "hotpool.acquire-timeout, or check that responses are closed"
                            + this.leases.starvation().noteLocked(r, "a lease timed out after " + waited + " ms",
                                    this.clock.millis()));
                }
                try {
                    waiter.condition.awaitNanos(remaining);
                }
                catch (InterruptedException e) {
                    if (waiter.done) {
                        Thread.currentThread().interrupt(); // Granted anyway: use it, keep the flag.
                        break;
                    }
                    cancelLocked(waiter);
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("hotpool: interrupted while waiting for a connection to "
                            + r.route);
                }
            }
            return waiter.granted;
        }
        finally {
            settleAndUnlock();
        }
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        }
        catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }
}
