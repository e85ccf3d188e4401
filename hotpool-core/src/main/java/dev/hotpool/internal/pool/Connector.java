package dev.hotpool.internal.pool;

import java.io.IOException;

/**
 * Opens connections for the pool, which calls it outside its lock for a slot it has reserved. The real one is
 * {@link SocketConnector}; the engine's own tests give fakes. Knows nothing of pooling or HTTP.
 *
 * <p>Implementations must be thread-safe: many leases connect at once.
 */
public interface Connector {

    /**
     * Opens a connection for the route.
     *
     * @param load the route's live connections per address, to choose the least loaded one: the connector counts
     *     the address it connects to in it as soon as it has chosen it (so concurrent connects spread), uncounts it
     *     if that attempt fails, and leaves it counted on success (the pool uncounts it when the connection closes)
     * @param connectTimeoutMillis budget for the TCP connect (all addresses tried) and the TLS handshake together
     * @param readTimeoutMillis the read timeout the connection starts with
     * @throws IOException when no connection could be opened; the message names the origin
     */
    Transport connect(Route route, AddressLoad load, int connectTimeoutMillis, int readTimeoutMillis)
            throws IOException;
}
