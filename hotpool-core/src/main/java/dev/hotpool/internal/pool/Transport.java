package dev.hotpool.internal.pool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * The bytes of one open connection, as a {@link Connector} made it: its streams and the facts of its socket. The real
 * one is {@link PooledSocket} (TCP, plus TLS for {@code https}); the engine's own tests give fakes. Knows nothing of
 * pooling or HTTP.
 *
 * <p>Public for the protocol layer's {@link Multiplexing}, which reads and writes a multiplexed connection's streams.
 *
 * <p>Not thread-safe: used by one lease holder at a time, or by the pool while idle (a multiplexed session uses it
 * from its own threads). {@link #close()} and
 * {@link #abort()} may be called from any thread and are idempotent.
 */
public interface Transport {

    InputStream in();

    OutputStream out();

    /**
     * The address connected to; through a proxy, the origin's address that was checked before the proxy was asked
     * (what the pool's per-address bookkeeping, filters and DNS retirement go by).
     */
    InetSocketAddress remote();

    /** {@code TLSv1.3}, {@code TLSv1.2}, or {@code TCP} for plain connections. */
    String protocol();

    /** The negotiated cipher suite, or {@code null} for plain connections. */
    String cipherSuite();

    /**
     * What ALPN agreed for a TLS connection: {@code h2}, {@code http/1.1}, or {@code ""} when nothing was agreed (the
     * server, or the profile, does without ALPN: HTTP/1.1); always {@code ""} for plain TCP, whose protocol the host's
     * settings decide ({@code EffectiveHostSettings.h2c()}). Never a protocol the connection did not offer, and never
     * {@code ""} when it offered protocols without {@code http/1.1}: such handshakes fail.
     */
    String applicationProtocol();

    /** The TLS client profile the connection was made with, or {@code null} for plain connections. */
    String profile();

    /** Sets the read timeout, skipping the call when it is unchanged. */
    void soTimeout(int millis) throws IOException;

    int soTimeout();

    /**
     * Cheap liveness check of an idle connection: a 1 ms read. Only for connections whose read buffers are empty;
     * false when the peer has closed it or sent anything.
     */
    boolean isAlive();

    /** Closes the connection gracefully (a TLS close_notify when it can be sent). */
    void close();

    /** Closes the connection at once: a blocked read, write or handshake on it fails. */
    void abort();
}
