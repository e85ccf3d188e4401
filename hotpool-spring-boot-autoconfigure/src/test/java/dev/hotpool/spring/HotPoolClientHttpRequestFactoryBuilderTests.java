package dev.hotpool.spring;

import java.time.Duration;

import dev.hotpool.HotPool;
import dev.hotpool.RedirectPolicy;
import dev.hotpool.internal.spring.SslBundleTlsSettings;
import dev.hotpool.tls.TlsSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link HotPoolClientHttpRequestFactoryBuilder}: every factory is a view over the one pool.
 */
class HotPoolClientHttpRequestFactoryBuilderTests {

    private final HotPool pool = new HotPool();

    private final HotPoolClientHttpRequestFactoryBuilder builder = new HotPoolClientHttpRequestFactoryBuilder(this.pool,
            new SslBundleTlsSettings(null)::forBundle);

    @AfterEach
    void close() {
        this.pool.close();
    }

    @Test
    void everyFactoryIsAViewOverTheOnePool() {
        HotPoolClientHttpRequestFactory first = this.builder.build();
        HotPoolClientHttpRequestFactory second = this.builder.build(HttpClientSettings.defaults());
        assertThat(first).isNotSameAs(second);
        assertThat(first.pool()).isSameAs(this.pool);
        assertThat(second.pool()).isSameAs(this.pool);
    }

    @Test
    void customizersKeepTheBuilderTypeAndSeeEveryFactoryInTheOrderTheyWereAdded() {
        java.util.List<String> seen = new java.util.ArrayList<>();
        HotPoolClientHttpRequestFactoryBuilder customized = this.builder
            .withCustomizer((factory) -> seen.add("first " + factory.readTimeout()))
            .withCustomizers(java.util.List.of((factory) -> seen.add("second " + factory.readTimeout())));

        HotPoolClientHttpRequestFactory factory = customized
            .build(HttpClientSettings.defaults().withTimeouts(null, Duration.ofSeconds(3)));
        this.builder.build();

        assertThat(factory.pool()).isSameAs(this.pool);
        assertThat(seen).containsExactly("first PT3S", "second PT3S"); // The original builder has none.
        assertThatNullPointerException().isThrownBy(() -> this.builder.withCustomizers(
                java.util.Arrays.asList((java.util.function.Consumer<HotPoolClientHttpRequestFactory>) null)));
    }

    @Test
    void timeoutsComeFromTheSettings() {
        HotPoolClientHttpRequestFactory factory = this.builder
            .build(HttpClientSettings.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        assertThat(factory.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(factory.readTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void missingSettingsLeaveThePoolsDefaults() {
        HotPoolClientHttpRequestFactory factory = this.builder.build(HttpClientSettings.defaults());
        assertThat(factory.connectTimeout()).isNull();
        assertThat(factory.readTimeout()).isNull();
        assertThat(factory.tls()).isNull();
        assertThat(factory.redirects()).isEqualTo(RedirectPolicy.FOLLOW);
    }

    @Test
    void redirectSettingsMapOntoTheRedirectPolicy() {
        assertThat(policy(HttpRedirects.FOLLOW_WHEN_POSSIBLE)).isEqualTo(RedirectPolicy.FOLLOW);
        assertThat(policy(HttpRedirects.FOLLOW)).isEqualTo(RedirectPolicy.FOLLOW);
        assertThat(policy(HttpRedirects.DONT_FOLLOW)).isEqualTo(RedirectPolicy.DONT_FOLLOW);
        assertThat(HotPoolClientHttpRequestFactoryBuilder.redirectPolicy(null)).isEqualTo(RedirectPolicy.FOLLOW);
    }

    @Test
    void factoriesBuiltWithOneBundleShareOneTlsSettings() {
        SslBundle bundle = SslBundle.of(SslStoreBundle.NONE);
        SslBundle other = SslBundle.of(SslStoreBundle.NONE);
        TlsSettings first = this.builder.build(HttpClientSettings.ofSslBundle(bundle)).tls();
        TlsSettings again = this.builder.build(HttpClientSettings.ofSslBundle(bundle)).tls();
        TlsSettings another = this.builder.build(HttpClientSettings.ofSslBundle(other)).tls();
        assertThat(first).isNotNull().isSameAs(again).isNotSameAs(another);
        assertThat(first.trustStore()).isNull();
    }

    private RedirectPolicy policy(HttpRedirects redirects) {
        return this.builder.build(HttpClientSettings.defaults().withRedirects(redirects)).redirects();
    }
}
