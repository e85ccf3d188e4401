/**
 * The many-origins benchmark ({@code benchmarks/run.sh --many-origins}): hotpool's core API and HttpClient 5 over N
 * host names resolved to loopback, one JVM per measurement, heap before and after an idle sweep. Uses hotpool's API
 * ({@code dev.hotpool}, {@code .net} for the {@code Resolver}, {@code .tls}) and the harness's helpers in
 * {@code .load}; nothing depends on it.
 */
package dev.hotpool.benchmarks.origins;
