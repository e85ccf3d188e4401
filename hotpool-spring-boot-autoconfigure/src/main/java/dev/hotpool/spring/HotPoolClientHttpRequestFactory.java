package dev.hotpool.spring;

import java.net.CookieHandler;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import dev.hotpool.HotPool;
import dev.hotpool.RedirectPolicy;
import dev.hotpool.net.AddressFilter;
import dev.hotpool.tls.TlsSettings;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;

/**
 * A {@link ClientHttpRequestFactory} whose requests run over a {@link HotPool}: a thin view that holds no
 * connection of its own. Many factories (one per {@code RestClient.Builder}, per {@code RestTemplate}) share
 * one pool, each with its own timeouts, redirect policy, TLS settings, address filter and cookie store.
 *
 * <p>Thread-safe. The {@code with*} methods return a new factory over the same pool. The setters change this
 * factory, as Spring's own factories' setters do, for a {@code ClientHttpRequestFactoryBuilder} customizer
 * ({@code builder.withCustomizer(f -> f.setReadTimeout(…))}) or other configuration before use; requests created
 * after a change see it. Closing the pool is the application's business (in Spring Boot, the pool bean's), never
 * the factory's.
 */
public final class HotPoolClientHttpRequestFactory implements ClientHttpRequestFactory {

    private final HotPool pool;

    private volatile Duration connectTimeout;

    private volatile Duration readTimeout;

    private volatile Duration callTimeout;

    private volatile RedirectPolicy redirects;

    private final TlsSettings tls;

    private final AddressFilter addressFilter;

    private final CookieHandler cookies;

    /** A factory over {@code pool} with the pool's timeouts and TLS settings, following redirects. */
    public HotPoolClientHttpRequestFactory(HotPool pool) {
        this(pool, null, null, null, RedirectPolicy.FOLLOW, null, null, null);
    }

    private HotPoolClientHttpRequestFactory(HotPool pool, Duration connectTimeout, Duration readTimeout,
            Duration callTimeout, RedirectPolicy redirects, TlsSettings tls, AddressFilter addressFilter,
            CookieHandler cookies) {
        this.pool = Objects.requireNonNull(pool, "'pool' must not be null");
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.callTimeout = callTimeout;
        this.redirects = Objects.requireNonNull(redirects, "'redirects' must not be null");
        this.tls = tls;
        this.addressFilter = addressFilter;
        this.cookies = cookies;
    }

    /** A factory whose requests use this connect timeout ({@code null}: the pool's). */
    public HotPoolClientHttpRequestFactory withConnectTimeout(Duration connectTimeout) {
        return new HotPoolClientHttpRequestFactory(this.pool, connectTimeout, this.readTimeout, this.callTimeout,
                this.redirects,
                this.tls, this.addressFilter, this.cookies);
    }

    /** A factory whose requests use this read timeout ({@code null}: the pool's). */
    public HotPoolClientHttpRequestFactory withReadTimeout(Duration readTimeout) {
        return new HotPoolClientHttpRequestFactory(this.pool, this.connectTimeout, readTimeout, this.callTimeout,
                this.redirects,
                this.tls, this.addressFilter, this.cookies);
    }

    /** Sets the connect timeout of this factory's requests ({@code null}: the pool's). */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** Sets the read timeout of this factory's requests ({@code null}: the pool's). */
    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    /**
     * Sets the bound on each whole call up to its response head (acquire, connect, TLS, request, response head,
     * retries and redirects included); {@code null}: the pool's ({@code hotpool.call-timeout}); zero: none.
     */
    public void setCallTimeout(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    /** A factory whose requests use this call timeout (see {@link #setCallTimeout}). */
    public HotPoolClientHttpRequestFactory withCallTimeout(Duration callTimeout) {
        return new HotPoolClientHttpRequestFactory(this.pool, this.connectTimeout, this.readTimeout, callTimeout,
                this.redirects, this.tls, this.addressFilter, this.cookies);
    }

    /** Sets whether this factory's requests follow redirects. */
    public void setRedirects(RedirectPolicy redirects) {
        this.redirects = Objects.requireNonNull(redirects, "'redirects' must not be null");
    }

    /** A factory whose requests follow redirects, or not. */
    public HotPoolClientHttpRequestFactory withRedirects(RedirectPolicy redirects) {
        return new HotPoolClientHttpRequestFactory(this.pool, this.connectTimeout, this.readTimeout, this.callTimeout,
                redirects,
                this.tls, this.addressFilter, this.cookies);
    }

    /**
     * A factory whose requests use these TLS settings ({@code null}: the pool's). Connections are pooled per
     * settings object, so reuse one object for one trust configuration.
     */
    public HotPoolClientHttpRequestFactory withTls(TlsSettings tls) {
        return new HotPoolClientHttpRequestFactory(this.pool, this.connectTimeout, this.readTimeout, this.callTimeout,
                this.redirects, tls, this.addressFilter, this.cookies);
    }

    /**
     * A factory whose requests connect only to addresses this filter allows (besides the pool's own filter and
     * {@code hotpool.access.*}); {@code null}: no filter of its own. Connections are pooled per filter object.
     */
    public HotPoolClientHttpRequestFactory withAddressFilter(AddressFilter addressFilter) {
        return new HotPoolClientHttpRequestFactory(this.pool, this.connectTimeout, this.readTimeout, this.callTimeout,
                this.redirects, this.tls, addressFilter, this.cookies);
    }

    /**
     * A factory whose requests send the cookies of this store and give it those of their responses; {@code null}
     * (the default): no cookies kept. Give each factory its own store: a store shared by factories shares their
     * cookies.
     */
    public HotPoolClientHttpRequestFactory withCookies(CookieHandler cookies) {
        return new HotPoolClientHttpRequestFactory(this.pool, this.connectTimeout, this.readTimeout, this.callTimeout,
                this.redirects, this.tls, this.addressFilter, cookies);
    }

    @Override
    public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) {
        return new HotPoolClientHttpRequest(this, uri, httpMethod);
    }

    /** The pool the requests run on. */
    public HotPool pool() {
        return this.pool;
    }

    /** The requests' connect timeout, or {@code null} for the pool's. */
    public Duration connectTimeout() {
        return this.connectTimeout;
    }

    /** The requests' read timeout, or {@code null} for the pool's. */
    public Duration readTimeout() {
        return this.readTimeout;
    }

    /** The requests' call timeout, or {@code null} for the pool's. */
    public Duration callTimeout() {
        return this.callTimeout;
    }

    public RedirectPolicy redirects() {
        return this.redirects;
    }

    /** The requests' TLS settings, or {@code null} for the pool's. */
    public TlsSettings tls() {
        return this.tls;
    }

    /** The requests' own address filter, or {@code null} for none. */
    public AddressFilter addressFilter() {
        return this.addressFilter;
    }

    /** The factory's cookie store, or {@code null} when it keeps no cookies. */
    public CookieHandler cookies() {
        return this.cookies;
    }

    @Override
    public String toString() {
        return "HotPoolClientHttpRequestFactory[connect-timeout=" + orPool(this.connectTimeout) + ", read-timeout="
                + orPool(this.readTimeout) + ", call-timeout=" + orPool(this.callTimeout) + ", redirects=" + this.redirects + ", tls="
                + ((this.tls != null) ? this.tls.name() : "pool's") + ", address-filter="
                + ((this.addressFilter != null) ? this.addressFilter : "none") + ", cookies="
                + ((this.cookies != null) ? "kept" : "none") + "] over " + this.pool;
    }

    private static String orPool(Duration duration) {
        return (duration != null) ? duration.toString() : "pool's";
    }
}
