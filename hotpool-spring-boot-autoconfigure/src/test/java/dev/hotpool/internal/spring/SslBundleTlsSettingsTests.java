package dev.hotpool.internal.spring;

import java.security.KeyStore;
import java.util.Collections;

import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.tls.TlsSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link SslBundleTlsSettings}.
 */
class SslBundleTlsSettingsTests {

    private static final String PASSWORD = new String(TestCertificates.PASSWORD);

    @Test
    void bundleBecomesTrustAndKeyNamedAfterTheBundle() {
        KeyStore keys = TestCertificates.localhost(KeyType.EC).serverKeyStore();
        KeyStore trust = TestCertificates.localhost(KeyType.EC).trustStore();
        DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry();
        SslBundle bundle = SslBundle.of(SslStoreBundle.of(keys, PASSWORD, trust));
        registry.registerBundle("client", bundle);
        SslBundleTlsSettings settings = new SslBundleTlsSettings(registry);

        TlsSettings tls = settings.forBundle(bundle);

        assertThat(tls.name()).isEqualTo("client");
        assertThat(tls.trustStore()).isSameAs(trust);
        assertThat(tls.keyStore()).isSameAs(keys);
        assertThat(settings.forBundle("client")).isSameAs(tls);
    }

    @Test
    void keyAliasLeavesOnlyThatKeyInTheKeyStore() throws Exception {
        KeyStore both = KeyStore.getInstance("PKCS12");
        both.load(null, null);
        copyServerKey(TestCertificates.localhost(KeyType.RSA).serverKeyStore(), both, "first");
        copyServerKey(TestCertificates.localhost(KeyType.EC).serverKeyStore(), both, "second");
        SslBundle bundle = SslBundle.of(SslStoreBundle.of(both, PASSWORD, null), SslBundleKey.of(PASSWORD, "second"));

        TlsSettings tls = new SslBundleTlsSettings(null).forBundle(bundle);

        assertThat(Collections.list(tls.keyStore().aliases())).containsExactly("second");
        assertThat(tls.keyStore().getKey("second", TestCertificates.PASSWORD))
            .isEqualTo(both.getKey("second", TestCertificates.PASSWORD));
        assertThat(tls.trustStore()).isNull();
    }

    @Test
    void bundleOptionsComeAlongAndBadOnesAreRefusedNamingTheBundle() {
        KeyStore trust = TestCertificates.localhost(KeyType.EC).trustStore();
        DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry();
        registry.registerBundle("narrow", SslBundle.of(SslStoreBundle.of(null, null, trust), null,
                SslOptions.of(new String[] { "TLS_AES_128_GCM_SHA256" }, new String[] { "TLSv1.3" })));
        registry.registerBundle("ancient", SslBundle.of(SslStoreBundle.of(null, null, trust), null,
                SslOptions.of(null, new String[] { "TLSv1" })));
        SslBundleTlsSettings settings = new SslBundleTlsSettings(registry);

        assertThat(settings.forBundle("narrow").toString())
            .isEqualTo("TlsSettings[narrow, own trust, protocols [TLSv1.3], cipher suites [TLS_AES_128_GCM_SHA256]]");
        assertThatIllegalStateException().isThrownBy(() -> settings.forBundle("ancient"))
            .withMessage("hotpool: cannot use SSL bundle 'ancient': the enabled protocols [TLSv1] of SSL bundle"
                    + " 'ancient' (options.enabled-protocols) include neither TLSv1.3 nor TLSv1.2, the only ones"
                    + " hotpool speaks");
    }

    @Test
    void unknownBundleNameIsReported() {
        SslBundleTlsSettings settings = new SslBundleTlsSettings(new DefaultSslBundleRegistry());
        assertThatExceptionOfType(NoSuchSslBundleException.class).isThrownBy(() -> settings.forBundle("missing"))
            .satisfies((ex) -> assertThat(ex.getBundleName()).isEqualTo("missing"));
        assertThatExceptionOfType(NoSuchSslBundleException.class)
            .isThrownBy(() -> new SslBundleTlsSettings(null).forBundle("missing"))
            .withMessageContaining("no SSL bundles are configured");
    }

    private static void copyServerKey(KeyStore from, KeyStore to, String alias) throws Exception {
        KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(TestCertificates.PASSWORD);
        to.setEntry(alias, from.getEntry(TestCertificates.SERVER_ALIAS, protection), protection);
    }
}
