package dev.hotpool.tls;

import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The trust and identity a TLS connection uses: which certificates are trusted (the JDK's default trust
 * store unless a trust store is given) and, for mutual TLS, the client's key. Hostname verification is
 * always on and cannot be switched off here.
 *
 * <p>They may also carry the protocols and cipher suites of a Spring SSL bundle's {@code options}: those then
 * replace the TLS profile's for the connections made with these settings (protocols as the profile's that the
 * options also enable; cipher suites as the options list them). Names the provider does not support fail the
 * connection with a message naming the bundle's property.
 *
 * <p>Immutable and thread-safe. Equality is identity: connections made with one settings object are never
 * handed to a request that carries another, so create one per trust configuration and reuse it.
 */
public final class TlsSettings {

    private static final TlsSettings DEFAULTS = new TlsSettings("default", null, null, null, null, null);

    private final String name;
    private final KeyStore trustStore;
    private final KeyStore keyStore;
    private final char[] keyPassword;
    /** The enabled protocols of the options, or {@code null} for the profile's. */
    private final List<String> protocols;
    /** The cipher suites of the options, or {@code null} for the profile's. */
    private final List<String> cipherSuites;

    private TlsSettings(String name, KeyStore trustStore, KeyStore keyStore, char[] keyPassword,
            List<String> protocols, List<String> cipherSuites) {
        this.name = Objects.requireNonNull(name, "'name' must not be null");
        this.trustStore = trustStore;
        this.keyStore = keyStore;
        this.keyPassword = keyPassword == null ? null : keyPassword.clone();
        this.protocols = protocols == null ? null : List.copyOf(protocols);
        this.cipherSuites = cipherSuites == null ? null : List.copyOf(cipherSuites);
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
        return new TlsSettings(name, trustStore, keyStore, keyPassword, null, null);
    }

    /**
     * New settings with the same trust and key that also apply an SSL bundle's options.
     *
     * @param protocols the enabled protocols ({@code TLSv1.3}, {@code TLSv1.2}), or {@code null} to keep the
     *     profile's; the profile's protocols not listed are not offered
     * @param cipherSuites JSSE cipher suite names in the order to offer them, or {@code null} to keep the
     *     profile's
     * @throws IllegalArgumentException when the protocols leave neither TLSv1.3 nor TLSv1.2, or a list is empty
     */
    public TlsSettings withOptions(List<String> protocols, List<String> cipherSuites) {
        if (protocols != null && protocols.stream().noneMatch(TlsProfile.PROTOCOLS::contains)) {
            throw new IllegalArgumentException("the enabled protocols " + protocols + " of SSL bundle '" + this.name
                    + "' (options.enabled-protocols) include neither TLSv1.3 nor TLSv1.2, the only ones hotpool"
                    + " speaks");
        }
        if (cipherSuites != null && cipherSuites.isEmpty()) {
            throw new IllegalArgumentException("SSL bundle '" + this.name + "' lists no cipher suite"
                    + " (options.ciphers); leave it out to use the TLS profile's");
        }
        return new TlsSettings(this.name, this.trustStore, this.keyStore, this.keyPassword, protocols, cipherSuites);
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

    /** Whether these settings carry SSL bundle options that narrow the profile. */
    public boolean hasOptions() {
        return this.protocols != null || this.cipherSuites != null;
    }

    /** The options' enabled protocols, or {@code null}. */
    public List<String> protocols() {
        return this.protocols;
    }

    /** The options' cipher suites, or {@code null}. */
    public List<String> cipherSuites() {
        return this.cipherSuites;
    }

    /** A copy of the password of the client key, or {@code null}. */
    public char[] keyPassword() {
        return this.keyPassword == null ? null : Arrays.copyOf(this.keyPassword, this.keyPassword.length);
    }

    @Override
    public String toString() {
        return "TlsSettings[" + this.name + (this.trustStore == null ? ", JDK trust" : ", own trust")
                + (this.keyStore == null ? "" : ", client key")
                + (this.protocols == null ? "" : ", protocols " + this.protocols)
                + (this.cipherSuites == null ? "" : ", cipher suites " + this.cipherSuites) + "]";
    }
}
