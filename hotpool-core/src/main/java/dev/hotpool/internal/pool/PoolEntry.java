package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.ConnectionInfo;
import dev.hotpool.net.AddressFilter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One connection of the pool and its bookkeeping. Its life: {@code CONNECTING → LEASED ⇄ IDLE ⇄ CHECKING}, and from
 * any of them {@code CLOSED}; once CLOSED, never anything else again. It is created when a slot is reserved for it
 * (CONNECTING, no transport yet) and gets its transport once when the connect succeeds.
 *
 * <p>A multiplexed connection ({@link #multiplex()} not {@code null}) is leased by the stream: each lease is a
 * {@link StreamLease} in {@link #streams}, and the connection is LEASED while it has any, IDLE when it has none. It
 * takes new streams while its session accepts them, below the session's limit, until it is {@link #draining}.
 *
 * <p>Thread-safety: {@link #state}, the times, {@link #retiring}, {@link #draining}, the streams and the links are
 * guarded by the pool's lock and changed only by the pool (the state only through its {@link Ledger}). The exchange
 * count, the keep-alive hint and the attachment of a connection leased whole belong to whoever holds the lease (one
 * thread at a time); a multiplexed connection's exchange count is its streams', counted under the lock.
 */
final class PoolEntry extends Held implements Admission, Multiplex.Events {

    /** Where a connection is in its life. */
    enum State {
        /** A slot is reserved and the connect is under way, outside the lock. */
        CONNECTING,
        /** In the pool, ready to be leased. */
        IDLE,
        /** Handed out; comes back through release or discard. */
        LEASED,
        /** Being checked by the health check; stays linked in the idle lists where it was, but is not leased. */
        CHECKING,
        /** Closed; never used again. */
        CLOSED
    }

    final long id;
    final RoutePool route;
    private final ConnectionPool pool;
    /** Set once, under the lock, when the connect succeeded; {@code null} while CONNECTING or if it failed. */
    private Transport transport;

    /** Guarded by the pool lock; changed by the {@link Ledger} only. */
    State state = State.CONNECTING;
    /** Guarded by the pool lock: epoch millis of the connect. */
    long createdAt;
    /** Guarded by the pool lock: past this instant (epoch millis, jittered) it is closed instead of reused. */
    long lifetimeDeadline = Long.MAX_VALUE;
    /** Guarded by the pool lock: when it last became idle (epoch millis). */
    long idleSince;
    /** Guarded by the pool lock: the server's keep-alive hint turned into a deadline (epoch millis). */
    long keepAliveDeadline = Long.MAX_VALUE;
    /** Guarded by the pool lock: whether it has gone back to the pool after an exchange (its idle time is real). */
    boolean idledOnce;
    /** Guarded by the pool lock: how long it had been idle when this lease took it from the idle list; 0: it was not. */
    long idleAtLease;
    /**
     * Set when the connection's address was ejected or left DNS: it closes with this reason instead of going back to
     * the pool. Guarded by the pool lock.
     */
    CloseReason retiring;
    /**
     * Set when a multiplexed connection takes no new streams (its session drains, or it reached its lifetime or
     * request limit): it closes with this reason once its last stream ends. Guarded by the pool lock.
     */
    CloseReason draining;
    /** The multiplexed session, set once under the pool lock when the connect succeeded; {@code null}: not one. */
    private Multiplex mux;
    /** The leased streams of a multiplexed connection; made on first use. Guarded by the pool lock. */
    private ArrayList<StreamLease> streams;
    /** Links of the {@link EntryList}s it is in, two per {@link EntryList.Kind}. Guarded by the pool lock. */
    final PoolEntry[] links = new PoolEntry[EntryList.Kind.LINKS];

    private int exchanges;
    private long keepAliveHintMillis = -1;
    private Object attachment;

    PoolEntry(long id, RoutePool route, ConnectionPool pool) {
        this.id = id;
        this.route = route;
        this.pool = pool;
    }

    /** The connect succeeded. Under the pool lock. */
    void opened(Transport transport, long now, long lifetimeDeadline) {
        this.transport = transport;
        this.createdAt = now;
        this.idleSince = now;
        this.lifetimeDeadline = lifetimeDeadline;
    }

    Transport transport() {
        return this.transport;
    }

    @Override
    PoolEntry connection() {
        return this;
    }

    // ---- multiplexed connections: under the pool lock ---------------------------------------------------------

    /** The connect succeeded with a multiplexed session. */
    void multiplexed(Multiplex session) {
        this.mux = session;
    }

    /**
     * Whether the multiplexed connection takes one more stream now: its session accepts them, it is not draining or
     * retiring, it is IDLE or LEASED, and it has fewer streams than the session's limit. Its lifetime is the caller's.
     */
    boolean takesStream() {
        return this.mux != null && this.draining == null && this.retiring == null
                && (this.state == State.IDLE || this.state == State.LEASED) && streamCount() < this.mux.streamLimit()
                && this.mux.accepting();
    }

    int streamCount() {
        return this.streams == null ? 0 : this.streams.size();
    }

    /** A new stream lease on this connection, counted as an exchange. */
    StreamLease addStream(ConnectionPool pool) {
        StreamLease s = new StreamLease(this, pool);
        if (this.streams == null) {
            this.streams = new ArrayList<>(4);
        }
        this.streams.add(s);
        this.exchanges++;
        return s;
    }

    /** A stream lease ended; false when it was not one of this connection's open streams. */
    boolean removeStream(StreamLease s) {
        return this.streams != null && this.streams.remove(s);
    }

    /** The leased streams, for the pool's reports and checks; empty for a connection leased whole. */
    List<StreamLease> streams() {
        return this.streams == null ? List.of() : this.streams;
    }

    // ---- Multiplex.Events: what the session tells the pool ---------------------------------------------------------

    @Override
    public void limitChanged() {
        this.pool.streamLimitChanged(this);
    }

    @Override
    public void draining(CloseReason reason) {
        this.pool.sessionDraining(this, reason);
    }

    /**
     * Why this idle connection must not be reused at {@code now} (under its route's idle timeout), or {@code null}.
     * Under the pool lock.
     */
    CloseReason expiry(long now) {
        if (now >= this.lifetimeDeadline) {
            return CloseReason.MAX_LIFETIME;
        }
        if (now - this.idleSince >= this.route.idleTimeoutMillis() || now >= this.keepAliveDeadline) {
            return CloseReason.IDLE_TIMEOUT;
        }
        return null;
    }

    /** Whether the address filters (the pool's and the route's) still allow this connection's address. */
    boolean allowedBy(AddressFilter poolFilter) {
        return this.route.route().admits(this.transport.remote().getAddress(), poolFilter);
    }

    /** Starts the idle time on release, with the server's keep-alive hint. Under the pool lock. */
    void becameIdle(long now) {
        this.idleSince = now;
        this.idledOnce = true;
        this.idleAtLease = 0;
        this.keepAliveDeadline = this.keepAliveHintMillis >= 0 ? now + this.keepAliveHintMillis : Long.MAX_VALUE;
    }

    // ---- Lease: the protocol layer's view -----------------------------------------------------------------------

    @Override
    public InputStream in() {
        return this.transport.in();
    }

    @Override
    public OutputStream out() {
        return this.transport.out();
    }

    @Override
    public void soTimeout(int millis) throws IOException {
        this.transport.soTimeout(millis);
    }

    @Override
    public int soTimeout() {
        return this.transport.soTimeout();
    }

    @Override
    public int exchanges() {
        return this.exchanges;
    }

    @Override
    public void beginExchange() {
        this.exchanges++;
    }

    @Override
    public Multiplex multiplex() {
        return this.mux;
    }

    @Override
    public void keepAliveHint(long millis) {
        this.keepAliveHintMillis = millis;
    }

    @Override
    public Object attachment() {
        return this.attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public void release() {
        this.pool.release(this);
    }

    @Override
    public void discard(CloseReason reason) {
        this.pool.discard(this, reason);
    }

    @Override
    public void abort() {
        Transport t = this.transport;
        if (t != null) {
            t.abort();
        }
    }

    /**
     * The connection as the endpoint shows it: for a multiplexed (HTTP/2) one, {@code h2} with its leased streams and
     * its session's limit now. Under the pool lock; only for connections with a transport.
     */
    ConnectionInfo infoLocked(long now) {
        Multiplex m = this.mux;
        return new ConnectionInfo(this.id, this.transport.remote().getAddress().getHostAddress() + ":"
                + this.transport.remote().getPort(), this.state.name().toLowerCase(Locale.ROOT), now - this.createdAt,
                this.state == State.LEASED ? 0 : now - this.idleSince, this.exchanges, this.transport.profile(),
                this.transport.protocol(), this.transport.cipherSuite(), m != null ? "h2" : "http/1.1",
                m != null ? streamCount() : null, m != null ? m.streamLimit() : null);
    }

    @Override
    public String toString() {
        return "#" + this.id + " " + this.route.route() + (this.transport != null ? " via " + this.transport : "");
    }
}
