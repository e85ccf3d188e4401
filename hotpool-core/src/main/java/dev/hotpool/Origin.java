package dev.hotpool;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where requests go: scheme, host and port. Connections are pooled per origin (and TLS settings).
 *
 * <p>Immutable and thread-safe. The host is kept lower-case and, for IPv6 literals, without brackets.
 */
public final class Origin {

    private final String scheme;
    private final String host;
    private final int port;
    private final String authority;
    private final int hash;

    private Origin(String scheme, String host, int port) {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        this.hash = 31 * (31 * scheme.hashCode() + host.hashCode()) + port; // No varargs array, no boxing.
    }

    /**
     * Creates an origin.
     *
     * @param scheme {@code http} or {@code https}
     * @param host a host name or an IP literal (IPv6 with or without brackets)
     * @param port the port, or {@code -1} for the scheme's default
     */
    public static Origin of(String scheme, String host, int port) {
        Objects.requireNonNull(scheme, "'scheme' must not be null");
        Objects.requireNonNull(host, "'host' must not be null");
        String s = scheme.toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            throw new IllegalArgumentException("hotpool: unsupported scheme '" + scheme + "' (http and https are pooled)");
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty()) {
            throw new IllegalArgumentException("hotpool: a URI without a host cannot be pooled");
        }
        int p = port < 0 ? (s.equals("https") ? 443 : 80) : port;
        if (p == 0 || p > 65535) {
            throw new IllegalArgumentException("hotpool: invalid port " + port + " for host " + host);
        }
        return new Origin(s, h, p);
    }

    /** The origin of an absolute {@code http} or {@code https} URI. */
    public static Origin of(URI uri) {
        Objects.requireNonNull(uri, "'uri' must not be null");
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("hotpool: not an absolute http(s) URI: " + Redaction.uri(uri));
        }
        return of(uri.getScheme(), uri.getHost(), uri.getPort());
    }

    /** Parses {@code https://api.example.com[:port]}; a path, if any, is ignored. */
    public static Origin parse(String origin) {
        return of(URI.create(origin.trim()));
    }

    public String scheme() {
        return this.scheme;
    }

    /** The host name or IP literal, lower-case, IPv6 without brackets. */
    public String host() {
        return this.host;
    }

    public int port() {
        return this.port;
    }

    /** Whether this origin speaks TLS ({@code https}). */
    public boolean secure() {
        return this.scheme.equals("https");
    }

    /** {@code host:port}, with brackets around IPv6 literals: the key the actuator endpoint uses. */
    public String authority() {
        return this.authority;
    }

    /** The value of the {@code Host} request header: the port is left out when it is the scheme's default. */
    public String hostHeader() {
        boolean defaultPort = (secure() && this.port == 443) || (!secure() && this.port == 80);
        if (!defaultPort) {
            return this.authority;
        }
        return this.host.indexOf(':') >= 0 ? "[" + this.host + "]" : this.host;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Origin other)) {
            return false;
        }
        return this.port == other.port && this.scheme.equals(other.scheme) && this.host.equals(other.host);
    }

    @Override
    public int hashCode() {
        return this.hash;
    }

    /** {@code https://host:port}. */
    @Override
    public String toString() {
        return this.scheme + "://" + this.authority;
    }
}
