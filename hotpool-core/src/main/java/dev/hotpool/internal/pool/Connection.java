package dev.hotpool.internal.pool;

import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * An open pooled connection as the protocol layer sees it: its streams, its read timeout, where it goes and how, and
 * the protocol layer's own per-connection state. Knows nothing of HTTP; exposes nothing of the pool.
 *
 * <p>Not thread-safe: used by one lease holder (or one health check) at a time. Public for the protocol layer
 * ({@code dev.hotpool.internal.http}).
 */
public interface Connection {

    /** Scheme, host and port of the connection's route. */
    Origin origin();

    InputStream in();

    OutputStream out();

    /**
     * The address connected to; through a proxy, the origin's address that was checked (the proxy resolves the name
     * again and connects where it likes).
     */
    InetSocketAddress remote();

    /**
     * The HTTP proxy the connection goes through, or {@code null} for a direct one: plain {@code http} requests on it
     * are written in absolute form, with {@code Proxy-Authorization} when the proxy has credentials.
     */
    default HttpProxy proxy() {
        return null;
    }

    /** The TLS client profile the connection was made with, or {@code null} for plain connections. */
    String profile();

    /** Sets the read timeout, skipping the call when it is unchanged. */
    void soTimeout(int millis) throws IOException;

    int soTimeout();

    /** Exchanges started on this connection, the current one included. */
    int exchanges();

    /** Counts the start of an exchange. */
    void beginExchange();

    /**
     * The multiplexed session the connection carries (its streams are leased one by one), or {@code null} for a
     * connection that carries one exchange at a time through {@link #in()} and {@link #out()}.
     */
    default Multiplex multiplex() {
        return null;
    }

    /** Per-connection state of the protocol layer (its buffers); the pool never looks at it. */
    Object attachment();

    void attach(Object attachment);
}
