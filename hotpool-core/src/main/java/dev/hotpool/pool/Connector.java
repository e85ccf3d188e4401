package dev.hotpool.pool;

import dev.hotpool.ConnectException;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.Origin;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.tls.TlsConnector;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * Opens connections: resolves the host, connects TCP to its addresses in turn within the connect
 * timeout, and layers TLS for {@code https}. Knows nothing of pooling or HTTP.
 *
 * <p>Thread-safe (stateless apart from its collaborators).
 */
public class Connector {

    /** The TLS client profile every connection uses until profiles are configurable. */
    static final String PROFILE = "default";

    private final TlsConnector tls;
    private final PoolListener listener;

    public Connector(HotPoolConfig config, TlsConnector tls, PoolListener listener) {
        this.tls = tls;
        this.listener = listener;
    }

    /**
     * Opens a connection for the route.
     *
     * @param connectTimeoutMillis budget for resolving, TCP connect and the TLS handshake together
     * @param readTimeoutMillis the socket timeout the connection starts with
     * @throws ConnectException when no address accepted a connection in time
     * @throws dev.hotpool.TlsHandshakeException when the TLS handshake failed
     */
    public PooledSocket connect(Route route, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        Origin origin = route.origin();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis);
        InetAddress[] addresses = resolve(origin);
        IOException last = null;
        for (InetAddress address : addresses) {
            int remaining = remainingMillis(deadline);
            if (remaining <= 0) {
                break;
            }
            InetSocketAddress remote = new InetSocketAddress(address, origin.port());
            Socket raw = new Socket();
            try {
                raw.setTcpNoDelay(true);
                raw.setKeepAlive(true);
                raw.connect(remote, remaining);
            }
            catch (IOException e) {
                closeQuietly(raw);
                last = e;
                continue;
            }
            if (!origin.secure()) {
                return open(raw, raw, remote, readTimeoutMillis);
            }
            int handshakeBudget = Math.max(1, remainingMillis(deadline));
            long start = System.nanoTime();
            SSLSocket ssl;
            try {
                ssl = this.tls.handshake(raw, origin, remote, route.tls(), handshakeBudget);
            }
            catch (IOException | RuntimeException e) {
                this.listener.handshake(origin, PROFILE, false, System.nanoTime() - start);
                throw e;
            }
            this.listener.handshake(origin, PROFILE, true, System.nanoTime() - start);
            return open(raw, ssl, remote, readTimeoutMillis);
        }
        String tried = addresses.length == 1 ? addresses[0].getHostAddress() + ":" + origin.port()
                : addresses.length + " addresses";
        if (last == null) {
            throw new ConnectException("hotpool: cannot connect to " + origin + " (" + tried + "): timed out after "
                    + connectTimeoutMillis + " ms", null);
        }
        throw new ConnectException("hotpool: cannot connect to " + origin + " (" + tried + "): " + last.getMessage(), last);
    }

    private static PooledSocket open(Socket raw, Socket socket, InetSocketAddress remote, int readTimeoutMillis)
            throws IOException {
        try {
            return new PooledSocket(raw, socket, remote, readTimeoutMillis);
        }
        catch (IOException | RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    /** All addresses of the origin's host (the address book of a later issue replaces this). */
    InetAddress[] resolve(Origin origin) throws HotPoolException {
        try {
            return InetAddress.getAllByName(origin.host());
        }
        catch (UnknownHostException e) {
            throw new ConnectException("hotpool: cannot resolve the host of " + origin + ": " + e.getMessage(), e);
        }
    }

    private static int remainingMillis(long deadlineNanos) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, remaining));
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        }
        catch (IOException ignored) {
            // Nothing more can be done.
        }
    }
}
