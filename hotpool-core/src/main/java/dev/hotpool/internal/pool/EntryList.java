package dev.hotpool.internal.pool;

/**
 * A doubly linked list of connections threaded through the connections' own links, so that adding at either end,
 * taking from either end and unlinking any member cost O(1) and allocate nothing. Each {@link Kind} of list uses
 * its own pair of links, so a connection can be in one list of each kind at once.
 *
 * <p>Not thread-safe: every list belongs to a {@link ConnectionPool} and is guarded by its lock.
 */
final class EntryList {

    /** Which pair of a connection's links a list uses. */
    enum Kind {
        /** A route's idle connections, newest first. */
        ROUTE_IDLE,
        /** Every idle connection of the pool, least recently used first. */
        POOL_IDLE,
        /** Every open or opening connection of a route. */
        ROUTE_MEMBERS;

        static final int LINKS = values().length * 2;
    }

    private final int prev;
    private final int next;
    private PoolEntry first;
    private PoolEntry last;
    private int size;

    EntryList(Kind kind) {
        this.prev = kind.ordinal() * 2;
        this.next = this.prev + 1;
    }

    PoolEntry first() {
        return this.first;
    }

    PoolEntry last() {
        return this.last;
    }

    /** The member after {@code e}, towards the last, or {@code null}. */
    PoolEntry next(PoolEntry e) {
        return e.links[this.next];
    }

    /** The member before {@code e}, towards the first, or {@code null}. */
    PoolEntry previous(PoolEntry e) {
        return e.links[this.prev];
    }

    int size() {
        return this.size;
    }

    boolean isEmpty() {
        return this.size == 0;
    }

    void addFirst(PoolEntry e) {
        e.links[this.prev] = null;
        e.links[this.next] = this.first;
        if (this.first == null) {
            this.last = e;
        }
        else {
            this.first.links[this.prev] = e;
        }
        this.first = e;
        this.size++;
    }

    void addLast(PoolEntry e) {
        e.links[this.next] = null;
        e.links[this.prev] = this.last;
        if (this.last == null) {
            this.first = e;
        }
        else {
            this.last.links[this.next] = e;
        }
        this.last = e;
        this.size++;
    }

    /** Unlinks a member of this list (the caller knows it is one: its state says so). */
    void remove(PoolEntry e) {
        PoolEntry p = e.links[this.prev];
        PoolEntry n = e.links[this.next];
        if (p == null) {
            this.first = n;
        }
        else {
            p.links[this.next] = n;
        }
        if (n == null) {
            this.last = p;
        }
        else {
            n.links[this.prev] = p;
        }
        e.links[this.prev] = null;
        e.links[this.next] = null;
        this.size--;
    }

    /** Whether {@code e} is in this list: a walk, for the ledger's full check only. */
    boolean containsByWalk(PoolEntry e) {
        for (PoolEntry x = this.first; x != null; x = next(x)) {
            if (x == e) {
                return true;
            }
        }
        return false;
    }
}
