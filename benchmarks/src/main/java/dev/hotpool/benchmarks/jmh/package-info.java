/**
 * JMH benchmarks: lease and release on the engine alone, a whole {@code HotPool.execute} over plain HTTP to a loopback
 * server, the liveness read, the check before non-retryable requests and leak detection's cost. The one place
 * outside {@code hotpool-core} that depends on {@code dev.hotpool.internal}: it builds a pool's parts with
 * {@code PoolAssembly.assemble}, as {@code HotPool} does, and drives the {@code Engine} and its {@code Lease}s
 * directly, to measure leasing without the HTTP exchange. Nothing depends on it.
 */
package dev.hotpool.benchmarks.jmh;
