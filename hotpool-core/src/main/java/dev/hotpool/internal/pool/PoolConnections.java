package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.internal.pool.PoolEntry.State;
import dev.hotpool.metrics.PoolListener;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's connections as a whole: every IDLE connection of the pool (and those CHECKING in place) in one list, least
 * recently used first, and the moves of a connection that change that list, its route's lists and the {@link Ledger}'s
 * counts together, so none of them is ever changed without the others: taken from idle, put back idle, opened,
 * closed. A connection closed here is reported, its route learns from it when its server closed it, and its socket is
 * queued to be closed after the pool's lock ({@link #drainClosing()}).
 *
 * <p>It decides nothing about limits: which connection to evict, when to trim, who gets room is the
 * {@link ConnectionPool}'s, which one route's connection to take is the {@link RoutePool}'s.
 *
 * <p>Not thread-safe: guarded by the pool's lock.
 */
final class PoolConnections {

    /** The pool's log: its lines keep their logger. */
    private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

    private final String poolName;
    private final int maxRequestsPerConnection;
    private final Ledger ledger;
    private final LeaseEvents leases;
    private final PoolListener listener;
    private final Clock clock;
    /** The idle limits servers were seen closing connections at, per origin (see {@link RoutePool#closedByServer}). */
    private final ServerIdleLimits serverIdleLimits;
    /** Every IDLE connection (and those CHECKING in place), least recently used first. */
    private final EntryList lru = new EntryList(EntryList.Kind.POOL_IDLE);
    /**
     * Connections marked closed whose transports are still open. The thread that marked them takes them on its way out
     * of the lock and closes them after unlocking.
     */
    private List<Closing> closing = new ArrayList<>();

    PoolConnections(HotPoolConfig config, Ledger ledger, LeaseEvents leases, PoolListener listener,
            ServerIdleLimits serverIdleLimits) {
        this.poolName = config.name();
        this.maxRequestsPerConnection = config.maxRequestsPerConnection();
        this.ledger = ledger;
        this.leases = leases;
        this.listener = listener;
        this.clock = config.clock();
        this.serverIdleLimits = serverIdleLimits;
    }

    /**
     * Why a LEASED connection that came back must not be reused: its address was retired, it outlived its lifetime,
     * or it served {@code max-requests-per-connection} exchanges; {@code null} when it may be.
     */
    CloseReason endOfUse(PoolEntry e, long now) {
        return e.retiring != null ? e.retiring : now >= e.lifetimeDeadline ? CloseReason.MAX_LIFETIME
                : this.maxRequestsPerConnection > 0 && e.exchanges() >= this.maxRequestsPerConnection
                        ? CloseReason.MAX_REQUESTS : null;
    }

    /**
     * Why a multiplexed connection whose stream ended takes no new one: its address was retired or it outlived its
     * lifetime; {@code null} when it may. (Its requests are counted as its streams begin: {@link #lastRequest}.)
     */
    CloseReason endOfStreams(PoolEntry e, long now) {
        return e.retiring != null ? e.retiring : now >= e.lifetimeDeadline ? CloseReason.MAX_LIFETIME : null;
    }

    /** Whether a multiplexed connection has begun its last stream under {@code max-requests-per-connection}. */
    boolean lastRequest(PoolEntry e) {
        return this.maxRequestsPerConnection > 0 && e.exchanges() >= this.maxRequestsPerConnection;
    }

    /** Every IDLE connection of the pool and those CHECKING in place, least recently used first. */
    EntryList idle() {
        return this.lru;
    }

    /** The least recently used IDLE connection of the pool (one being checked is skipped), or {@code null}. */
    PoolEntry oldestIdle() {
        for (PoolEntry e = this.lru.first(); e != null; e = this.lru.next(e)) {
            if (e.state == State.IDLE) {
                return e;
            }
        }
        return null;
    }

    /** The newest usable idle connection of the route ({@link RoutePool#takeIdle}), now LEASED; or {@code null}. */
    PoolEntry takeIdle(RoutePool r, LeaseMode mode, long now, RoutePool.Closer pool) {
        PoolEntry e = r.takeIdle(mode, now, pool);
        if (e != null) {
            this.lru.remove(e);
            this.ledger.move(e, State.LEASED);
        }
        return e;
    }

    /** A LEASED connection that came back goes idle: newest of its route, most recently used of the pool. */
    void putIdle(PoolEntry e) {
        this.ledger.move(e, State.IDLE);
        e.route.pushIdle(e);
        this.lru.addLast(e);
    }

    /** An idle connection is being checked: CHECKING, where it lies in the idle lists (leases skip it meanwhile). */
    void beginCheck(PoolEntry e) {
        this.ledger.move(e, State.CHECKING);
    }

    /** A connection checked in place and found healthy is IDLE again where it lies, its idle time kept. */
    void endCheck(PoolEntry e) {
        this.ledger.move(e, State.IDLE);
    }

    /** A connection checked in place is LEASED, out of the idle lists, to be handed to a waiter. */
    void leaseChecked(PoolEntry e) {
        unlinkIdle(e);
        this.ledger.move(e, State.LEASED);
    }

    /** The connect of a reserved slot succeeded: counted and reported opened; still CONNECTING. */
    void opened(PoolEntry e, Transport transport, long now) {
        e.route.opened(e, transport, now);
        this.ledger.countOpen(); // Before any close: every connection counted closed was counted opened.
        this.listener.connectionOpened(e.route.route().origin(), transport.remote().getAddress());
    }

    /** The connect of a reserved slot failed: the slot is given up, its route one connection smaller. */
    void connectFailed(PoolEntry e) {
        this.ledger.move(e, State.CLOSED);
        e.route.leave(e);
    }

    /**
     * Marks a connection closed: out of the idle lists, its lease ended, counted per reason, reported, its socket
     * queued for {@link #drainClosing()}; a connection its server closed teaches its route the server's idle limit.
     *
     * @return false when it was closed already (nothing changed)
     */
    boolean close(PoolEntry e, CloseReason reason) {
        RoutePool r = e.route;
        switch (e.state) {
            case IDLE, CHECKING -> unlinkIdle(e);
            case LEASED -> this.leases.end(e);
            case CONNECTING -> {
                // A reserved slot whose connect succeeded after the pool closed: counted like any other close.
            }
            case CLOSED -> {
                return false;
            }
        }
        if (reason == CloseReason.STALE) {
            r.closedByServer(e, this.clock, this.serverIdleLimits);
        }
        this.ledger.move(e, State.CLOSED);
        this.ledger.countClose(reason);
        r.leave(e);
        Transport t = e.transport();
        if (t != null) {
            queueClose(e, t);
        }
        long ageNanos = t != null ? TimeUnit.MILLISECONDS.toNanos(Math.max(0, this.clock.millis() - e.createdAt)) : -1;
        this.listener.connectionClosed(r.route().origin(), reason, ageNanos);
        if (log.isDebugEnabled()) {
            log.debug("{} - closing {} ({}, {} exchanges)", this.poolName, e, reason, e.exchanges());
        }
        return true;
    }

    /** Queues the socket of a connection closed already, in case it is still open. */
    void closeAgain(PoolEntry e) {
        Transport t = e.transport();
        if (t != null) {
            queueClose(e, t);
        }
    }

    /** Queues a socket to close after unlocking, with its multiplexed session if it has one. */
    private void queueClose(PoolEntry e, Transport t) {
        this.closing.add(new Closing(t, e.multiplex()));
    }

    /** A socket to close after unlocking: a multiplexed connection's session first, which says GOAWAY. */
    record Closing(Transport transport, Multiplex session) {

        void close() {
            if (this.session != null) {
                this.session.close();
            }
            this.transport.close();
        }
    }

    /** The sockets queued since the last call, for the caller to close after unlocking. */
    List<Closing> drainClosing() {
        if (this.closing.isEmpty()) {
            return List.of();
        }
        List<Closing> doomed = this.closing;
        this.closing = new ArrayList<>();
        return doomed;
    }

    private void unlinkIdle(PoolEntry e) {
        e.route.unlinkIdle(e);
        this.lru.remove(e);
    }
}
