/**
 * The HTTP/1.1 exchange over a leased connection: {@code Http1Client} (retries, redirects, cookies, the call
 * deadline), the request codec over httpcore5, the strict response parser ({@code ResponseHeadParser},
 * {@code Framing}) and body streams, keep-alive rules, and {@code Http1Probe} (probe requests for the health check).
 * Not API. Depends on the API packages, on {@code internal.pool} (its lease, and the probe interface it implements),
 * {@code internal.tls} and {@code internal.net}; nothing outside {@code dev.hotpool.internal} depends on it but
 * {@code HotPool}, which delegates {@code execute} to the client the assembly made.
 */
package dev.hotpool.internal.http;
