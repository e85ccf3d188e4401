/**
 * TLS as users configure it: {@code TlsProfile} (what a new connection puts in its ClientHello), {@code TlsProfiles}
 * (a pool's profiles, provider and rotation), {@code TlsSettings} (trust and client key), {@code TlsProvider} and
 * {@code Fingerprint} (the JA3 and JA4 of what a profile really sends). Public API. A leaf: it depends on no other
 * hotpool package (what a provider can send on this JVM is verified in {@code dev.hotpool.internal.tls} when a pool is
 * made). Anything may depend on it.
 */
package dev.hotpool.tls;
