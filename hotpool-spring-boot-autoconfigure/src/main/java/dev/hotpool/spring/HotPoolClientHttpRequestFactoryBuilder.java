package dev.hotpool.spring;

import java.net.CookieManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.hotpool.HotPool;
import dev.hotpool.RedirectPolicy;
import dev.hotpool.internal.spring.BootClientSettings;
import dev.hotpool.internal.spring.SslBundleTlsSettings;
import dev.hotpool.net.AddressFilter;
import dev.hotpool.tls.TlsSettings;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.ssl.SslBundle;

/**
 * The {@link ClientHttpRequestFactoryBuilder} Spring Boot uses for {@code RestClient} and {@code RestTemplate}
 * when hotpool is on the classpath. Boot calls {@link #build(HttpClientSettings)} once per
 * {@code RestClient.Builder}, per {@code RestTemplateBuilder.build()} and for {@code RestClientSsl}: every call
 * returns a thin {@link HotPoolClientHttpRequestFactory} over the <em>one</em> pool, never a new pool.
 *
 * <p>Settings map as follows: {@code connectTimeout} and {@code readTimeout} to the requests' own timeouts
 * ({@code null}: the pool's); {@code redirects} {@code FOLLOW_WHEN_POSSIBLE} and {@code FOLLOW} to
 * {@link RedirectPolicy#FOLLOW}, {@code DONT_FOLLOW} to {@link RedirectPolicy#DONT_FOLLOW}; an
 * {@code sslBundle} to TLS settings made once per bundle instance, so factories that use one bundle share
 * connections. On Spring Boot 4.1 also: an {@code inetAddressFilter} to the factory's address filter (checked on every
 * address before connecting, with {@code hotpool.access.*}; a refused host raises Boot's
 * {@code FilteredHostException}; the pool's own filter, from the application's {@code InetAddressFilter} bean, is
 * not repeated per factory, so their requests use the warm connections), and {@code cookieHandling} {@code ENABLE} to an in-memory {@link CookieManager} of
 * the factory's own ({@code ENABLE_WHEN_POSSIBLE} and {@code DISABLE} keep no cookies).
 *
 * <p>{@link #withCustomizer} and {@link #withCustomizers} return a builder of this type (so customizers declared
 * for it still match after others); their consumers see every factory built, in the order they were added.
 *
 * <p>Immutable and thread-safe.
 */
public final class HotPoolClientHttpRequestFactoryBuilder
        implements ClientHttpRequestFactoryBuilder<HotPoolClientHttpRequestFactory> {

    private final HotPool pool;

    private final Function<SslBundle, TlsSettings> tlsSettings;

    private final List<Consumer<HotPoolClientHttpRequestFactory>> customizers;

    /**
     * Creates a builder whose factories turn each SSL bundle instance into one {@link TlsSettings} of their own.
     *
     * @param pool the pool every factory runs on
     */
    public HotPoolClientHttpRequestFactoryBuilder(HotPool pool) {
        this(pool, new SslBundleTlsSettings(null)::forBundle);
    }

    /**
     * Creates the builder.
     *
     * @param pool the pool every factory runs on
     * @param tlsSettings turns an SSL bundle passed in the settings into TLS settings; it must give the same settings
     *     object for the same bundle, since connections are shared only within one (the auto-configuration passes the
     *     one function all its factories share)
     */
    public HotPoolClientHttpRequestFactoryBuilder(HotPool pool, Function<SslBundle, TlsSettings> tlsSettings) {
        this(Objects.requireNonNull(pool, "'pool' must not be null"),
                Objects.requireNonNull(tlsSettings, "'tlsSettings' must not be null"), List.of());
    }

    private HotPoolClientHttpRequestFactoryBuilder(HotPool pool, Function<SslBundle, TlsSettings> tlsSettings,
            List<Consumer<HotPoolClientHttpRequestFactory>> customizers) {
        this.pool = pool;
        this.tlsSettings = tlsSettings;
        this.customizers = customizers;
    }

    @Override
    public HotPoolClientHttpRequestFactoryBuilder withCustomizer(Consumer<HotPoolClientHttpRequestFactory> customizer) {
        return withCustomizers(List.of(customizer));
    }

    @Override
    public HotPoolClientHttpRequestFactoryBuilder withCustomizers(
            Collection<Consumer<HotPoolClientHttpRequestFactory>> customizers) {
        Objects.requireNonNull(customizers, "'customizers' must not be null");
        List<Consumer<HotPoolClientHttpRequestFactory>> all = new ArrayList<>(this.customizers);
        all.addAll(customizers);
        return new HotPoolClientHttpRequestFactoryBuilder(this.pool, this.tlsSettings, List.copyOf(all)); // No nulls.
    }

    @Override
    public HotPoolClientHttpRequestFactory build(HttpClientSettings settings) {
        HotPoolClientHttpRequestFactory factory = new HotPoolClientHttpRequestFactory(this.pool);
        if (settings != null) {
            SslBundle sslBundle = settings.sslBundle();
            TlsSettings tls = (sslBundle != null) ? this.tlsSettings.apply(sslBundle) : null;
            factory = factory.withConnectTimeout(settings.connectTimeout())
                .withReadTimeout(settings.readTimeout())
                .withRedirects(redirectPolicy(settings.redirects()))
                .withTls(tls)
                .withAddressFilter(routeFilter(BootClientSettings.addressFilter(settings)))
                .withCookies(BootClientSettings.cookiesEnabled(settings) ? new CookieManager() : null);
        }
        for (Consumer<HotPoolClientHttpRequestFactory> customizer : this.customizers) {
            customizer.accept(factory);
        }
        return factory;
    }

    /**
     * The filter a factory applies to its own routes: none when it is the one the whole pool already applies (Boot
     * 4.1's {@code InetAddressFilter} bean, which reaches the pool through the auto-configuration). Its requests then
     * share the pool's connections, those warm-up opened included, under the same guard; as a route filter of its
     * own it would keep them apart from every warm connection.
     */
    private AddressFilter routeFilter(AddressFilter filter) {
        return (filter != null && filter == this.pool.config().addressFilter()) ? null : filter;
    }

    static RedirectPolicy redirectPolicy(HttpRedirects redirects) {
        if (redirects == null) {
            return RedirectPolicy.FOLLOW;
        }
        return switch (redirects) {
            case FOLLOW_WHEN_POSSIBLE, FOLLOW -> RedirectPolicy.FOLLOW;
            case DONT_FOLLOW -> RedirectPolicy.DONT_FOLLOW;
        };
    }

    @Override
    public String toString() {
        return "HotPoolClientHttpRequestFactoryBuilder over " + this.pool;
    }
}
