package dev.hotpool.pool;

import dev.hotpool.AcquireTimeoutException;
import dev.hotpool.CloseReason;
import dev.hotpool.ConnectionInfo;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.metrics.PoolListener;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: leases connections per route under the per-host and global limits and takes them back.
 *
 * <ol>
 * <li>A lease takes the newest idle connection of its route (LIFO) that has not expired; one idle longer
 * than {@code validate-after-inactivity} gets a 1 ms liveness read first, outside the lock.</li>
 * <li>Otherwise, under both limits, it reserves a slot and connects outside the lock. At the global limit
 * it closes the oldest idle connection of another route to make room.</li>
 * <li>Otherwise it waits in its route's FIFO line until a released connection is handed to it, a slot is
 * granted, or the acquire timeout passes. The line is bounded by {@code max-pending-acquires}.</li>
 * </ol>
 *
 * <p>Thread-safe. One {@link ReentrantLock} guards all counts and queues (no intrinsic monitor, which
 * would pin virtual threads); it is never held during I/O: connecting, liveness reads and closing sockets
 * all happen outside it. Time for expiry comes from the configured {@link Clock}.
 */
public final class ConnectionPool {

    private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

    private final HotPoolConfig config;
    private final Connector connector;
    private final PoolListener listener;
    private final Clock clock;
    private final int maxConnections;
    private final int maxConnsPerHost;
    private final int maxIdleConns;
    private final int maxPendingAcquires;
    private final long idleTimeoutMillis;
    private final long maxLifetimeMillis;
    private final long validateAfterMillis;

    private final LeakDetector leakDetector;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a leased connection comes back after close() began, for the graceful wait. */
    private final Condition returned = this.lock.newCondition();

    /** Guarded by lock. Insertion-ordered so waiting routes are served in a stable order. */
    private final Map<Route, HostPool> hosts = new LinkedHashMap<>();
    /** Guarded by lock: every connection not yet closed, to abort leased ones on shutdown. */
    private final Set<PoolEntry> open = new HashSet<>();
    /**
     * Guarded by lock: connections marked closed whose sockets are still open. The thread that marked them
     * takes them on its way out of the lock and closes them after unlocking (no list per lease or release).
     */
    private List<PoolEntry> closing = new ArrayList<>();
    /** Guarded by lock. */
    private final long[] closedByReason = new long[CloseReason.values().length];
    /** Guarded by lock. */
    private int total;
    private int leased;
    private int idle;
    private int connecting;
    private int pending;
    private int checking;
    private long created;
    private long acquireTimeouts;
    private long nextId;
    /** Counted without the lock, so a lease from the idle list takes it once. */
    private final LongAdder leases = new LongAdder();
    private final LongAdder reusedLeases = new LongAdder();
    /** Guarded by lock. Once true, always true. */
    private boolean closed;

    public ConnectionPool(HotPoolConfig config, Connector connector, PoolListener listener) {
        this.config = config;
        this.connector = connector;
        this.listener = listener;
        this.clock = config.clock();
        this.maxConnections = config.maxConnections();
        this.maxConnsPerHost = config.maxConnsPerHost();
        this.maxIdleConns = config.maxIdleConns();
        this.maxPendingAcquires = config.maxPendingAcquires();
        this.idleTimeoutMillis = config.idleTimeout().toMillis();
        this.maxLifetimeMillis = config.maxLifetime().toMillis();
        this.validateAfterMillis = config.validateAfterInactivity().toMillis();
        this.leakDetector = new LeakDetector(config.name(), config.leakDetectionThreshold());
    }

    /**
     * Leases a connection for the route, waiting up to {@code acquireTimeout}.
     *
     * @throws AcquireTimeoutException when none could be had in time, or the line of waiting leases is full
     * @throws HotPoolException when the pool is closed, or connecting failed
     */
    public PoolEntry lease(Route route, Duration acquireTimeout, int connectTimeoutMillis, int readTimeoutMillis)
            throws IOException {
        return lease(route, LeaseMode.ANY, acquireTimeout, connectTimeoutMillis, readTimeoutMillis);
    }

    /**
     * Leases a connection of the given kind for the route, waiting up to {@code acquireTimeout}.
     *
     * @throws AcquireTimeoutException when none could be had in time, or the line of waiting leases is full
     * @throws HotPoolException when the pool is closed, or connecting failed
     */
    public PoolEntry lease(Route route, LeaseMode mode, Duration acquireTimeout, int connectTimeoutMillis,
            int readTimeoutMillis) throws IOException {
        long start = System.nanoTime();
        long timeoutNanos = saturatedNanos(acquireTimeout);
        while (true) {
            PoolEntry candidate = null;
            boolean connect = false;
            Waiter waiter = null;
            HostPool host;
            long now = this.clock.millis();
            this.lock.lock();
            try {
                ensureOpen(route);
                host = this.hosts.computeIfAbsent(route, HostPool::new);
                PoolEntry e;
                while (mode == LeaseMode.ANY && (e = host.idle.peekFirst()) != null) {
                    CloseReason expiry = expiry(e, now);
                    if (expiry != null) {
                        closeLocked(e, expiry);
                        continue;
                    }
                    host.idle.pollFirst();
                    this.idle--;
                    e.state = PoolEntry.State.LEASED;
                    host.leased++;
                    this.leased++;
                    candidate = e;
                    break;
                }
                if (candidate == null) {
                    if (mode == LeaseMode.NEW_CONNECTION && host.allocated >= this.maxConnsPerHost
                            && host.oldestIdle() != null) {
                        closeLocked(host.oldestIdle(), CloseReason.EVICTED); // Room for the fresh one.
                    }
                    if (host.waiters.isEmpty() && hasRoomLocked(host)) {
                        reserveLocked(host);
                        connect = true;
                    }
                    else if (host.waiters.size() >= this.maxPendingAcquires) {
                        this.acquireTimeouts++;
                        this.listener.acquireFailed(route.origin());
                        throw new AcquireTimeoutException("hotpool: too many leases waiting for " + route + " ("
                                + host.waiters.size() + " waiting, hotpool.max-pending-acquires="
                                + this.maxPendingAcquires + "); " + countsLocked(host));
                    }
                    else {
                        waiter = new Waiter(this.lock.newCondition());
                        host.waiters.addLast(waiter);
                        this.pending++;
                    }
                }
                if (!this.closing.isEmpty()) {
                    dispatchLocked();
                }
            }
            finally {
                unlockAndClose();
            }

            if (candidate != null) {
                if (now - candidate.idleSince > this.validateAfterMillis && !candidate.socket().isAlive()) {
                    discard(candidate, CloseReason.STALE);
                    continue;
                }
                return granted(candidate, true /* reused */, start);
            }
            if (connect) {
                return connectNew(host, connectTimeoutMillis, readTimeoutMillis, start);
            }
            await(host, waiter, start, timeoutNanos);
            if (waiter.entry != null) {
                return granted(waiter.entry, true /* reused */, start);
            }
            return connectNew(host, connectTimeoutMillis, readTimeoutMillis, start);
        }
    }

    /**
     * Takes a connection back for reuse: handed to the oldest waiter of its route, or kept idle. Closed
     * instead when the pool is closed or the connection has outlived its lifetime.
     */
    public void release(PoolEntry entry) {
        long now = this.clock.millis();
        this.lock.lock();
        try {
            if (entry.state != PoolEntry.State.LEASED) {
                return; // Closed by the pool in the meantime.
            }
            endLease(entry);
            if (this.closed) {
                closeLocked(entry, CloseReason.SHUTDOWN);
                return;
            }
            if (now >= entry.lifetimeDeadline || entry.retiring != null) {
                closeLocked(entry, entry.retiring != null ? entry.retiring : CloseReason.MAX_LIFETIME);
                dispatchLocked();
                return;
            }
            long hint = entry.keepAliveHintMillis();
            entry.keepAliveDeadline = hint >= 0 ? now + hint : Long.MAX_VALUE;
            entry.idleSince = now;
            HostPool host = entry.host;
            Waiter waiter = host.waiters.pollFirst();
            if (waiter != null) {
                this.pending--;
                waiter.entry = entry; // Stays LEASED: handed straight over.
                waiter.done = true;
                waiter.condition.signal();
                return;
            }
            entry.state = PoolEntry.State.IDLE;
            host.leased--;
            this.leased--;
            host.idle.addFirst(entry);
            this.idle++;
            if (this.pending > 0) {
                dispatchLocked();
            }
            while (this.idle > this.maxIdleConns) {
                PoolEntry oldest = oldestIdleLocked(null);
                closeLocked(oldest, CloseReason.EVICTED);
            }
        }
        finally {
            unlockAndClose();
        }
    }

    /** Closes a leased connection that must not be reused, and lets a waiter have its slot. */
    public void discard(PoolEntry entry, CloseReason reason) {
        this.lock.lock();
        try {
            if (entry.state == PoolEntry.State.CLOSED) {
                entry.socket().close();
                return;
            }
            closeLocked(entry, this.closed ? CloseReason.SHUTDOWN : reason);
            dispatchLocked();
        }
        finally {
            unlockAndClose();
        }
    }

    /** Closes the idle connections of one origin, or of all when {@code origin} is {@code null}; returns how many. */
    public int evictIdle(Origin origin) {
        int closed;
        this.lock.lock();
        try {
            for (HostPool host : this.hosts.values()) {
                if (origin == null || host.route.origin().equals(origin)) {
                    while (!host.idle.isEmpty()) {
                        closeLocked(host.idle.peekFirst(), CloseReason.EVICTED);
                    }
                }
            }
            dispatchLocked();
        }
        finally {
            closed = unlockAndClose();
        }
        return closed;
    }

    public PoolStats stats() {
        this.lock.lock();
        try {
            Map<CloseReason, Long> closed = new EnumMap<>(CloseReason.class);
            for (CloseReason r : CloseReason.values()) {
                closed.put(r, this.closedByReason[r.ordinal()]);
            }
            List<PoolStats.HostStats> hostStats = new ArrayList<>(this.hosts.size());
            for (HostPool h : this.hosts.values()) {
                hostStats.add(h.statsLocked());
            }
            return new PoolStats(this.maxConnections, this.total, this.leased, this.idle + this.checking, this.connecting,
                    this.pending, this.created, this.leases.sum(), this.reusedLeases.sum(), this.acquireTimeouts, closed,
                    hostStats);
        }
        finally {
            this.lock.unlock();
        }
    }

    public boolean isClosed() {
        this.lock.lock();
        try {
            return this.closed;
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Closes the pool gracefully: new leases fail at once, waiters are woken with an error and idle
     * connections close now; leased connections get up to {@code shutdown-timeout} to come back, then are
     * aborted (their exchanges fail). Idempotent; the state before and after is logged.
     */
    public void close() {
        List<PoolEntry> aborted = new ArrayList<>();
        PoolStats before;
        this.lock.lock();
        try {
            if (this.closed) {
                return;
            }
            before = stats();
            this.closed = true;
            for (HostPool host : this.hosts.values()) {
                while (!host.idle.isEmpty()) {
                    closeLocked(host.idle.peekFirst(), CloseReason.SHUTDOWN);
                }
                for (Waiter w : host.waiters) {
                    w.condition.signal();
                }
            }
        }
        finally {
            unlockAndClose();
        }
        long deadline = System.nanoTime() + saturatedNanos(this.config.shutdownTimeout());
        this.lock.lock();
        try {
            long remaining;
            while (this.leased > 0 && (remaining = deadline - System.nanoTime()) > 0) {
                try {
                    this.returned.awaitNanos(remaining);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            aborted.addAll(this.open); // Still leased (or being checked) after the grace period.
        }
        finally {
            this.lock.unlock();
        }
        for (PoolEntry e : aborted) {
            e.socket().abort(); // Counted as SHUTDOWN when its holder releases or discards it.
        }
        this.leakDetector.close();
        log.info("{} - closed (before: {}, after: {}{})", this.config.name(), before, stats(),
                aborted.isEmpty() ? "" : ", " + aborted.size() + " leased connection(s) aborted after hotpool.shutdown-timeout");
    }

    // ---- for the health check and warm-up ------------------------------------------------------------

    /**
     * Closes idle connections that have expired (idle timeout, keep-alive hint, max lifetime) and takes the
     * rest out of the idle lists for checking, newest first per route. Each must come back through
     * {@link #returnChecked} or {@link #discard}.
     *
     * @param closedByReason incremented per connection closed here
     */
    public List<PoolEntry> takeIdleForCheck(long now, Map<CloseReason, Integer> closedByReason) {
        List<PoolEntry> taken = new ArrayList<>();
        this.lock.lock();
        try {
            if (this.closed) {
                return taken;
            }
            for (HostPool host : this.hosts.values()) {
                for (PoolEntry e : host.idle.toArray(new PoolEntry[0])) {
                    CloseReason expiry = expiry(e, now);
                    if (expiry != null) {
                        closeLocked(e, expiry);
                        closedByReason.merge(expiry, 1, Integer::sum);
                        continue;
                    }
                    host.idle.removeFirstOccurrence(e);
                    this.idle--;
                    e.state = PoolEntry.State.CHECKING;
                    host.checking++;
                    this.checking++;
                    taken.add(e);
                }
            }
            dispatchLocked();
        }
        finally {
            unlockAndClose();
        }
        return taken;
    }

    /** Puts a connection that passed its check back at the old end of its idle list, keeping its idle time. */
    public void returnChecked(PoolEntry entry) {
        this.lock.lock();
        try {
            if (entry.state != PoolEntry.State.CHECKING) {
                return;
            }
            HostPool host = entry.host;
            CloseReason expiry = this.closed ? CloseReason.SHUTDOWN
                    : entry.retiring != null ? entry.retiring : expiry(entry, this.clock.millis());
            if (expiry != null) {
                closeLocked(entry, expiry);
            }
            else {
                host.checking--;
                this.checking--;
                entry.state = PoolEntry.State.IDLE;
                host.idle.addLast(entry);
                this.idle++;
            }
            dispatchLocked();
        }
        finally {
            unlockAndClose();
        }
    }

    /**
     * Opens one connection for a warm route when there is room under both limits (never by evicting
     * another route's connection). The caller probes it if it likes, then {@link #release releases} it into
     * the idle list. Not counted as a lease.
     *
     * @return the new connection, or {@code null} when there is no room or the pool is closed
     */
    public PoolEntry openForWarmup(Route route, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        HostPool host;
        this.lock.lock();
        try {
            if (this.closed) {
                return null;
            }
            host = this.hosts.computeIfAbsent(route, HostPool::new);
            if (host.allocated >= this.maxConnsPerHost || this.total >= this.maxConnections
                    || this.idle + this.checking + this.connecting >= this.maxIdleConns) {
                return null;
            }
            reserveLocked(host);
        }
        finally {
            this.lock.unlock();
        }
        return register(host, connect(host, connectTimeoutMillis, readTimeoutMillis));
    }

    /**
     * Retires the connections of one origin ({@code host:port}) to one address: idle ones close now, leased
     * and checked ones when they come back. Returns how many closed now.
     */
    public int retireAddress(String authority, InetAddress address, CloseReason reason) {
        return retire(host -> host.route.origin().authority().equals(authority), address::equals, reason);
    }

    /** Retires the connections to {@code host} (any port) whose address is not in {@code current}. */
    public int retireAddressesNotIn(String hostName, Collection<InetAddress> current, CloseReason reason) {
        return retire(host -> host.route.origin().host().equals(hostName), a -> !current.contains(a), reason);
    }

    private int retire(Predicate<HostPool> hosts, Predicate<InetAddress> addresses, CloseReason reason) {
        int closed;
        this.lock.lock();
        try {
            for (PoolEntry e : new ArrayList<>(this.open)) {
                if (!hosts.test(e.host) || !addresses.test(e.socket().remote().getAddress())) {
                    continue;
                }
                if (e.state == PoolEntry.State.IDLE) {
                    closeLocked(e, reason);
                }
                else {
                    e.retiring = reason;
                }
            }
            dispatchLocked();
        }
        finally {
            closed = unlockAndClose();
        }
        return closed;
    }

    /** The origins the pool has seen. */
    public Set<Origin> origins() {
        Set<Origin> origins = new java.util.LinkedHashSet<>();
        this.lock.lock();
        try {
            for (HostPool host : this.hosts.values()) {
                origins.add(host.route.origin());
            }
        }
        finally {
            this.lock.unlock();
        }
        return origins;
    }

    /** Open connections of an origin per address. */
    public Map<InetAddress, Integer> connectionsByAddress(Origin origin) {
        Map<InetAddress, Integer> counts = new LinkedHashMap<>();
        this.lock.lock();
        try {
            for (PoolEntry e : this.open) {
                if (e.origin().equals(origin)) {
                    counts.merge(e.socket().remote().getAddress(), 1, Integer::sum);
                }
            }
        }
        finally {
            this.lock.unlock();
        }
        return counts;
    }

    /** One row per open connection of the origin (all its routes), oldest first. */
    public List<ConnectionInfo> connections(Origin origin) {
        long now = this.clock.millis();
        List<ConnectionInfo> rows = new ArrayList<>();
        this.lock.lock();
        try {
            for (PoolEntry e : this.open) {
                if (e.origin().equals(origin)) {
                    rows.add(e.infoLocked(now));
                }
            }
        }
        finally {
            this.lock.unlock();
        }
        rows.sort(java.util.Comparator.comparingLong(ConnectionInfo::id));
        return rows;
    }

    /** Idle, checked and connecting connections of a route: what warm-up counts toward its minimum. */
    public int warmCount(Route route) {
        this.lock.lock();
        try {
            HostPool host = this.hosts.get(route);
            return host == null ? 0 : host.idle.size() + host.checking + host.connecting;
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public String toString() {
        return this.config.name() + " " + stats();
    }

    // ---- under the lock -------------------------------------------------------------------------------

    private void ensureOpen(Route route) throws HotPoolException {
        if (this.closed) {
            throw new HotPoolException("hotpool: pool '" + this.config.name() + "' is closed; no connection to "
                    + route + " can be leased");
        }
    }

    /** Why an idle connection must not be reused now, or {@code null} when it may be. */
    private CloseReason expiry(PoolEntry e, long now) {
        if (now >= e.lifetimeDeadline) {
            return CloseReason.MAX_LIFETIME;
        }
        if (now - e.idleSince >= this.idleTimeoutMillis || now >= e.keepAliveDeadline) {
            return CloseReason.IDLE_TIMEOUT;
        }
        return null;
    }

    /** Whether the route may open one more connection, closing another route's oldest idle one if needed. */
    private boolean hasRoomLocked(HostPool host) {
        if (host.allocated >= this.maxConnsPerHost) {
            return false;
        }
        if (this.total < this.maxConnections) {
            return true;
        }
        PoolEntry victim = oldestIdleLocked(host);
        if (victim == null) {
            return false;
        }
        closeLocked(victim, CloseReason.EVICTED);
        return true;
    }

    private void reserveLocked(HostPool host) {
        host.allocated++;
        host.connecting++;
        this.total++;
        this.connecting++;
    }

    /** The least recently used idle connection of any route but {@code except}, or {@code null}. */
    private PoolEntry oldestIdleLocked(HostPool except) {
        PoolEntry oldest = null;
        for (HostPool h : this.hosts.values()) {
            if (h == except) {
                continue;
            }
            PoolEntry e = h.oldestIdle();
            if (e != null && (oldest == null || e.idleSince < oldest.idleSince)) {
                oldest = e;
            }
        }
        return oldest;
    }

    /**
     * Unlocks, then closes the sockets of the connections marked closed under this hold of the lock; an inner
     * hold (the lock is reentrant) leaves them to the outer one. Returns how many sockets it closed.
     */
    private int unlockAndClose() {
        List<PoolEntry> doomed = List.of();
        if (!this.closing.isEmpty() && this.lock.getHoldCount() == 1) {
            doomed = this.closing;
            this.closing = new ArrayList<>();
        }
        this.lock.unlock();
        for (int i = 0; i < doomed.size(); i++) {
            doomed.get(i).socket().close();
        }
        return doomed.size();
    }

    /** Marks a connection closed and updates the counts; its socket is closed by the caller, after unlocking. */
    private void closeLocked(PoolEntry e, CloseReason reason) {
        HostPool host = e.host;
        switch (e.state) {
            case IDLE -> {
                host.idle.removeFirstOccurrence(e);
                this.idle--;
            }
            case LEASED -> {
                endLease(e);
                host.leased--;
                this.leased--;
                if (this.closed) {
                    this.returned.signalAll();
                }
            }
            case CHECKING -> {
                host.checking--;
                this.checking--;
            }
            case CLOSED -> {
                return;
            }
        }
        e.state = PoolEntry.State.CLOSED;
        host.load.add(e.socket().remote().getAddress(), -1);
        host.allocated--;
        this.total--;
        this.open.remove(e);
        this.closedByReason[reason.ordinal()]++;
        this.listener.connectionClosed(host.route.origin(), reason);
        this.closing.add(e);
        if (log.isDebugEnabled()) {
            log.debug("{} - closing {} ({}, {} exchanges)", this.config.name(), e, reason, e.exchanges());
        }
    }

    /**
     * Gives waiting leases what has become available: an idle connection of their route, or a slot (closing
     * another route's oldest idle connection at the global limit). Oldest waiter of each route first.
     */
    private void dispatchLocked() {
        if (this.pending == 0) {
            return;
        }
        long now = this.clock.millis();
        for (HostPool host : this.hosts.values()) {
            while (!host.waiters.isEmpty()) {
                PoolEntry idleEntry = host.idle.peekFirst();
                if (idleEntry != null) {
                    CloseReason expiry = expiry(idleEntry, now);
                    if (expiry != null) {
                        closeLocked(idleEntry, expiry);
                        continue;
                    }
                    host.idle.pollFirst();
                }
                Waiter w;
                if (idleEntry != null) {
                    this.idle--;
                    idleEntry.state = PoolEntry.State.LEASED;
                    host.leased++;
                    this.leased++;
                    w = host.waiters.pollFirst();
                    w.entry = idleEntry;
                }
                else if (hasRoomLocked(host)) {
                    reserveLocked(host);
                    w = host.waiters.pollFirst();
                    w.permit = true;
                }
                else {
                    break;
                }
                this.pending--;
                w.done = true;
                w.condition.signal();
            }
        }
    }

    private String countsLocked(HostPool host) {
        return "per-host " + host.allocated + "/" + this.maxConnsPerHost + ": " + host.leased + " leased, "
                + host.idle.size() + " idle, " + host.connecting + " connecting, " + host.waiters.size()
                + " waiting; pool " + this.total + "/" + this.maxConnections + ": " + this.leased + " leased, "
                + this.idle + " idle, " + this.pending + " waiting";
    }

    // ---- outside the lock -----------------------------------------------------------------------------

    private void await(HostPool host, Waiter waiter, long start, long timeoutNanos) throws IOException {
        this.lock.lock();
        try {
            while (!waiter.done) {
                if (this.closed) {
                    host.waiters.remove(waiter);
                    this.pending--;
                    ensureOpen(host.route);
                }
                long remaining = timeoutNanos - (System.nanoTime() - start);
                if (remaining <= 0) {
                    host.waiters.remove(waiter);
                    this.pending--;
                    this.acquireTimeouts++;
                    this.listener.acquireFailed(host.route.origin());
                    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    throw new AcquireTimeoutException("hotpool: no connection to " + host.route + " within " + waited
                            + " ms (" + countsLocked(host) + "); raise hotpool.max-conns-per-host or "
                            + "hotpool.acquire-timeout, or check that responses are closed");
                }
                try {
                    waiter.condition.awaitNanos(remaining);
                }
                catch (InterruptedException e) {
                    if (waiter.done) {
                        Thread.currentThread().interrupt(); // Granted anyway: use it, keep the flag.
                        return;
                    }
                    host.waiters.remove(waiter);
                    this.pending--;
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("hotpool: interrupted while waiting for a connection to "
                            + host.route);
                }
            }
        }
        finally {
            this.lock.unlock();
        }
    }

    private PoolEntry connectNew(HostPool host, int connectTimeoutMillis, int readTimeoutMillis, long start)
            throws IOException {
        PoolEntry entry = register(host, connect(host, connectTimeoutMillis, readTimeoutMillis));
        return granted(entry, false /* new connection */, start);
    }

    /** Connects for a reserved slot; on failure gives the slot back (to a waiter, if any) and rethrows. */
    private PooledSocket connect(HostPool host, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        try {
            return this.connector.connect(host.route, host.load, connectTimeoutMillis, readTimeoutMillis);
        }
        catch (IOException | RuntimeException | Error e) {
            this.lock.lock();
            try {
                host.allocated--;
                host.connecting--;
                this.total--;
                this.connecting--;
                dispatchLocked();
            }
            finally {
                unlockAndClose();
            }
            throw e;
        }
    }

    /** Turns a new socket in a reserved slot into a LEASED entry; closes it if the pool closed meanwhile. */
    private PoolEntry register(HostPool host, PooledSocket socket) throws HotPoolException {
        long now = this.clock.millis();
        PoolEntry entry;
        this.lock.lock();
        try {
            host.connecting--;
            this.connecting--;
            if (this.closed) {
                host.allocated--;
                this.total--;
                this.closedByReason[CloseReason.SHUTDOWN.ordinal()]++;
                this.listener.connectionClosed(host.route.origin(), CloseReason.SHUTDOWN);
                socket.close();
                ensureOpen(host.route);
            }
            long jitter = (long) (this.maxLifetimeMillis * 0.025 * ThreadLocalRandom.current().nextDouble());
            entry = new PoolEntry(++this.nextId, host, socket, now, now + this.maxLifetimeMillis - jitter);
            entry.idleSince = now;
            host.leased++;
            this.leased++;
            host.created++;
            this.created++;
            this.open.add(entry);
            this.listener.connectionOpened(host.route.origin(), socket.remote().getAddress());
            if (log.isDebugEnabled()) {
                log.debug("{} - opened {}", this.config.name(), entry);
            }
        }
        finally {
            this.lock.unlock();
        }
        return entry;
    }

    /** Ends a lease that is over: its leak watch, and the usage event. Under the lock. */
    private void endLease(PoolEntry entry) {
        if (entry.leasedAtNanos != 0) {
            this.listener.released(entry.origin(), System.nanoTime() - entry.leasedAtNanos);
            entry.leasedAtNanos = 0;
        }
        LeakDetector.Watch watch = entry.leakWatch;
        if (watch != LeakDetector.Watch.NONE) {
            entry.leakWatch = LeakDetector.Watch.NONE;
            watch.end();
        }
    }

    /** Counts a lease that is about to be handed out, and watches it for leaks. */
    private PoolEntry granted(PoolEntry entry, boolean reused, long startNanos) {
        long now = System.nanoTime();
        entry.leasedAtNanos = now;
        this.listener.acquired(entry.origin(), now - startNanos, reused);
        entry.leased(reused);
        entry.leakWatch = this.leakDetector.watch(entry);
        entry.host.leases.increment();
        this.leases.increment();
        if (reused) {
            this.reusedLeases.increment();
        }
        return entry;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        }
        catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }
}
