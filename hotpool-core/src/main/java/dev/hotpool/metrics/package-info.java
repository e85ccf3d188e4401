/**
 * What the pool tells about itself as it works: the {@code PoolListener} SPI (connections opened and closed, leases,
 * handshakes, ejections; {@code PoolListener.NONE} by default) and {@code LatencySummary}. Public API. Depends on
 * {@code dev.hotpool} only; anything may depend on it. The Micrometer binder is in {@code .micrometer}.
 */
package dev.hotpool.metrics;
