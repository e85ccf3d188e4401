/**
 * Spring's HTTP client abstractions over a {@link dev.hotpool.HotPool}: a {@code ClientHttpRequestFactory}, and
 * the {@code ClientHttpRequestFactoryBuilder} Spring Boot uses for {@code RestClient} and {@code RestTemplate}, with
 * Boot's client settings (SSL bundles, and on Boot 4.1 its {@code InetAddressFilter} and cookie handling). Depends on
 * {@code hotpool-core}'s API packages and on Spring, never on {@code dev.hotpool.internal} nor on the
 * auto-configuration; {@code dev.hotpool.autoconfigure} depends on it, and so may an application that builds
 * factories itself.
 */
package dev.hotpool.spring;
