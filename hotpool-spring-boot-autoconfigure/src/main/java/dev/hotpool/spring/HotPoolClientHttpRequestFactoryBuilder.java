package dev.hotpool.spring;

import java.util.Objects;

import dev.hotpool.HotPool;
import dev.hotpool.RedirectPolicy;
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
 * connections.
 *
 * <p>Immutable and thread-safe.
 */
public final class HotPoolClientHttpRequestFactoryBuilder
        implements ClientHttpRequestFactoryBuilder<HotPoolClientHttpRequestFactory> {

    private final HotPool pool;

    private final SslBundleTlsSettings tlsSettings;

    /**
     * Creates the builder.
     *
     * @param pool the pool every factory runs on
     * @param tlsSettings turns SSL bundles passed in the settings into TLS settings
     */
    public HotPoolClientHttpRequestFactoryBuilder(HotPool pool, SslBundleTlsSettings tlsSettings) {
        this.pool = Objects.requireNonNull(pool, "'pool' must not be null");
        this.tlsSettings = Objects.requireNonNull(tlsSettings, "'tlsSettings' must not be null");
    }

    @Override
    public HotPoolClientHttpRequestFactory build(HttpClientSettings settings) {
        HotPoolClientHttpRequestFactory factory = new HotPoolClientHttpRequestFactory(this.pool);
        if (settings == null) {
            return factory;
        }
        SslBundle sslBundle = settings.sslBundle();
        TlsSettings tls = (sslBundle != null) ? this.tlsSettings.forBundle(sslBundle) : null;
        return factory.withConnectTimeout(settings.connectTimeout())
            .withReadTimeout(settings.readTimeout())
            .withRedirects(redirectPolicy(settings.redirects()))
            .withTls(tls);
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
