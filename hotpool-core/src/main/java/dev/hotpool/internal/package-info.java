/**
 * The assembly point: {@code PoolAssembly} builds a pool's parts in dependency order (TLS profiles verified for this
 * JVM, traffic recorder and listener, address book and outlier detector, connector, health probe, engine, HTTP/1.1
 * client) so that nothing is handed a callback into something not yet built. Not API. It depends on every package of
 * {@code hotpool-core}; only {@code HotPool} (and tests, and the JMH benchmarks) may depend on it.
 */
package dev.hotpool.internal;
