package dev.hotpool.internal.pool;

import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;

import java.io.IOException;

/**
 * Starts multiplexed sessions on new connections: the protocol layer's part of opening a connection that the pool
 * calls, outside its lock, after the {@link Connector} made the transport. Implementations must be thread-safe.
 */
public interface Multiplexing {

    /** No multiplexing: every connection carries one exchange at a time. */
    Multiplexing NONE = new Multiplexing() {

        @Override
        public boolean offered(Origin origin, HttpProxy proxy) {
            return false;
        }

        @Override
        public Multiplex open(Origin origin, Transport transport, Multiplex.Events events, int timeoutMillis) {
            return null;
        }
    };

    /**
     * Whether a new connection to the origin (through the proxy, if any) may turn out multiplexed: while such a
     * connect is under way, further leases of its route wait for its streams instead of opening connections of their
     * own.
     */
    boolean offered(Origin origin, HttpProxy proxy);

    /**
     * Starts the session on a new connection that agreed to multiplex (ALPN, or prior knowledge for the host) and
     * returns it once the peer's settings are known; {@code null} when the connection speaks one exchange at a time.
     * On failure the caller closes the transport.
     *
     * @param events where the session reports changes; it may report before this method returns
     * @param timeoutMillis how long the session's start may take
     * @throws IOException when the session could not be started; the message names the origin
     */
    Multiplex open(Origin origin, Transport transport, Multiplex.Events events, int timeoutMillis)
            throws IOException;
}
