package dev.hotpool.internal.tls;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The crypto lookups stay on the JDK's providers and fall back to the private BC provider only for what the JDK lacks. */
class JdkFirstHelperTests {

    private final JdkFirstHelper helper = new JdkFirstHelper(new BouncyCastleProvider());

    @Test
    void aesGcmAndSha256StayOnTheJdksProviders() throws Exception {
        assertThat(this.helper.createCipher("AES/GCM/NoPadding").getProvider().getName()).isEqualTo("SunJCE");
        assertThat(this.helper.createMessageDigest("SHA-256").getProvider().getName()).isEqualTo("SUN");
        assertThat(this.helper.createSignature("SHA256withECDSA").getProvider().getName()).isEqualTo("SunEC");
    }

    @Test
    void rsaPssAndChaChaUnderBouncyCastlesNamesComeFromTheFallback() throws Exception {
        assertThat(this.helper.createSignature("SHA256WITHRSAANDMGF1").getProvider().getName()).isEqualTo("BC");
        assertThat(this.helper.createCipher("ChaCha7539").getProvider().getName()).isEqualTo("BC");
        assertThat(this.helper.createMac("Poly1305").getProvider().getName()).isEqualTo("BC");
    }
}
