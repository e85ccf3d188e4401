/**
 * The counts behind {@code HotPool.traffic()}: {@code TrafficRecorder} (a {@code PoolListener} counting requests,
 * handshakes and per-host requests, bounded in hosts) and {@code LatencyRecorder}. Not API. Depends on
 * {@code dev.hotpool} and {@code dev.hotpool.metrics}; used by {@code internal.pool} and the assembly.
 */
package dev.hotpool.internal.metrics;
