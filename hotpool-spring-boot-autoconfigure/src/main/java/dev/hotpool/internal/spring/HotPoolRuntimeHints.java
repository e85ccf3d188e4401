package dev.hotpool.internal.spring;

import java.net.InetAddress;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.net.ssl.SSLParameters;

import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.SignatureScheme;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.util.ClassUtils;

/**
 * What hotpool, and the BouncyCastle code it runs, reach by name at runtime, for Spring AOT to write into a native
 * image's reachability metadata ({@code process-aot} applies it through {@link dev.hotpool.autoconfigure.HotPoolAutoConfiguration}'s
 * {@code @ImportRuntimeHints}). Without these a native image runs differently from the JVM, silently: Boot 4.1's
 * {@code InetAddressFilter} unread (hotpool then stops at startup, see {@code BootClientSettings}), TLS names
 * unknown, no AES-GCM through the JDK, no RSA-PSS or ChaCha20 from the BouncyCastle fallback.
 *
 * <p>Exactly what is reached: found by running hotpool's TLS tests under Spring's {@code RuntimeHintsAgent}
 * (reflection and resources from {@code dev.hotpool} and {@code org.bouncycastle}) and by recording which
 * BouncyCastle services the JDK-first crypto falls back to during handshakes with every built-in TLS profile;
 * {@code HotPoolRuntimeHintsTests} and {@code BouncyCastleFallbackHintsTests} repeat both recordings and assert
 * each hint. hotpool reads no resource by name (its configuration metadata is for IDEs; nothing reads it at
 * runtime), so there are no resource hints. Pinned to BouncyCastle 1.84 (the tests fail when a new version reaches
 * something else).
 *
 * <p>Stateless and thread-safe.
 */
public final class HotPoolRuntimeHints implements RuntimeHintsRegistrar {

    /** Where Spring Boot 4.1's types live (absent on 4.0). */
    private static final String BOOT_CLIENT = "org.springframework.boot.http.client.";

    private static final String BC_PROVIDER = "org.bouncycastle.jcajce.provider.";

    /**
     * The {@code $Mappings} classes {@code new BouncyCastleProvider()} loads by name and instantiates (one per
     * algorithm family, each registering its algorithms' class names), by package under {@value #BC_PROVIDER}. The
     * fallback provider is built that way; a family whose class is missing is silently left out of it.
     */
    static final List<String> BC_PROVIDER_MAPPINGS = List.of(
            // asymmetric
            "asymmetric.COMPOSITE", "asymmetric.CONTEXT", "asymmetric.CompositeSignatures", "asymmetric.DH",
            "asymmetric.DSA", "asymmetric.DSTU4145", "asymmetric.Dilithium", "asymmetric.EC", "asymmetric.ECGOST",
            "asymmetric.EXTERNAL", "asymmetric.EdEC", "asymmetric.ElGamal", "asymmetric.Falcon", "asymmetric.GM",
            "asymmetric.GOST", "asymmetric.IES", "asymmetric.LMS", "asymmetric.MLDSA", "asymmetric.MLKEM",
            "asymmetric.NTRU", "asymmetric.NoSig", "asymmetric.RSA", "asymmetric.SLHDSA", "asymmetric.SPHINCSPlus",
            "asymmetric.X509",
            // digest
            "digest.Blake2b", "digest.Blake2s", "digest.Blake3", "digest.DSTU7564", "digest.GOST3411",
            "digest.Haraka", "digest.Keccak", "digest.MD2", "digest.MD4", "digest.MD5", "digest.RIPEMD128",
            "digest.RIPEMD160", "digest.RIPEMD256", "digest.RIPEMD320", "digest.SHA1", "digest.SHA224",
            "digest.SHA256", "digest.SHA3", "digest.SHA384", "digest.SHA512", "digest.SM3", "digest.Skein",
            "digest.Tiger", "digest.Whirlpool",
            // drbg, kdf, keystore
            "drbg.DRBG", "kdf.HKDF", "kdf.PBKDF2", "kdf.SCRYPT", "keystore.BC", "keystore.BCFKS", "keystore.PKCS12",
            // symmetric
            "symmetric.AES", "symmetric.ARC4", "symmetric.ARIA", "symmetric.Blowfish", "symmetric.CAST5",
            "symmetric.CAST6", "symmetric.Camellia", "symmetric.ChaCha", "symmetric.DES", "symmetric.DESede",
            "symmetric.DSTU7624", "symmetric.GOST28147", "symmetric.GOST3412_2015", "symmetric.Grain128",
            "symmetric.Grainv1", "symmetric.HC128", "symmetric.HC256", "symmetric.HKDF", "symmetric.IDEA",
            "symmetric.Noekeon", "symmetric.OpenSSLPBKDF", "symmetric.PBEPBKDF1", "symmetric.PBEPBKDF2",
            "symmetric.PBEPKCS12", "symmetric.Poly1305", "symmetric.RC2", "symmetric.RC5", "symmetric.RC6",
            "symmetric.Rijndael", "symmetric.SCRYPT", "symmetric.SEED", "symmetric.SM4", "symmetric.Salsa20",
            "symmetric.Serpent", "symmetric.Shacal2", "symmetric.SipHash", "symmetric.SipHash128",
            "symmetric.Skipjack", "symmetric.TEA", "symmetric.TLSKDF", "symmetric.Threefish", "symmetric.Twofish",
            "symmetric.VMPC", "symmetric.VMPCKSA3", "symmetric.XSalsa20", "symmetric.XTEA", "symmetric.Zuc");

    /**
     * The JDK types {@code new BouncyCastleProvider()} loads by name to see what this JDK offers (without them it
     * leaves out revocation checking and the ML-KEM {@code KEM} services). On Java 25 its multi-release classes know
     * the KEM API is there without asking for {@code KEMSpi}; Java 17 to 24 ask.
     */
    static final List<String> BC_PROVIDER_JDK_TYPES = List.of("java.security.cert.PKIXRevocationChecker",
            "javax.crypto.KEMSpi");

    /**
     * The BouncyCastle service classes the JCA instantiates by name (public no-argument constructor) when hotpool's
     * JDK-first crypto falls back to its private BouncyCastle provider: what the JDK lacks under the names BC's TLS
     * asks for. Recorded over handshakes with every built-in profile, RSA and EC servers, TLS 1.2 and 1.3.
     */
    static final List<String> BC_FALLBACK_SERVICES = List.of(
            // Signature.SHA{256,384,512}WITHRSAANDMGF1: rsa_pss_* schemes (TLS 1.3 to an RSA server needs them).
            "asymmetric.rsa.PSSSignatureSpi$SHA256withRSA", "asymmetric.rsa.PSSSignatureSpi$SHA384withRSA",
            "asymmetric.rsa.PSSSignatureSpi$SHA512withRSA",
            // AlgorithmParameters.PSS: what the PSS signatures above make for their parameters.
            "asymmetric.rsa.AlgorithmParametersSpi$PSS",
            // Cipher.RSA//PKCS1Padding: TLS 1.2 RSA key exchange (BC asks for RSA/NONE/PKCS1Padding).
            "asymmetric.rsa.CipherSpi$PKCS1v1_5Padding",
            // Cipher.ChaCha7539 and Mac.Poly1305: the ChaCha20-Poly1305 suites.
            "symmetric.ChaCha$Base7539", "symmetric.Poly1305$Mac",
            // KeyPairGenerator.ML-KEM-*: BC's check of which ML-KEM groups it can offer.
            "asymmetric.mlkem.MLKEMKeyPairGeneratorSpi$MLKEM512", "asymmetric.mlkem.MLKEMKeyPairGeneratorSpi$MLKEM768",
            "asymmetric.mlkem.MLKEMKeyPairGeneratorSpi$MLKEM1024",
            // Signature.ML-DSA, SLH-DSA, SM3withSM2: BC's check of which signature schemes it can offer.
            "asymmetric.mldsa.SignatureSpi$MLDSA", "asymmetric.slhdsa.SignatureSpi$Direct",
            "asymmetric.ec.GMSignatureSpi$sm3WithSM2");

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        ReflectionHints reflection = hints.reflection();
        if (ClassUtils.isPresent(BOOT_CLIENT + "InetAddressFilter", classLoader)) {
            bootClientSettings(reflection);
        }
        tlsNames(reflection);
        jdkMembersBouncyCastleReaches(reflection);
        bouncyCastleProvider(reflection);
    }

    /** Boot 4.1's settings, read by name by {@code BootClientSettings} (one hotpool jar for Boot 4.0 and 4.1). */
    private static void bootClientSettings(ReflectionHints reflection) {
        TypeReference filter = TypeReference.of(BOOT_CLIENT + "InetAddressFilter");
        reflection.registerType(HttpClientSettings.class, (type) -> type
            // The application's InetAddressFilter (the SSRF guard): unread, hotpool would stop at startup.
            .withMethod("inetAddressFilter", List.of(), ExecutableMode.INVOKE)
            // spring.http.clients.cookie-handling.
            .withMethod("cookieHandling", List.of(), ExecutableMode.INVOKE));
        // Called through a method handle for every address before connecting.
        reflection.registerType(filter,
                (type) -> type.withMethod("matches", List.of(TypeReference.of(InetAddress.class)),
                        ExecutableMode.INVOKE));
        // Package-private in Boot: hotpool raises Boot's own exception for a refused host, as Boot's clients do.
        reflection.registerType(TypeReference.of(BOOT_CLIENT + "FilteredHostException"),
                (type) -> type.withConstructor(List.of(TypeReference.of(String.class), filter),
                        ExecutableMode.INVOKE));
    }

    /** hotpool's TlsNames reads the names and codes of BC's constants with {@code getFields()}. */
    private static void tlsNames(ReflectionHints reflection) {
        // Cipher suite names in profiles and bundles, and the names of what a handshake agreed.
        reflection.registerType(CipherSuite.class, MemberCategory.ACCESS_PUBLIC_FIELDS);
        // Named group names in profiles.
        reflection.registerType(NamedGroup.class, MemberCategory.ACCESS_PUBLIC_FIELDS);
        // Signature scheme names in profiles.
        reflection.registerType(SignatureScheme.class, MemberCategory.ACCESS_PUBLIC_FIELDS);
    }

    /** JDK members that BouncyCastle looks up by name, because its jars also run on Java 8. */
    private static void jdkMembersBouncyCastleReaches(ReflectionHints reflection) {
        // bctls: without Cipher.updateAAD it hands the JDK's AES-GCM BC's own parameter spec, which SunJCE refuses.
        reflection.registerType(Cipher.class,
                (type) -> type.withMethod("updateAAD", List.of(TypeReference.of(byte[].class)), ExecutableMode.INVOKE));
        // bctls reads SSLParameters' newer accessors with getMethods(); TlsProvider.JDK calls setNamedGroups
        // (Java 20+) and setSignatureSchemes (Java 19+) by name.
        reflection.registerType(SSLParameters.class, MemberCategory.INVOKE_PUBLIC_METHODS);
        // bcprov's GcmSpecUtil converts GCM parameters with these, by name.
        reflection.registerType(GCMParameterSpec.class, (type) -> type
            .withConstructor(List.of(TypeReference.of(int.class), TypeReference.of(byte[].class)),
                    ExecutableMode.INVOKE)
            .withMethod("getIV", List.of(), ExecutableMode.INVOKE)
            .withMethod("getTLen", List.of(), ExecutableMode.INVOKE));
        // bcprov raises the JDK's exception for a failed AEAD tag check, made by name.
        reflection.registerType(AEADBadTagException.class, (type) -> type
            .withConstructor(List.of(TypeReference.of(String.class)), ExecutableMode.INVOKE));
    }

    /** What hotpool's private, unregistered BouncyCastle provider (the JDK-first crypto's fallback) needs. */
    private static void bouncyCastleProvider(ReflectionHints reflection) {
        for (String mappings : BC_PROVIDER_MAPPINGS) {
            reflection.registerType(TypeReference.of(BC_PROVIDER + mappings + "$Mappings"),
                    (type) -> type.withConstructor(List.of(), ExecutableMode.INVOKE));
        }
        for (String jdkType : BC_PROVIDER_JDK_TYPES) {
            reflection.registerType(TypeReference.of(jdkType));
        }
        for (String service : BC_FALLBACK_SERVICES) {
            reflection.registerType(TypeReference.of(BC_PROVIDER + service),
                    (type) -> type.withConstructor(List.of(), ExecutableMode.INVOKE));
        }
    }
}
