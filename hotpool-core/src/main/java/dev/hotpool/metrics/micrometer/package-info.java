/**
 * {@code HotPoolMetrics}: the {@code hotpool.*} meters in Micrometer, a {@code PoolListener} and a
 * {@code MeterBinder}, usable without Spring. Public API. The only package of {@code hotpool-core} that needs
 * Micrometer (an optional dependency), so nothing else in the core may depend on it; it depends on
 * {@code dev.hotpool} and {@code dev.hotpool.metrics}. The autoconfigure module binds it when Micrometer is present.
 */
package dev.hotpool.metrics.micrometer;
