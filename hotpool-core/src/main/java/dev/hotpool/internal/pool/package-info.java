/**
 * The engine: {@code Engine} (leases, stats, health check, close), {@code ConnectionPool} (the state machine, one
 * lock, no I/O) and its {@code Ledger}, routes and idle lists, {@code Leaser} (the I/O around the state machine),
 * {@code Warmer}, {@code HealthChecker}, the leak and starvation warnings, and the connector ({@code SocketConnector},
 * {@code Dialer} with fast fallback, {@code ProxyTunnel}). Not API. It knows nothing of HTTP: it depends on the API
 * packages and on {@code internal.net}, {@code internal.tls} and {@code internal.metrics}, never on
 * {@code internal.http}. Nothing outside {@code dev.hotpool.internal} depends on it but {@code HotPool}, which holds
 * the {@code Engine} the assembly made; inside, {@code internal.http} uses its lease, and the assembly builds it.
 */
package dev.hotpool.internal.pool;
