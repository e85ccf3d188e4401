/**
 * hotpool's public API: {@code HotPool} (the façade over one pool), {@code HotPoolConfig} and {@code HostSettings},
 * {@code HotRequest} and {@code HotResponse}, the snapshots ({@code PoolStats}, {@code TrafficStats},
 * {@code HealthCheckReport}, …), proxies ({@code HttpProxy}, {@code ProxySettings}) and the exceptions. Depends on the
 * other API packages ({@code dev.hotpool.tls}, {@code .net}, {@code .metrics}); it reaches the internal packages in
 * one place, {@code HotPool}, which asks {@code dev.hotpool.internal.PoolAssembly} for a pool's parts and delegates to
 * them (and {@code ProxySettings} uses the host patterns of {@code dev.hotpool.internal.util}). Anything may depend on
 * this package: users, the autoconfigure module, the sample app and the internal packages.
 */
package dev.hotpool;
