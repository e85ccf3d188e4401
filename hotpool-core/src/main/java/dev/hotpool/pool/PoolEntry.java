package dev.hotpool.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.ConnectionInfo;
import dev.hotpool.Origin;

import java.util.Locale;

/**
 * One pooled connection and its bookkeeping. Its life: {@code LEASED ⇄ IDLE → CLOSED}; once CLOSED,
 * never anything else again.
 *
 * <p>Thread-safety: {@link #state}, {@link #idleSince} and {@link #keepAliveDeadline} are guarded by the
 * pool's lock. The exchange count, the keep-alive hint and the attachment belong to whoever holds the
 * lease (one thread at a time).
 */
public final class PoolEntry {

    /** Where a connection is in its life. */
    enum State {
        /** In the pool, ready to be leased. */
        IDLE,
        /** Handed out; comes back through release or discard. */
        LEASED,
        /** Taken out of the idle list by the health check; comes back through returnChecked or discard. */
        CHECKING,
        /** Closed; never used again. */
        CLOSED
    }

    private final long id;
    final HostPool host;
    private final PooledSocket socket;
    final long createdAt;
    /** Past this instant (epoch millis, jittered) the connection is closed instead of reused. */
    final long lifetimeDeadline;

    /** Guarded by the pool lock. */
    State state = State.LEASED;
    /** Guarded by the pool lock: when it last became idle (epoch millis). */
    long idleSince;
    /** Guarded by the pool lock: the server's keep-alive hint turned into a deadline (epoch millis). */
    long keepAliveDeadline = Long.MAX_VALUE;

    /** The leak watch of the current lease: set by the leasing thread, ended by the pool. */
    volatile LeakDetector.Watch leakWatch = LeakDetector.Watch.NONE;

    /**
     * Set when the connection's address was ejected or left DNS: it closes with this reason instead of going
     * back to the pool. Guarded by the pool lock.
     */
    CloseReason retiring;

    /** System.nanoTime() when the current lease began, 0 when not leased by a caller. Guarded by the pool lock. */
    long leasedAtNanos;

    private int exchanges;
    private boolean reused;
    private long keepAliveHintMillis = -1;
    private Object attachment;

    PoolEntry(long id, HostPool host, PooledSocket socket, long createdAt, long lifetimeDeadline) {
        this.id = id;
        this.host = host;
        this.socket = socket;
        this.createdAt = createdAt;
        this.lifetimeDeadline = lifetimeDeadline;
    }

    public long id() {
        return this.id;
    }

    public Route route() {
        return this.host.route;
    }

    public Origin origin() {
        return this.host.route.origin();
    }

    public PooledSocket socket() {
        return this.socket;
    }

    /** Exchanges started on this connection, the current one included. */
    public int exchanges() {
        return this.exchanges;
    }

    /** Counts the start of an exchange. */
    public void beginExchange() {
        this.exchanges++;
    }

    /**
     * Whether the current lease took a connection that already existed (idle in the pool, warmed, or handed
     * over), rather than one opened for it: such a connection may have been closed by the server meanwhile.
     */
    public boolean reused() {
        return this.reused;
    }

    void leased(boolean fromPool) {
        this.reused = fromPool;
    }

    /**
     * The server's idle limit for this connection (from {@code Keep-Alive: timeout=N}), already shortened by
     * the caller's safety margin; applied when the connection goes back to the pool. {@code -1}: none.
     */
    public void keepAliveHint(long millis) {
        this.keepAliveHintMillis = millis;
    }

    long keepAliveHintMillis() {
        return this.keepAliveHintMillis;
    }

    /** Per-connection state of the protocol layer (its buffers); the pool never looks at it. */
    public Object attachment() {
        return this.attachment;
    }

    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    /** The connection as the endpoint shows it. Under the pool lock (its state and idle time are guarded by it). */
    ConnectionInfo infoLocked(long now) {
        return new ConnectionInfo(this.id, this.socket.remote().getAddress().getHostAddress() + ":"
                + this.socket.remote().getPort(), this.state.name().toLowerCase(Locale.ROOT), now - this.createdAt,
                this.state == State.LEASED ? 0 : now - this.idleSince, this.exchanges, this.socket.profile(),
                this.socket.protocol(), this.socket.cipherSuite());
    }

    @Override
    public String toString() {
        return "#" + this.id + " " + this.host.route.origin() + " via " + this.socket;
    }
}
