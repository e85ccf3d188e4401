package dev.hotpool.tls;

import java.security.KeyStore;
import java.util.Arrays;
import java.util.Objects;

/**
 * The trust and identity a TLS connection uses: which certificates are trusted (the JDK's default trust
 * store unless a trust store is given) and, for mutual TLS, the client's key. Hostname verification is
 * always on and cannot be switched off here.
 *
 * <p>Immutable and thread-safe. Equality is identity: connections made with one settings object are never
 * handed to a request that carries another, so create one per trust configuration and reuse it.
 */
public final class TlsSettings {

    private static final TlsSettings DEFAULTS = new TlsSettings("default", null, null, null);

    private final String name;
    private final KeyStore trustStore;
    private final KeyStore keyStore;
    private final char[] keyPassword;

    private TlsSettings(String name, KeyStore trustStore, KeyStore keyStore, char[] keyPassword) {
        this.name = Objects.requireNonNull(name, "'name' must not be null");
        this.trustStore = trustStore;
        this.keyStore = keyStore;
        this.keyPassword = keyPassword == null ? null : keyPassword.clone();
    }

    /** The JDK's default trust store ({@code javax.net.ssl.trustStore}, else {@code cacerts}), no client key. */
    public static TlsSettings defaults() {
        return DEFAULTS;
    }

    /**
     * Settings with their own trust store and, optionally, a client key.
     *
     * @param name a name for logs and messages, e.g. the Spring SSL bundle's name
     * @param trustStore the certificates to trust, or {@code null} for the JDK's default
     * @param keyStore the client key and certificate chain for mutual TLS, or {@code null}
     * @param keyPassword the key's password, or {@code null}
     */
    public static TlsSettings of(String name, KeyStore trustStore, KeyStore keyStore, char[] keyPassword) {
        return new TlsSettings(name, trustStore, keyStore, keyPassword);
    }

    public String name() {
        return this.name;
    }

    /** The trust store, or {@code null} for the JDK's default. */
    public KeyStore trustStore() {
        return this.trustStore;
    }

    /** The client key store, or {@code null}. */
    public KeyStore keyStore() {
        return this.keyStore;
    }

    char[] keyPassword() {
        return this.keyPassword == null ? null : Arrays.copyOf(this.keyPassword, this.keyPassword.length);
    }

    @Override
    public String toString() {
        return "TlsSettings[" + this.name + (this.trustStore == null ? ", JDK trust" : ", own trust")
                + (this.keyStore == null ? "" : ", client key") + "]";
    }
}
