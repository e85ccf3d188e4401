package dev.hotpool.tls;

/**
 * The JSSE implementation that speaks TLS for the pool ({@code hotpool.tls.provider}). Either way hostname
 * verification (HTTPS rules) is on, SNI is sent explicitly for host names (also {@code localhost}) and never for IP
 * literals, and the JVM's global security setup is left as it is: neither provider is registered or made the
 * default, and the JVM's default {@code SSLContext} is never used.
 *
 * <p>Thread-safe (stateless constants).
 */
public enum TlsProvider {

    /**
     * BouncyCastle's JSSE (the default): a private, unregistered provider whose crypto runs on the JDK's own
     * providers first. Sets every part of a {@link TlsProfile} per connection.
     */
    BC("BouncyCastle JSSE"),

    /**
     * The JDK's own JSSE (SunJSSE), with its own trust and key managers. On Java 17 it sets per connection only
     * the protocols, cipher suites and ALPN of a profile (signature schemes from Java 19, named groups from Java 20,
     * key shares never): the rest comes from the JVM-wide {@code jdk.tls.*} settings.
     */
    JDK("the JDK's SunJSSE");

    private final String displayName;

    TlsProvider(String displayName) {
        this.displayName = displayName;
    }

    /** How messages name it: {@code BouncyCastle JSSE}, {@code the JDK's SunJSSE}. */
    public String displayName() {
        return this.displayName;
    }
}
