package dev.hotpool.internal.pool;

import dev.hotpool.AccessDeniedException;
import dev.hotpool.ConnectException;
import dev.hotpool.ConnectPhase;
import dev.hotpool.EffectiveHostSettings;
import dev.hotpool.FilteredAddressException;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.ProxyException;
import dev.hotpool.internal.net.AddressBook;
import dev.hotpool.internal.net.OutlierDetector;
import dev.hotpool.internal.tls.TlsConnector;
import dev.hotpool.internal.tls.TlsSetup;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.net.AccessPolicy;
import dev.hotpool.net.AddressFilter;
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
 * {@link OutlierDetector} has ejected and those the {@link AccessPolicy} or an {@link AddressFilter} refuses, has the
 * {@link Dialer} connect to one of them (the least loaded first, others by fast fallback or on failure, all within the
 * connect timeout), then layers TLS for {@code https}, offering in ALPN what the host's protocols make of the profile's
 * list ({@link EffectiveHostSettings#alpn}; the same inside a proxy's tunnel). Through an HTTP proxy (the route's), the origin's addresses
 * are still resolved and checked first, exactly as above, but the TCP connection goes to the proxy, and for
 * {@code https} a {@link ProxyTunnel} opens the tunnel before TLS; the least loaded origin address stays the
 * connection's {@code remote()} for the pool's per-address bookkeeping (the proxy resolves the name again). Knows
 * nothing of pooling or HTTP.
 *
 * <p>Thread-safe.
 */
public final class SocketConnector implements Connector {

    private final TlsConnector tls;
    private final TlsSetup.Verified profiles;
    private final PoolListener listener;
    private final AddressBook addressBook;
    private final OutlierDetector outliers;
    private final AccessPolicy accessPolicy;
    private final AddressFilter addressFilter;
    private final Dialer dialer;
    private final ProxyTunnel proxies;
    /**
     * For the TLS profile and protocols of a host's own ({@code hotpool.hosts[<pattern>].tls.profile},
     * {@code .protocols}): the protocols decide the ALPN list offered.
     */
    private final HotPoolConfig hosts;

    public SocketConnector(HotPoolConfig config, TlsConnector tls, TlsSetup.Verified profiles, PoolListener listener,
            AddressBook addressBook, OutlierDetector outliers) {
        this.tls = tls;
        this.profiles = profiles;
        this.listener = listener;
        this.addressBook = addressBook;
        this.outliers = outliers;
        this.accessPolicy = config.accessPolicy();
        this.addressFilter = config.addressFilter();
        this.dialer = new Dialer(config);
        this.proxies = new ProxyTunnel(addressBook);
        this.hosts = config;
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
        if (candidates.isEmpty()) {
            throw new ConnectException("hotpool: cannot connect to " + origin + ": no usable address", null);
        }
        if (route.proxy() != null) {
            return throughProxy(route, route.proxy(), candidates, load, deadline, readTimeoutMillis);
        }
        Socket raw;
        Won won = new Won();
        try {
            raw = this.dialer.dial(origin, candidates, load, deadline, connectTimeoutMillis, new Dialer.Attempts() {
                @Override
                public void failed(InetAddress address, IOException cause, long nanos) {
                    SocketConnector.this.listener.connect(origin, address, false, nanos, PoolListener.NO_PROTOCOL);
                    SocketConnector.this.outliers.recordFailure(origin.authority(), address,
                            OutlierDetector.Failure.CONNECT);
                }

                @Override
                public void connected(InetAddress address, long nanos) {
                    won.address = address; // Reported by layer(), once the connection's protocol is known.
                    won.nanos = nanos;
                }
            });
        }
        catch (ConnectException e) {
            this.listener.connectFailed(origin, ConnectPhase.TCP, e);
            throw e;
        }
        return layer(route, raw, (InetSocketAddress) raw.getRemoteSocketAddress(), load, deadline, readTimeoutMillis,
                won);
    }

    /**
     * Connects through the route's proxy: TCP to the proxy, then for {@code https} the CONNECT tunnel and TLS to the
     * origin inside it; for {@code http} the connection to the proxy is the connection (absolute-form requests).
     *
     * @param candidates the origin's checked addresses; the least loaded stands for the connection's address
     * @throws ProxyException when the proxy could not be reached or refused the tunnel (no outlier failure: the
     *     origin was never reached)
     */
    private Transport throughProxy(Route route, HttpProxy proxy, List<InetAddress> candidates, AddressLoad load,
            long deadline, int readTimeoutMillis) throws IOException {
        Origin origin = route.origin();
        InetSocketAddress proxyAddress;
        try {
            proxyAddress = this.proxies.address(proxy, origin);
        }
        catch (ConnectException e) { // The proxy's own name did not resolve.
            this.listener.connectFailed(origin, ConnectPhase.PROXY, e);
            throw e;
        }
        InetAddress address = load.leastLoaded(candidates);
        load.add(address, 1);
        InetSocketAddress remote = new InetSocketAddress(address, origin.port());
        Socket raw;
        Won won = new Won();
        long started = System.nanoTime();
        try {
            raw = this.dialer.connect(proxyAddress, deadline);
            won.address = proxyAddress.getAddress(); // Reported by layer(), once the protocol is known.
            won.nanos = System.nanoTime() - started;
        }
        catch (IOException e) {
            this.listener.connect(origin, proxyAddress.getAddress(), false, System.nanoTime() - started,
                    PoolListener.NO_PROTOCOL);
            load.add(address, -1);
            ProxyException failure = ProxyTunnel.unreachable(proxy, proxyAddress, origin, e);
            this.listener.connectFailed(origin, ConnectPhase.PROXY, failure);
            throw failure;
        }
        return layer(route, raw, remote, load, deadline, readTimeoutMillis, won);
    }

    /**
     * Makes the connection of a TCP connection: for {@code https}, the proxy's tunnel when the route has one, then
     * TLS to the origin; for {@code http}, the socket as it is. On failure closes it, uncounts its address, and
     * counts the failure against the origin's address (unless the proxy refused: the origin was never reached).
     *
     * Reports the TCP connect that gave {@code raw} ({@code won}) with the protocol the connection agreed, or with
     * none when it failed.
     *
     * @param remote the origin address the connection stands for (through a proxy, the one checked for it)
     */
    private Transport layer(Route route, Socket raw, InetSocketAddress remote, AddressLoad load, long deadline,
            int readTimeoutMillis, Won won) throws IOException {
        Origin origin = route.origin();
        PooledSocket transport;
        String protocol;
        try {
            EffectiveHostSettings host = this.hosts.hostSettings(origin.host());
            if (!origin.secure()) {
                transport = open(raw, raw, remote, readTimeoutMillis, null);
                // Prior knowledge, as Http2Multiplexing decides it: never through a proxy.
                protocol = host.h2c() && route.proxy() == null ? PoolListener.H2 : PoolListener.NO_PROTOCOL;
            }
            else {
                if (route.proxy() != null) {
                    this.proxies.connect(raw, route.proxy(), origin, TcpSockets.remainingMillis(deadline));
                }
                TlsProfile profile = profile(host);
                transport = open(raw, handshake(route, raw, remote, deadline, profile, host.alpn(profile)), remote,
                        readTimeoutMillis, profile.name());
                protocol = agreed(transport.applicationProtocol());
            }
        }
        catch (IOException | RuntimeException e) {
            this.listener.connect(origin, won.address, true, won.nanos, PoolListener.NO_PROTOCOL);
            closeQuietly(raw);
            load.add(remote.getAddress(), -1);
            boolean refusedByProxy = e instanceof ProxyException;
            if (!refusedByProxy) {
                this.outliers.recordFailure(origin.authority(), remote.getAddress(), OutlierDetector.Failure.TLS);
            }
            this.listener.connectFailed(origin, refusedByProxy ? ConnectPhase.PROXY
                    : origin.secure() ? ConnectPhase.TLS : ConnectPhase.TCP, e);
            throw e;
        }
        this.listener.connect(origin, won.address, true, won.nanos, protocol);
        return transport;
    }

    /** The listener's protocol of what ALPN agreed ({@code null} or {@code ""}: nothing). */
    private static String agreed(String alpn) {
        return alpn == null || alpn.isEmpty() ? PoolListener.NO_PROTOCOL : alpn;
    }

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
            ConnectException failure = new ConnectException("hotpool: cannot resolve the host of " + origin + ": "
                    + e.getMessage(), e);
            this.listener.connectFailed(origin, ConnectPhase.DNS, failure);
            throw failure;
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

    private SSLSocket handshake(Route route, Socket raw, InetSocketAddress remote, long deadline, TlsProfile profile,
            List<String> alpn) throws IOException {
        Origin origin = route.origin();
        int budget = Math.max(1, TcpSockets.remainingMillis(deadline));
        long start = System.nanoTime();
        try {
            SSLSocket ssl = this.tls.handshake(raw, origin, remote, route.tls(), profile, alpn, budget);
            this.listener.handshake(origin, profile.name(), true, System.nanoTime() - start,
                    agreed(ssl.getApplicationProtocol()));
            return ssl;
        }
        catch (IOException | RuntimeException e) {
            this.listener.handshake(origin, profile.name(), false, System.nanoTime() - start,
                    PoolListener.NO_PROTOCOL);
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

    /**
     * The profile of a new connection, as this JVM sends it: its host's {@code hotpool.hosts[<pattern>].tls.profile},
     * else the pool's.
     */
    private TlsProfile profile(EffectiveHostSettings host) {
        String named = host.tlsProfile();
        TlsProfiles declared = this.profiles.declared();
        return this.profiles.effective(named != null ? declared.profile(named) : declared.next());
    }

    /** The TCP connect that gave a connection: reported once its protocol is known. Used by one thread. */
    private static final class Won {
        InetAddress address;
        long nanos;
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
