/**
 * The sample application: services that take the {@code RestClient.Builder} and {@code RestTemplateBuilder} Spring
 * Boot injects and never mention hotpool, an embedded HTTPS upstream on loopback with a certificate made at every
 * start, the {@code /demo}, {@code /aggregate} and {@code /profile} endpoints, and the status page's history. It
 * uses hotpool as a user would: through the starter, and {@code hotpool-core}'s API packages ({@code dev.hotpool},
 * {@code dev.hotpool.metrics}) and {@code HotPoolProperties} for what it shows; never {@code dev.hotpool.internal}.
 * Nothing depends on it.
 */
package dev.hotpool.sample;
