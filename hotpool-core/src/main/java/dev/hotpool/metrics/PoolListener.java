package dev.hotpool.metrics;

import dev.hotpool.CloseReason;
import dev.hotpool.ConnectPhase;
import dev.hotpool.Origin;

import java.net.InetAddress;

/**
 * Events of a pool's life, for metrics. Every method has an empty default; {@link #NONE} ignores all.
 *
 * <p>Implementations must be thread-safe and fast, must not throw, must not block and must not call back
 * into the pool: some events are reported while the pool's lock is held.
 */
public interface PoolListener {

    /** The protocol of an HTTP/2 connection in {@link #connect} and {@link #handshake} events. */
    String H2 = "h2";

    /** The protocol of a connection whose ALPN agreed HTTP/1.1, in {@link #connect} and {@link #handshake} events. */
    String HTTP_1_1 = "http/1.1";

    /** The protocol of a connection that agreed none (plain HTTP/1.1, no ALPN, a failure). */
    String NO_PROTOCOL = "none";

    /** Ignores every event. */
    PoolListener NONE = new PoolListener() {
    };

    /** A connection was opened (TCP, plus TLS for https). */
    default void connectionOpened(Origin origin, InetAddress address) {
    }

    /** A connection was closed. Reported under the pool's lock. */
    default void connectionClosed(Origin origin, CloseReason reason) {
    }

    /**
     * A connection was closed, with how long it had been open; what the pool reports. The default passes it on to
     * {@link #connectionClosed(Origin, CloseReason)}, so listeners written before it keep working. Reported under the
     * pool's lock.
     *
     * @param ageNanos time since the connect succeeded (the pool clock's resolution, milliseconds), or {@code -1}
     *     when it never opened
     */
    default void connectionClosed(Origin origin, CloseReason reason, long ageNanos) {
        connectionClosed(origin, reason);
    }

    /**
     * A TCP connect attempt ended: the one that gave the connection, or one that failed. With fast fallback several
     * attempts may run for one connection; those that lost the race and were closed are not reported.
     *
     * @param address the address connected to: the origin's, or the HTTP proxy's when the route has one
     * @param succeeded whether it connected
     * @param nanos how long the attempt took
     */
    default void connect(Origin origin, InetAddress address, boolean succeeded, long nanos) {
    }

    /**
     * A TCP connect attempt ended, with the protocol the connection it gave agreed on; what the pool reports. The
     * default passes it on to {@link #connect(Origin, InetAddress, boolean, long)}, so listeners written before it keep
     * working. An attempt that failed is reported when it fails; the one that gave the connection once its protocol
     * is known: for {@code https} after the TLS handshake (and the proxy's tunnel), whether that succeeded or not.
     *
     * @param protocol {@value #H2} (ALPN agreed {@code h2}, or a cleartext connection to a host whose protocols name
     *     {@code h2c}), {@value #HTTP_1_1} (ALPN agreed {@code http/1.1}), or {@value #NO_PROTOCOL}: nothing was
     *     agreed (plain HTTP/1.1, a server without ALPN, a failed attempt or handshake)
     */
    default void connect(Origin origin, InetAddress address, boolean succeeded, long nanos, String protocol) {
        connect(origin, address, succeeded, nanos);
    }

    /**
     * Opening a connection failed, in {@code phase} (DNS, TCP, TLS, or the route's HTTP proxy). Reported once per
     * failed connection, on the caller's thread (the {@link #connect} event of an attempt that failed on a
     * fast-fallback thread may come just before or just after it). Not reported when the access policy or an address
     * filter refused every address: nothing was tried.
     *
     * @param cause what the caller is given
     */
    default void connectFailed(Origin origin, ConnectPhase phase, Exception cause) {
    }

    /**
     * A TLS handshake ended.
     *
     * @param profile the TLS client profile used
     * @param succeeded whether it completed
     * @param nanos how long it took
     */
    default void handshake(Origin origin, String profile, boolean succeeded, long nanos) {
    }

    /**
     * A TLS handshake ended, with what ALPN agreed; what the pool reports. The default passes it on to
     * {@link #handshake(Origin, String, boolean, long)}, so listeners written before it keep working.
     *
     * @param protocol {@value #H2}, {@value #HTTP_1_1}, or {@value #NO_PROTOCOL} when ALPN agreed nothing (the
     *     server does without it) or the handshake failed
     */
    default void handshake(Origin origin, String profile, boolean succeeded, long nanos, String protocol) {
        handshake(origin, profile, succeeded, nanos);
    }

    /**
     * A lease was granted.
     *
     * @param waitNanos time from asking to getting it, connecting included
     * @param reused whether the connection already existed
     */
    default void acquired(Origin origin, long waitNanos, boolean reused) {
    }

    /**
     * A lease waited in its route's line and was given a stream of an HTTP/2 connection: every stream the route's
     * connections could carry was taken (or its HTTP/2 connection was still being opened). Reported on the leasing
     * thread, after its {@link #acquired} event, once per such lease.
     *
     * @param waitNanos time from asking to getting the stream
     */
    default void streamWaited(Origin origin, long waitNanos) {
    }

    /** A lease failed for lack of a connection: timeout, or the line of waiters was full. */
    default void acquireFailed(Origin origin) {
    }

    /** A lease ended after {@code heldNanos}; the connection was pooled again or closed. */
    default void released(Origin origin, long heldNanos) {
    }

    /**
     * A request ended: with a response head ({@code succeeded}) or an exception.
     *
     * @param retried whether it was sent a second time after a stale connection
     */
    default void requestCompleted(Origin origin, boolean succeeded, boolean retried) {
    }

    /** An address of an origin was ejected as an outlier. */
    default void addressEjected(Origin origin, InetAddress address) {
    }

    /** A listener that passes each event to both. */
    static PoolListener both(PoolListener first, PoolListener second) {
        if (first == NONE) {
            return second;
        }
        if (second == NONE) {
            return first;
        }
        return new PoolListener() {
            @Override
            public void connectionOpened(Origin origin, InetAddress address) {
                first.connectionOpened(origin, address);
                second.connectionOpened(origin, address);
            }

            @Override
            public void connectionClosed(Origin origin, CloseReason reason) {
                first.connectionClosed(origin, reason);
                second.connectionClosed(origin, reason);
            }

            @Override
            public void connectionClosed(Origin origin, CloseReason reason, long ageNanos) {
                first.connectionClosed(origin, reason, ageNanos);
                second.connectionClosed(origin, reason, ageNanos);
            }

            @Override
            public void connect(Origin origin, InetAddress address, boolean succeeded, long nanos) {
                first.connect(origin, address, succeeded, nanos);
                second.connect(origin, address, succeeded, nanos);
            }

            @Override
            public void connect(Origin origin, InetAddress address, boolean succeeded, long nanos, String protocol) {
                first.connect(origin, address, succeeded, nanos, protocol);
                second.connect(origin, address, succeeded, nanos, protocol);
            }

            @Override
            public void connectFailed(Origin origin, ConnectPhase phase, Exception cause) {
                first.connectFailed(origin, phase, cause);
                second.connectFailed(origin, phase, cause);
            }

            @Override
            public void handshake(Origin origin, String profile, boolean succeeded, long nanos) {
                first.handshake(origin, profile, succeeded, nanos);
                second.handshake(origin, profile, succeeded, nanos);
            }

            @Override
            public void handshake(Origin origin, String profile, boolean succeeded, long nanos, String protocol) {
                first.handshake(origin, profile, succeeded, nanos, protocol);
                second.handshake(origin, profile, succeeded, nanos, protocol);
            }

            @Override
            public void streamWaited(Origin origin, long waitNanos) {
                first.streamWaited(origin, waitNanos);
                second.streamWaited(origin, waitNanos);
            }

            @Override
            public void acquired(Origin origin, long waitNanos, boolean reused) {
                first.acquired(origin, waitNanos, reused);
                second.acquired(origin, waitNanos, reused);
            }

            @Override
            public void acquireFailed(Origin origin) {
                first.acquireFailed(origin);
                second.acquireFailed(origin);
            }

            @Override
            public void released(Origin origin, long heldNanos) {
                first.released(origin, heldNanos);
                second.released(origin, heldNanos);
            }

            @Override
            public void requestCompleted(Origin origin, boolean succeeded, boolean retried) {
                first.requestCompleted(origin, succeeded, retried);
                second.requestCompleted(origin, succeeded, retried);
            }

            @Override
            public void addressEjected(Origin origin, InetAddress address) {
                first.addressEjected(origin, address);
                second.addressEjected(origin, address);
            }
        };
    }
}
