/**
 * The engine: {@code Engine} (leases, stats, health check, close), {@code ConnectionPool} (the state machine, one
 * lock, no I/O: the global limits, the line of routes waiting for room, the lease steps) and its {@code Ledger},
 * {@code RoutePool} (a route's own decisions and lists) in a {@code RouteTable}, {@code PoolConnections} (the pool's
 * idle list and the moves that keep it and the counts together), {@code PoolUpkeep} (the steps besides leasing),
 * {@code Leaser} (the I/O around the steps), {@code Warmer}, {@code HealthChecker}, the leak and starvation warnings,
 * and the connector ({@code SocketConnector}, {@code Dialer} with fast fallback over {@code TcpSockets},
 * {@code ProxyTunnel}). Not API. It knows nothing of HTTP: it depends on the API packages and on
 * {@code internal.net}, {@code internal.tls} and {@code internal.metrics}, never on {@code internal.http}. Nothing
 * outside {@code dev.hotpool.internal} depends on it but {@code HotPool}, which holds the {@code Engine} the assembly
 * made; inside, {@code internal.http} uses its lease, and the assembly builds it.
 */
package dev.hotpool.internal.pool;
