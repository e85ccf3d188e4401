package dev.hotpool.pool;

import dev.hotpool.AccessDeniedException;
import dev.hotpool.ConnectException;
import dev.hotpool.FilteredAddressException;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.ProxyException;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.net.AccessPolicy;
import dev.hotpool.net.AddressBook;
import dev.hotpool.net.AddressFilter;
import dev.hotpool.net.LocalAddressPool;
import dev.hotpool.net.OutlierDetector;
import dev.hotpool.tls.TlsConnector;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * The real {@link Connector}. For a route it takes the host's addresses from the {@link AddressBook}, drops those the
 * {@link OutlierDetector} has ejected and those the {@link AccessPolicy} or an {@link AddressFilter} refuses, and
 * connects to the one with the fewest live connections (ties in turn), trying the next on failure within the connect
 * timeout;
 * optionally from a local address of the same family; then layers TLS for {@code https}. Through an HTTP proxy
 * (the route's), the origin's addresses are still resolved and checked first, exactly as above, but the TCP
 * connection goes to the proxy, and for {@code https} a {@link ProxyTunnel} opens the tunnel before TLS; the chosen
 * origin address stays the connection's {@code remote()} for the pool's per-address bookkeeping (the proxy resolves
 * the name again). Knows nothing of pooling or HTTP.
 *
 * <p>Thread-safe.
 */
final class SocketConnector implements Connector {

    private final TlsConnector tls;
    private final TlsProfiles profiles;
    private final PoolListener listener;
    private final AddressBook addressBook;
    private final OutlierDetector outliers;
    private final AccessPolicy accessPolicy;
    private final AddressFilter addressFilter;
    private final LocalAddressPool localAddresses;
    private final ProxyTunnel proxies;

    SocketConnector(HotPoolConfig config, TlsConnector tls, PoolListener listener, AddressBook addressBook,
            OutlierDetector outliers) {
        this.tls = tls;
        this.profiles = config.tlsProfiles();
        this.listener = listener;
        this.addressBook = addressBook;
        this.outliers = outliers;
        this.accessPolicy = config.accessPolicy();
        this.addressFilter = config.addressFilter();
        this.localAddresses = config.localAddresses();
        this.proxies = new ProxyTunnel(addressBook);
    }

    /**
     * {@inheritDoc}
     *
     * @throws AccessDeniedException when the access policy refuses every address
     * @throws ConnectException when no address accepted a connection in time
     * @throws ProxyException when the route's proxy could not be reached or refused the tunnel
     * @throws dev.hotpool.TlsHandshakeException when the TLS handshake failed
     */
    @Override
    public Transport connect(Route route, AddressLoad load, int connectTimeoutMillis, int readTimeoutMillis)
            throws IOException {
        Origin origin = route.origin();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis);
        List<InetAddress> candidates = candidates(route); // The origin's, checked, with or without a proxy.
        HttpProxy proxy = route.proxy();
        InetSocketAddress proxyAddress = proxy == null ? null : this.proxies.address(proxy, origin);
        IOException last = null;
        InetAddress lastAddress = null;
        while (!candidates.isEmpty()) {
            int remaining = remainingMillis(deadline);
            if (remaining <= 0) {
                break;
            }
            InetAddress address = leastLoaded(candidates, load);
            candidates.remove(address);
            load.add(address, 1);
            InetSocketAddress remote = new InetSocketAddress(address, origin.port());
            InetSocketAddress dialed = proxy == null ? remote : proxyAddress;
            Socket raw = new Socket();
            try {
                raw.setTcpNoDelay(true);
                raw.setKeepAlive(true);
                InetAddress local = this.localAddresses.next(dialed.getAddress());
                if (local != null) {
                    raw.bind(new InetSocketAddress(local, 0));
                }
                raw.connect(dialed, remaining);
            }
            catch (IOException e) {
                closeQuietly(raw);
                load.add(address, -1);
                if (proxy != null) {
                    throw ProxyTunnel.unreachable(proxy, dialed, origin, e);
                }
                this.outliers.recordFailure(origin.authority(), address, OutlierDetector.Failure.CONNECT);
                last = e;
                lastAddress = address;
                continue;
            }
            try {
                if (proxy != null && origin.secure()) {
                    this.proxies.connect(raw, proxy, origin, remainingMillis(deadline));
                }
                if (!origin.secure()) {
                    return open(raw, raw, remote, readTimeoutMillis, null);
                }
                TlsProfile profile = this.profiles.next();
                return open(raw, handshake(route, raw, remote, deadline, profile), remote, readTimeoutMillis,
                        profile.name());
            }
            catch (IOException | RuntimeException e) {
                load.add(address, -1);
                if (!(e instanceof ProxyException)) {
                    this.outliers.recordFailure(origin.authority(), address, OutlierDetector.Failure.TLS);
                }
                throw e;
            }
        }
        if (last == null) {
            throw new ConnectException("hotpool: cannot connect to " + origin + ": timed out after "
                    + connectTimeoutMillis + " ms", null);
        }
        throw new ConnectException("hotpool: cannot connect to " + origin + " (" + lastAddress.getHostAddress() + ":"
                + origin.port() + "): " + last.getMessage(), last);
    }

    /** The addresses a new connection may use: known, not ejected, admitted by the access policy. */
    /**
     * The addresses a new connection may use: known, not ejected, admitted by the access policy and by the address
     * filters (the pool's and the route's).
     *
     * @throws AccessDeniedException (a {@link FilteredAddressException} when a filter refused) when none is left
     *     because the first address refused was
     */
    private List<InetAddress> candidates(Route route) throws HotPoolException {
        Origin origin = route.origin();
        List<InetAddress> all;
        try {
            all = this.addressBook.addresses(origin.host());
        }
        catch (UnknownHostException e) {
            throw new ConnectException("hotpool: cannot resolve the host of " + origin + ": " + e.getMessage(), e);
        }
        List<InetAddress> usable = this.outliers.usable(origin.authority(), all);
        List<InetAddress> admitted = new ArrayList<>(usable.size());
        AccessDeniedException refusal = null;
        for (InetAddress address : usable) {
            AccessPolicy.Verdict verdict = this.accessPolicy.check(origin.host(), address);
            if (verdict.allowed() && route.admits(address, this.addressFilter)) {
                admitted.add(address);
            }
            else if (refusal == null) {
                refusal = !verdict.allowed() ? new AccessDeniedException("hotpool: connecting to " + origin.host()
                        + " at " + address.getHostAddress() + " is refused: " + verdict.rule() + "; nothing was sent")
                        : new FilteredAddressException(origin.host(), address,
                                this.addressFilter.allows(address) ? route.filter() : this.addressFilter);
            }
        }
        if (admitted.isEmpty() && refusal != null) {
            throw refusal;
        }
        return admitted;
    }

    private static InetAddress leastLoaded(List<InetAddress> candidates, AddressLoad load) {
        int fewest = Integer.MAX_VALUE;
        List<InetAddress> tied = new ArrayList<>(candidates.size());
        for (InetAddress a : candidates) {
            int live = load.live(a);
            if (live < fewest) {
                fewest = live;
                tied.clear();
            }
            if (live == fewest) {
                tied.add(a);
            }
        }
        return tied.get(load.nextTurn() % tied.size());
    }

    private SSLSocket handshake(Route route, Socket raw, InetSocketAddress remote, long deadline, TlsProfile profile)
            throws IOException {
        Origin origin = route.origin();
        int budget = Math.max(1, remainingMillis(deadline));
        long start = System.nanoTime();
        try {
            SSLSocket ssl = this.tls.handshake(raw, origin, remote, route.tls(), profile, budget);
            this.listener.handshake(origin, profile.name(), true, System.nanoTime() - start);
            return ssl;
        }
        catch (IOException | RuntimeException e) {
            this.listener.handshake(origin, profile.name(), false, System.nanoTime() - start);
            throw e;
        }
    }

    private static PooledSocket open(Socket raw, Socket socket, InetSocketAddress remote, int readTimeoutMillis,
            String profile) throws IOException {
        try {
            return new PooledSocket(raw, socket, remote, readTimeoutMillis, profile);
        }
        catch (IOException | RuntimeException e) {
            closeQuietly(raw);
            throw e;
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
