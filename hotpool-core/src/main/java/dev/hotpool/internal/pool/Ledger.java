package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.PoolStats;
import dev.hotpool.internal.pool.PoolEntry.State;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The counts of connections by state, for the pool and for each route, and the one place they change: a connection
 * changes state only through {@link #move}, which updates its route's counts and the pool's together. The ledger
 * also keeps the pool's running totals (opened, closed per reason, failed acquires).
 *
 * <p>Invariants, asserted where the counts change (the test suite runs with assertions on): for the pool and for
 * every route, {@code total = connecting + idle + leased + checking}, no count is negative,
 * {@code route total ≤ its own cap} (its host's {@code hotpool.hosts[<pattern>].max-connections}, else
 * {@code max-conns-per-host}) and {@code pool total ≤ max-connections}. {@link ConnectionPool#verify}
 * checks the rest by walking everything: the pool's counts are the sums of its routes', and the lists hold exactly
 * the connections the counts say.
 *
 * <p>Not thread-safe: guarded by the pool's lock.
 */
final class Ledger {

    /** The counts of one route, or of the whole pool. */
    static final class Counts {

        private int connecting;
        private int idle;
        private int leased;
        private int checking;
        private int total;
        private int waiting;

        int total() {
            return this.total;
        }

        int count(State state) {
            return switch (state) {
                case CONNECTING -> this.connecting;
                case IDLE -> this.idle;
                case LEASED -> this.leased;
                case CHECKING -> this.checking;
                case CLOSED -> 0;
            };
        }

        int connecting() {
            return this.connecting;
        }

        int idle() {
            return this.idle;
        }

        int leased() {
            return this.leased;
        }

        int checking() {
            return this.checking;
        }

        /** Leases waiting in line for a connection. */
        int waiting() {
            return this.waiting;
        }

        private void add(State state, int delta) {
            switch (state) {
                case CONNECTING -> this.connecting += delta;
                case IDLE -> this.idle += delta;
                case LEASED -> this.leased += delta;
                case CHECKING -> this.checking += delta;
                case CLOSED -> throw new IllegalStateException("hotpool: closed connections are not counted");
            }
        }

        boolean balanced(int limit) {
            int sum = connecting() + idle() + leased() + checking();
            return this.total == sum && this.total <= limit && this.waiting >= 0 && connecting() >= 0 && idle() >= 0
                    && leased() >= 0 && checking() >= 0;
        }

        @Override
        public String toString() {
            return this.total + " total: " + leased() + " leased, " + (idle() + checking()) + " idle, " + connecting()
                    + " connecting, " + this.waiting + " waiting";
        }
    }

    private final Counts pool = new Counts();
    private final int maxConnections;
    private final long[] closedByReason = new long[CloseReason.values().length];
    private long created;
    private long acquireFailures;

    Ledger(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** The pool's counts; read-only outside the ledger. */
    Counts pool() {
        return this.pool;
    }

    /** A slot was reserved for a new connection of the entry's route: it counts as CONNECTING from now on. */
    void reserved(PoolEntry e) {
        Counts route = e.route.counts();
        route.total++;
        route.add(State.CONNECTING, 1);
        this.pool.total++;
        this.pool.add(State.CONNECTING, 1);
        assert balanced(e.route) : "after reserving " + e + ": " + route + "; pool " + this.pool;
    }

    /** Moves a connection from its state to {@code to}; into CLOSED it leaves the totals. */
    void move(PoolEntry e, State to) {
        State from = e.state;
        assert from != State.CLOSED && from != to : "cannot move " + e + " from " + from + " to " + to;
        Counts route = e.route.counts();
        route.add(from, -1);
        this.pool.add(from, -1);
        if (to == State.CLOSED) {
            route.total--;
            this.pool.total--;
        }
        else {
            route.add(to, 1);
            this.pool.add(to, 1);
        }
        e.state = to;
        assert balanced(e.route) : "after " + e + " " + from + " → " + to + ": " + route + "; pool " + this.pool;
    }

    void waiterAdded(RoutePool r) {
        r.counts().waiting++;
        this.pool.waiting++;
    }

    void waiterLeft(RoutePool r) {
        r.counts().waiting--;
        this.pool.waiting--;
        assert r.counts().waiting >= 0 && this.pool.waiting >= 0 : r.counts() + "; pool " + this.pool;
    }

    void countOpen() {
        this.created++;
    }

    void countClose(CloseReason reason) {
        this.closedByReason[reason.ordinal()]++;
    }

    void countAcquireFailure() {
        this.acquireFailures++;
    }

    /** The pool's counts and every live route's, as one consistent snapshot. Under the pool's lock. */
    PoolStats snapshot(RouteTable routes, long leases, long reusedLeases) {
        Map<CloseReason, Long> closed = new EnumMap<>(CloseReason.class);
        for (CloseReason r : CloseReason.values()) {
            closed.put(r, this.closedByReason[r.ordinal()]);
        }
        List<PoolStats.HostStats> hosts = new ArrayList<>(routes.size());
        routes.forEach(null, r -> hosts.add(r.stats()));
        Counts c = this.pool;
        return new PoolStats(this.maxConnections, c.total(), c.leased(), c.idle() + c.checking(), c.connecting(),
                c.waiting(), this.created, leases, reusedLeases, this.acquireFailures, closed, hosts);
    }

    /** A route's counts and the pool's, for messages: {@code per-host 1/1: 1 leased, …; pool 1/5: …}. */
    String describe(RoutePool r) {
        Counts c = this.pool;
        return "per-host " + r.total() + "/" + r.maxConns() + ": " + r.counts().leased() + " leased, "
                + (r.counts().idle() + r.counts().checking()) + " idle, " + r.counts().connecting() + " connecting, "
                + r.counts().waiting() + " waiting" + r.streamsSummary() + "; pool " + c.total() + "/" + this.maxConnections + ": " + c.leased()
                + " leased, " + (c.idle() + c.checking()) + " idle, " + c.waiting() + " waiting";
    }

    /**
     * Checks every invariant by walking the pool's routes and lists (for the engine's tests; under the pool's lock):
     * each route's counts match its lists and line, the pool's counts are the sums of its routes', the pool's idle
     * list holds exactly the routes' idle connections, no live route is unused, a route with waiters has no IDLE
     * connection and is in the line for room exactly when it has per-host room, that line is kept only while the pool
     * is full, and the limits hold.
     *
     * @throws AssertionError naming the first invariant broken
     */
    void verify(RouteTable routes, EntryList lru, Set<RoutePool> needRoom, boolean poolClosed,
            boolean idleToEvict, int maxIdleConns) {
        int[] sums = new int[State.values().length];
        int[] totals = new int[3];
        routes.forEach(null, r -> {
            check(!r.removed() && !r.unused(), "a live route is removed or unused", r);
            int[] byState = new int[State.values().length];
            int members = 0;
            int sharing = 0;
            for (PoolEntry e = r.firstMember(); e != null; e = r.nextMember(e)) {
                check(e.route == r && e.state != State.CLOSED, "a member is closed or of another route: " + e, r);
                byState[e.state.ordinal()]++;
                members++;
                if (e.multiplex() != null) {
                    check((e.state == State.LEASED) == (e.streamCount() > 0), "a multiplexed connection is LEASED "
                            + "exactly while it has streams: " + e + " " + e.state + ", " + e.streamCount(), r);
                    check((e.draining == null) == r.shared().contains(e), "shared exactly while not draining: " + e, r);
                    check(poolClosed || !r.hasWaiters() || !e.takesStream(), "a stream is free while leases wait: "
                            + e, r);
                    sharing += e.draining == null ? 1 : 0;
                }
                else {
                    check(e.streamCount() == 0, "streams on a connection leased whole: " + e, r);
                }
            }
            check(sharing == r.shared().size(), "shared holds a connection that is not a member", r);
            for (State st : State.values()) {
                check(st == State.CLOSED || byState[st.ordinal()] == r.counts().count(st), st + " count", r);
                sums[st.ordinal()] += r.counts().count(st);
            }
            check(members == r.total() && r.counts().balanced(r.maxConns()), "total or per-host limit", r);
            int inIdleList = 0;
            for (PoolEntry e = r.newestIdle(); e != null; e = r.olderIdle(e)) {
                check(e.state == State.IDLE || e.state == State.CHECKING, "its idle list holds " + e, r);
                // A lease for a new connection waits for a connect under way that may multiplex, past an idle one
                // that does not.
                check(e.state != State.IDLE || !r.hasWaiters() || (e.multiplex() != null ? !e.takesStream()
                        : r.awaitsMultiplex()), "an idle connection while leases wait", r);
                check(lru.containsByWalk(e), "an idle connection is missing from the pool's idle list", r);
                inIdleList++;
            }
            check(inIdleList == r.counts().idle() + r.counts().checking(), "idle list size", r);
            check(r.waiterCount() == r.counts().waiting(), "waiting count", r);
            check(r.inRoomLine() == needRoom.contains(r), "room line flag", r);
            check(poolClosed || !r.wantsRoom() || r.inRoomLine(), "waiting with per-host room, out of the room line",
                    r);
            check(!r.inRoomLine() || r.hasWaiters(), "in the room line without waiters", r);
            check(poolClosed || r.mayMultiplex() || r.inRoomLine() == r.wantsRoom(),
                    "in the room line exactly when waiting with per-host room", r);
            totals[0] += r.total();
            totals[1] += r.counts().waiting();
            totals[2]++;
        });
        for (State st : State.values()) {
            check(st == State.CLOSED || sums[st.ordinal()] == this.pool.count(st), "pool " + st + " is not the sum",
                    null);
        }
        check(totals[0] == this.pool.total() && totals[1] == this.pool.waiting(), "pool totals are not the sums", null);
        check(totals[2] == routes.size(), "route count", null);
        check(this.pool.balanced(this.maxConnections), "pool total or global limit", null);
        check(this.pool.idle() <= maxIdleConns, "max-idle-conns", null);
        check(lru.size() == this.pool.idle() + this.pool.checking(), "pool idle list size", null);
        for (RoutePool r : needRoom) {
            check(!r.removed(), "a removed route in the room line", r);
        }
        check(poolClosed || needRoom.isEmpty() || (this.pool.total() >= this.maxConnections && !idleToEvict),
                "routes wait for room while the pool has room", null);
    }

    private void check(boolean condition, String what, RoutePool route) {
        if (!condition) {
            throw new AssertionError("hotpool: engine invariant broken: " + what + (route != null ? " (" + route + ")"
                    : "") + "; pool " + this.pool);
        }
    }

    private boolean balanced(RoutePool route) {
        return route.counts().balanced(route.maxConns()) && this.pool.balanced(this.maxConnections);
    }
}
