package dev.hotpool.internal.spring;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import dev.hotpool.tls.TlsSettings;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * Turns Spring {@link SslBundle SSL bundles} into hotpool {@link TlsSettings}, one per bundle instance: the
 * bundle's trust store, its key (only the configured alias), and its {@code options} (enabled protocols and
 * cipher suites), which narrow the TLS profile of the connections made with it.
 *
 * <p>{@code TlsSettings} compare by identity and the pool never shares a connection across settings, so every
 * request factory that uses one bundle must carry the <em>same</em> settings object: this class remembers the
 * settings it made for each bundle instance. A reloaded bundle is a new instance and gets new settings.
 *
 * <p>Thread-safe. Called when factories are built, not per request.
 */
public final class SslBundleTlsSettings {

    private final SslBundles bundles;

    private final ReentrantLock lock = new ReentrantLock();

    /** Guarded by lock. Keys compare by identity. */
    private final Map<SslBundle, TlsSettings> settings = new IdentityHashMap<>();

    /**
     * Creates the cache.
     *
     * @param bundles the application's bundles, used to name bundles in messages and look them up by name;
     *     {@code null} when SSL bundles are not configured
     */
    public SslBundleTlsSettings(SslBundles bundles) {
        this.bundles = bundles;
    }

    /**
     * The settings for the named bundle.
     *
     * @throws NoSuchSslBundleException when no bundle has that name
     */
    public TlsSettings forBundle(String name) {
        if (this.bundles == null) {
            throw new NoSuchSslBundleException(name, "SSL bundle name '" + name
                    + "' cannot be found: no SSL bundles are configured (spring.ssl.bundle.*)");
        }
        return forBundle(this.bundles.getBundle(name), name);
    }

    /** The settings for a bundle, e.g. one Spring Boot passed in {@code HttpClientSettings.sslBundle()}. */
    public TlsSettings forBundle(SslBundle bundle) {
        return forBundle(bundle, null);
    }

    private TlsSettings forBundle(SslBundle bundle, String knownName) {
        this.lock.lock();
        try {
            TlsSettings tls = this.settings.get(bundle);
            if (tls == null) {
                tls = toTlsSettings(knownName != null ? knownName : nameOf(bundle), bundle);
                this.settings.put(bundle, tls);
            }
            return tls;
        }
        finally {
            this.lock.unlock();
        }
    }

    /** The bundle's registered name, found by identity, or a generic one for a bundle made in code. */
    private String nameOf(SslBundle bundle) {
        if (this.bundles != null) {
            for (String name : this.bundles.getBundleNames()) {
                try {
                    if (this.bundles.getBundle(name) == bundle) {
                        return name;
                    }
                }
                catch (NoSuchSslBundleException ex) {
                    // Removed meanwhile: not this one.
                }
            }
        }
        return "ssl-bundle";
    }

    private static TlsSettings toTlsSettings(String name, SslBundle bundle) {
        SslStoreBundle stores = bundle.getStores();
        KeyStore trustStore = (stores != null) ? stores.getTrustStore() : null;
        KeyStore keyStore = (stores != null) ? stores.getKeyStore() : null;
        // As Spring Boot does for its own key managers: the key's password, else the key store's.
        SslBundleKey key = bundle.getKey();
        String keyPassword = (key != null) ? key.getPassword() : null;
        if (keyPassword == null && stores != null) {
            keyPassword = stores.getKeyStorePassword();
        }
        char[] password = (keyPassword != null) ? keyPassword.toCharArray() : null;
        if (keyStore != null && key != null && key.getAlias() != null) {
            keyStore = onlyAlias(name, keyStore, key, password);
        }
        TlsSettings tls = TlsSettings.of(name, trustStore, keyStore, password);
        SslOptions options = bundle.getOptions();
        if (options == null || !options.isSpecified()) {
            return tls;
        }
        try {
            return tls.withOptions(asList(options.getEnabledProtocols()), asList(options.getCiphers()));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException("hotpool: cannot use SSL bundle '" + name + "': " + ex.getMessage(), ex);
        }
    }

    private static List<String> asList(String[] names) {
        return (names != null) ? List.of(names) : null;
    }

    /** A copy of the key store that holds only the bundle's key alias, so that key is the one presented. */
    private static KeyStore onlyAlias(String name, KeyStore keyStore, SslBundleKey key, char[] password) {
        key.assertContainsAlias(keyStore);
        try {
            KeyStore.ProtectionParameter protection = new KeyStore.PasswordProtection(password);
            KeyStore.Entry entry = keyStore.getEntry(key.getAlias(), protection);
            KeyStore copy = KeyStore.getInstance("PKCS12");
            copy.load(null, null);
            copy.setEntry(key.getAlias(), entry, protection);
            return copy;
        }
        catch (GeneralSecurityException | IOException ex) {
            throw new IllegalStateException("hotpool: cannot read key '" + key.getAlias() + "' of SSL bundle '" + name
                    + "': " + ex.getMessage(), ex);
        }
    }
}
