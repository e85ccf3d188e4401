/**
 * TLS plumbing: the JSSE set-up of each provider (BouncyCastle's JSSE with JDK-first crypto, or SunJSSE),
 * {@code TlsSetup} and {@code ProfileVerifier} (what each profile really sends on this JVM, captured once on
 * loopback, and its fingerprints), ClientHello parsing and JA3/JA4, {@code TlsConnector} (handshakes) and handshake
 * diagnostics. Not API. Depends on {@code dev.hotpool} and {@code dev.hotpool.tls} (and BouncyCastle) only; used by
 * {@code internal.pool} and {@code internal.http}, by the assembly, and by {@code HotPool} for the verified set-up.
 */
package dev.hotpool.internal.tls;
