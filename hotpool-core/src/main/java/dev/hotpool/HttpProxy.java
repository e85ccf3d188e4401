package dev.hotpool;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * An HTTP proxy requests may go through: its host and port, and optional Basic credentials. {@code https} requests
 * go through a {@code CONNECT} tunnel (TLS to the origin inside it); {@code http} requests are sent to the proxy in
 * absolute form. Connections are pooled per origin <em>and</em> proxy: a tunnel is only ever reused for its origin.
 *
 * <p>Immutable and thread-safe; equal when host, port and credentials are. {@link #toString()} is {@code host:port}
 * only: the credentials are never part of it, of a log line, a message or the actuator endpoint.
 */
public final class HttpProxy {

    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String authority;
    /** {@code Basic base64(username:password)}, or {@code null} without credentials. */
    private final String authorization;

    private HttpProxy(String host, int port, String username, String password) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        this.authorization = username == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A proxy without credentials.
     *
     * @param host a host name or an IP literal (IPv6 with or without brackets)
     * @param port 1 to 65535
     */
    public static HttpProxy of(String host, int port) {
        return of(host, port, null, null);
    }

    /**
     * A proxy with Basic credentials ({@code username} {@code null}: none).
     *
     * @throws IllegalArgumentException when the host is empty, the port out of range, or a password comes without a
     *     username
     */
    public static HttpProxy of(String host, int port, String username, String password) {
        Objects.requireNonNull(host, "'host' must not be null");
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty()) {
            throw new IllegalArgumentException("hotpool.proxy.url must name a host");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("hotpool.proxy.url: invalid port " + port + " for proxy " + h);
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("hotpool.proxy.password is set but hotpool.proxy.username is not");
        }
        if (username != null && username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("hotpool.proxy.username must not contain ':' (Basic authentication)");
        }
        return new HttpProxy(h, port, username, password);
    }

    /**
     * Parses {@code hotpool.proxy.url}: {@code http://host[:port]}; without a port, 80 (as the JDK's
     * {@code http.proxyPort} and HttpClient 5 default). Credentials go in their own settings, not in the URL.
     *
     * @throws IllegalArgumentException naming {@code hotpool.proxy.url} when the URL is malformed, not {@code http},
     *     carries user info, a path, a query or a fragment
     */
    public static HttpProxy parse(String url, String username, String password) {
        Objects.requireNonNull(url, "'url' must not be null");
        URI uri;
        try {
            uri = new URI(url.trim());
        }
        catch (URISyntaxException e) {
            throw new IllegalArgumentException("hotpool.proxy.url ('" + redacted(url) + "') is not a URL: "
                    + e.getReason(), null);
        }
        url = redacted(url);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("hotpool.proxy.url ('" + url + "') must be an absolute URL such as "
                    + "http://proxy.internal:3128");
        }
        if (!uri.getScheme().equalsIgnoreCase("http")) {
            throw new IllegalArgumentException("hotpool.proxy.url ('" + url + "') must use http:// (the scheme of "
                    + "the connection to the proxy; https:// requests are tunnelled through it with CONNECT), not "
                    + uri.getScheme() + "://");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("hotpool.proxy.url must not carry credentials: set "
                    + "hotpool.proxy.username and hotpool.proxy.password instead");
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("hotpool.proxy.url ('" + url + "') must be http://host[:port] only "
                    + "(no path, query or fragment)");
        }
        return of(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), username, password);
    }

    /** The URL as it may be shown: anything before an {@code @} (user info, with a password) replaced. */
    private static String redacted(String url) {
        int at = url.lastIndexOf('@');
        int scheme = url.indexOf("://");
        return at < 0 ? url : (scheme >= 0 && scheme < at ? url.substring(0, scheme + 3) : "") + "…@"
                + url.substring(at + 1);
    }

    /** The host name or IP literal, lower-case, IPv6 without brackets. */
    public String host() {
        return this.host;
    }

    public int port() {
        return this.port;
    }

    /** {@code host:port}, IPv6 in brackets: how the proxy is named in messages, the endpoint and the metrics. */
    public String authority() {
        return this.authority;
    }

    /** The Basic username, or {@code null} without credentials. */
    public String username() {
        return this.username;
    }

    /** Whether requests through this proxy carry {@code Proxy-Authorization}. */
    public boolean hasCredentials() {
        return this.username != null;
    }

    /**
     * The {@code Proxy-Authorization} value ({@code Basic …}), or {@code null} without credentials. Never log it.
     */
    public String proxyAuthorization() {
        return this.authorization;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof HttpProxy p && this.port == p.port && this.host.equals(p.host)
                && Objects.equals(this.username, p.username) && Objects.equals(this.password, p.password));
    }

    @Override
    public int hashCode() {
        return (this.host.hashCode() * 31 + this.port) * 31 + Objects.hashCode(this.username);
    }

    /** {@code host:port}: never the credentials. */
    @Override
    public String toString() {
        return this.authority;
    }
}
