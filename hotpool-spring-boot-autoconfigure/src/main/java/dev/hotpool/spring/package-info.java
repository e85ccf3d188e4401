/**
 * Spring's HTTP client abstractions over a {@link dev.hotpool.HotPool}: a {@code ClientHttpRequestFactory}, and
 * the {@code ClientHttpRequestFactoryBuilder} Spring Boot uses for {@code RestClient} and {@code RestTemplate}.
 */
package dev.hotpool.spring;
