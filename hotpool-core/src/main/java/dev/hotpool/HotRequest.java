package dev.hotpool;

import dev.hotpool.net.AddressFilter;
import dev.hotpool.tls.TlsSettings;

import java.net.CookieHandler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One HTTP request to send through a {@link HotPool}. Immutable once built; build with {@link #builder}.
 *
 * <p>Headers go on the wire in the order given. {@code Host} is added when absent, and
 * {@code Connection: keep-alive} unless the caller set a {@code Connection} header.
 */
public final class HotRequest {

    private final String method;
    private final URI uri;
    private final Origin origin;
    private final String target;
    private final List<Header> headers;
    private final RequestBody body;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration callTimeout;
    private final TlsSettings tls;
    private final RedirectPolicy redirects;
    private final AddressFilter addressFilter;
    private final CookieHandler cookies;

    private HotRequest(Builder b) {
        this.method = b.method;
        this.uri = b.uri;
        this.origin = Origin.of(b.uri);
        String path = b.uri.getRawPath();
        String query = b.uri.getRawQuery();
        this.target = ((path == null || path.isEmpty()) ? "/" : path) + (query != null ? "?" + query : "");
        this.headers = Collections.unmodifiableList(new ArrayList<>(b.headers));
        this.body = b.body;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.callTimeout = b.callTimeout;
        this.tls = b.tls;
        this.redirects = b.redirects;
        this.addressFilter = b.addressFilter;
        this.cookies = b.cookies;
    }

    public static Builder builder(String method, URI uri) {
        return new Builder(method, uri);
    }

    /** A GET of {@code uri} with no headers. */
    public static HotRequest get(URI uri) {
        return builder("GET", uri).build();
    }

    public String method() {
        return this.method;
    }

    public URI uri() {
        return this.uri;
    }

    public Origin origin() {
        return this.origin;
    }

    /** The request target as sent: raw path and query, {@code /} when the path is empty. */
    public String target() {
        return this.target;
    }

    public List<Header> headers() {
        return this.headers;
    }

    /** The body, or {@code null} when the request has none. */
    public RequestBody body() {
        return this.body;
    }

    /** Per-request connect timeout, or {@code null} for the pool's. */
    public Duration connectTimeout() {
        return this.connectTimeout;
    }

    /** Per-request read (socket) timeout, or {@code null} for the pool's. */
    public Duration readTimeout() {
        return this.readTimeout;
    }

    /**
     * Per-request bound on the whole call up to the response head (see {@link HotPoolConfig#callTimeout()}), or
     * {@code null} for the pool's; zero: none.
     */
    public Duration callTimeout() {
        return this.callTimeout;
    }

    /** TLS settings for this request, or {@code null} for the pool's; connections are never shared across settings. */
    public TlsSettings tls() {
        return this.tls;
    }

    public RedirectPolicy redirects() {
        return this.redirects;
    }

    /** The request's own address filter, checked besides the pool's; {@code null} for none. */
    public AddressFilter addressFilter() {
        return this.addressFilter;
    }

    /** The cookie store the request takes cookies from and gives the response's to; {@code null} for none. */
    public CookieHandler cookies() {
        return this.cookies;
    }

    /** The first value of the named header, or {@code null}. */
    public String header(String name) {
        for (Header h : this.headers) {
            if (h.is(name)) {
                return h.value();
            }
        }
        return null;
    }

    /** A copy of this request sent to another URI (for a redirect), without a body when {@code dropBody}. */
    public HotRequest redirectTo(URI location, String newMethod, boolean dropBody) {
        Builder b = new Builder(newMethod, location);
        boolean sameOrigin = Origin.of(location).equals(this.origin);
        for (Header h : this.headers) {
            if (h.is("Host")) {
                continue;
            }
            if (!sameOrigin && (h.is("Authorization") || h.is("Cookie") || h.is("Proxy-Authorization"))) {
                continue; // Credentials do not travel to another origin.
            }
            if (dropBody && (h.is("Content-Length") || h.is("Content-Type") || h.is("Transfer-Encoding"))) {
                continue;
            }
            b.header(h.name(), h.value());
        }
        b.body(dropBody ? null : this.body);
        b.connectTimeout(this.connectTimeout).readTimeout(this.readTimeout).callTimeout(this.callTimeout).tls(this.tls).redirects(this.redirects)
                .addressFilter(this.addressFilter).cookies(this.cookies);
        return b.build();
    }

    /** Method and URI without query string (safe to log). */
    @Override
    public String toString() {
        return this.method + " " + Redaction.uri(this.uri);
    }

    /** Builds a {@link HotRequest}. Not thread-safe. */
    public static final class Builder {

        private final String method;
        private final URI uri;
        private final List<Header> headers = new ArrayList<>();
        private RequestBody body;
        private Duration connectTimeout;
        private Duration readTimeout;
        private Duration callTimeout;
        private TlsSettings tls;
        private RedirectPolicy redirects = RedirectPolicy.FOLLOW;
        private AddressFilter addressFilter;
        private CookieHandler cookies;

        private Builder(String method, URI uri) {
            Objects.requireNonNull(method, "'method' must not be null");
            Objects.requireNonNull(uri, "'uri' must not be null");
            if (method.isEmpty() || !method.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new IllegalArgumentException("hotpool: invalid HTTP method '" + method + "'");
            }
            this.method = method.toUpperCase(Locale.ROOT);
            this.uri = uri;
        }

        /** Adds a header; the name and value are checked for CR, LF and NUL when the request is built. */
        public Builder header(String name, String value) {
            this.headers.add(new Header(name, value));
            return this;
        }

        public Builder headers(Iterable<Header> headers) {
            for (Header h : headers) {
                this.headers.add(h);
            }
            return this;
        }

        public Builder body(RequestBody body) {
            this.body = body;
            return this;
        }

        public Builder body(byte[] body) {
            this.body = body == null ? null : RequestBody.of(body);
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        /**
         * A bound on the whole call up to its response head: acquire, connect, TLS, request, response head, and any
         * retry or redirect on the way. {@code null}: the pool's ({@code hotpool.call-timeout}); zero: none.
         */
        public Builder callTimeout(Duration callTimeout) {
            if (callTimeout != null && callTimeout.isNegative()) {
                throw new IllegalArgumentException("hotpool: the call timeout (" + callTimeout
                        + ") must not be negative");
            }
            this.callTimeout = callTimeout;
            return this;
        }

        public Builder tls(TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        public Builder redirects(RedirectPolicy redirects) {
            this.redirects = Objects.requireNonNull(redirects, "'redirects' must not be null");
            return this;
        }

        /**
         * An address filter for this request, checked besides the pool's and the access policy before anything is
         * sent; connections are pooled per filter object. {@code null}: none.
         */
        public Builder addressFilter(AddressFilter addressFilter) {
            this.addressFilter = addressFilter;
            return this;
        }

        /**
         * A cookie store: its cookies for the URI are sent (in one {@code Cookie} header, after any the request
         * has), and the {@code Set-Cookie} headers of every response, redirects included, are given to it.
         * {@code null}: none (the default; the pool keeps no cookies of its own).
         */
        public Builder cookies(CookieHandler cookies) {
            this.cookies = cookies;
            return this;
        }

        /**
         * Builds the request.
         *
         * @throws IllegalArgumentException when a header name or value contains CR, LF or NUL (header
         *     injection), or a name is not a token; nothing has been sent
         */
        public HotRequest build() {
            Origin origin = Origin.of(this.uri);
            for (Header h : this.headers) {
                checkHeader(h, origin);
            }
            return new HotRequest(this);
        }

        private static void checkHeader(Header h, Origin origin) {
            String name = h.name();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("hotpool: empty header name in a request to " + origin);
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c <= 32 || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                    throw new IllegalArgumentException("hotpool: invalid character 0x" + Integer.toHexString(c)
                            + " in the name of header '" + printable(name) + "' in a request to " + origin
                            + "; nothing was sent");
                }
            }
            String value = h.value();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' || c == 0) {
                    throw new IllegalArgumentException("hotpool: header '" + name + "' in a request to " + origin
                            + " contains " + (c == '\r' ? "CR" : c == '\n' ? "LF" : "NUL")
                            + " (header injection); nothing was sent");
                }
            }
        }

        private static String printable(String s) {
            StringBuilder sb = new StringBuilder();
            for (char c : s.toCharArray()) {
                sb.append(c < 32 || c >= 127 ? '?' : c);
            }
            return sb.toString();
        }
    }
}
