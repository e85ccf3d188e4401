package dev.hotpool;

import dev.hotpool.internal.util.HostPatterns;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which HTTP proxy, if any, a request to an origin goes through ({@code hotpool.proxy.*}):
 * <ul>
 * <li>{@link #SYSTEM} (the default): the JVM's own settings, as the JDK applies them — the default
 * {@link ProxySelector}, i.e. {@code https.proxyHost}/{@code https.proxyPort} for {@code https},
 * {@code http.proxyHost}/{@code http.proxyPort} for {@code http}, and {@code http.nonProxyHosts}, or whatever
 * selector the application installed with {@link ProxySelector#setDefault}. Asked for each request, so settings
 * changed at run time apply to the next one; SOCKS proxies it names are not used (hotpool speaks HTTP proxies only;
 * a warning is logged once).</li>
 * <li>{@link #NONE} ({@code hotpool.proxy.enabled=false}): every request connects directly.</li>
 * <li>{@link #of}: one proxy for every origin but those matching the non-proxy hosts.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. {@code toString()} never shows credentials.
 */
public final class ProxySettings {

    private static final Logger log = LoggerFactory.getLogger(ProxySettings.class);

    /** Every request connects directly, whatever the JVM's settings say. */
    public static final ProxySettings NONE = new ProxySettings(Kind.NONE, null, HostPatterns.NONE, List.of());

    /** The JVM's default {@link ProxySelector}, asked per request. */
    public static final ProxySettings SYSTEM = new ProxySettings(Kind.SYSTEM, null, HostPatterns.NONE, List.of());

    /** Whether the JDK reads the operating system's proxy settings; read once by the JDK too. */
    private static final boolean USE_SYSTEM_PROXIES = Boolean.getBoolean("java.net.useSystemProxies");

    private static final AtomicBoolean warnedSocks = new AtomicBoolean();

    private enum Kind { NONE, SYSTEM, FIXED }

    private final Kind kind;
    private final HttpProxy proxy;
    private final HostPatterns nonProxyHosts;
    private final List<String> nonProxyHostEntries;

    private ProxySettings(Kind kind, HttpProxy proxy, HostPatterns nonProxyHosts, List<String> entries) {
        this.kind = kind;
        this.proxy = proxy;
        this.nonProxyHosts = nonProxyHosts;
        this.nonProxyHostEntries = List.copyOf(entries);
    }

    /**
     * One proxy for every origin except those whose host matches an entry of {@code nonProxyHosts}.
     *
     * @param nonProxyHosts host patterns ({@code localhost}, {@code *.internal}) and CIDR ranges
     *     ({@code 10.0.0.0/8}, matched against IP-literal hosts), as in {@code hotpool.access.*}
     * @throws IllegalArgumentException naming {@code hotpool.proxy.non-proxy-hosts[i]} for a bad entry
     */
    public static ProxySettings of(HttpProxy proxy, List<String> nonProxyHosts) {
        Objects.requireNonNull(proxy, "'proxy' must not be null");
        Objects.requireNonNull(nonProxyHosts, "'nonProxyHosts' must not be null");
        return new ProxySettings(Kind.FIXED, proxy, HostPatterns.parse("hotpool.proxy.non-proxy-hosts", nonProxyHosts),
                nonProxyHosts);
    }

    /** The proxy a new request to the origin goes through, or {@code null} to connect directly. */
    public HttpProxy select(Origin origin) {
        return switch (this.kind) {
            case NONE -> null;
            case FIXED -> this.nonProxyHosts.matches(origin.host()) ? null : this.proxy;
            case SYSTEM -> system(origin);
        };
    }

    private static HttpProxy system(Origin origin) {
        ProxySelector selector = ProxySelector.getDefault();
        if (selector == null) {
            return null;
        }
        if (!USE_SYSTEM_PROXIES && selector.getClass().getName().equals("sun.net.spi.DefaultProxySelector")
                && System.getProperty(origin.secure() ? "https.proxyHost" : "http.proxyHost") == null
                && System.getProperty("socksProxyHost") == null) {
            return null; // What the JDK's selector would answer, without building a URI per request.
        }
        List<Proxy> proxies;
        try {
            proxies = selector.select(new URI(origin.scheme(), null, origin.host(), origin.port(), "/", null, null));
        }
        catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("hotpool: the JVM's ProxySelector failed for " + origin + ": " + e, e);
        }
        if (proxies == null) {
            return null;
        }
        for (Proxy p : proxies) {
            if (p.type() == Proxy.Type.DIRECT) {
                return null;
            }
            SocketAddress address = p.address();
            if (p.type() == Proxy.Type.HTTP && address instanceof InetSocketAddress inet) {
                return HttpProxy.of(inet.getHostString(), inet.getPort());
            }
            if (warnedSocks.compareAndSet(false, true)) {
                log.warn("hotpool: the JVM's proxy settings name a {} proxy for {}; hotpool speaks HTTP proxies only "
                        + "and connects directly (set hotpool.proxy.url, or hotpool.proxy.enabled=false to silence "
                        + "this)", p.type(), origin);
            }
        }
        return null;
    }

    /** Whether requests may go through a proxy at all (not {@link #NONE}). */
    public boolean enabled() {
        return this.kind != Kind.NONE;
    }

    /** Whether the JVM's proxy settings decide ({@link #SYSTEM}). */
    public boolean system() {
        return this.kind == Kind.SYSTEM;
    }

    /** The non-proxy hosts as configured; empty for {@link #NONE} and {@link #SYSTEM}. */
    public List<String> nonProxyHosts() {
        return this.nonProxyHostEntries;
    }

    /** The configured proxy, or {@code null} for {@link #NONE} and {@link #SYSTEM}. */
    public HttpProxy proxy() {
        return this.proxy;
    }

    @Override
    public String toString() {
        return switch (this.kind) {
            case NONE -> "no proxy";
            case SYSTEM -> "the JVM's proxy settings";
            case FIXED -> "proxy " + this.proxy + (this.nonProxyHosts.isEmpty() ? ""
                    : " except " + this.nonProxyHosts);
        };
    }
}
