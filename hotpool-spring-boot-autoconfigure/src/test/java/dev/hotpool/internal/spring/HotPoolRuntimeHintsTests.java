package dev.hotpool.internal.spring;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.net.ssl.SSLParameters;

import dev.hotpool.autoconfigure.HotPoolAutoConfiguration;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.SignatureScheme;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HotPoolRuntimeHints}: one assertion per hint, so a hint removed fails a test. What BouncyCastle's provider
 * loads by name is recorded here rather than copied from the registrar: a class loader notes every class its
 * constructor asks for by name. The Boot 4.1 hints are tested in {@code src/test-boot41}, the BouncyCastle fallback
 * services in {@code dev.hotpool.internal.tls.BouncyCastleFallbackHintsTests}.
 */
class HotPoolRuntimeHintsTests {

    private static final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

    private static final String CLASS_UTIL = "org.bouncycastle.jcajce.provider.symmetric.util.ClassUtil";

    private final RuntimeHints hints = new RuntimeHints();

    HotPoolRuntimeHintsTests() {
        new HotPoolRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
    }

    @Test
    void springAotAppliesTheHintsThroughTheAutoConfiguration() {
        assertThat(HotPoolAutoConfiguration.class.getAnnotation(ImportRuntimeHints.class).value())
            .containsExactly(HotPoolRuntimeHints.class);
    }

    @Test
    void cipherSuiteNamesCanBeReadFromBouncyCastlesConstants() {
        assertThat(reflection.onFieldAccess(CipherSuite.class, "TLS_AES_128_GCM_SHA256")).accepts(this.hints);
    }

    @Test
    void namedGroupsCanBeReadFromBouncyCastlesConstants() {
        assertThat(reflection.onFieldAccess(NamedGroup.class, "x25519")).accepts(this.hints);
    }

    @Test
    void signatureSchemesCanBeReadFromBouncyCastlesConstants() {
        assertThat(reflection.onFieldAccess(SignatureScheme.class, "rsa_pss_rsae_sha256")).accepts(this.hints);
    }

    @Test
    void bouncyCastleTlsCanPassAdditionalDataToTheJdksAesGcm() throws NoSuchMethodException {
        assertThat(reflection.onMethodInvocation(Cipher.class.getMethod("updateAAD", byte[].class)))
            .accepts(this.hints);
    }

    @Test
    void sslParametersPublicMethodsCanBeFoundAndCalled() {
        assertThat(reflection.onType(SSLParameters.class).withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS))
            .accepts(this.hints);
    }

    @Test
    void gcmParameterSpecCanBeMadeByBouncyCastle() throws NoSuchMethodException {
        assertThat(reflection.onConstructorInvocation(GCMParameterSpec.class.getConstructor(int.class, byte[].class)))
            .accepts(this.hints);
    }

    @Test
    void gcmParameterSpecIvCanBeReadByBouncyCastle() throws NoSuchMethodException {
        assertThat(reflection.onMethodInvocation(GCMParameterSpec.class.getMethod("getIV"))).accepts(this.hints);
    }

    @Test
    void gcmParameterSpecTagLengthCanBeReadByBouncyCastle() throws NoSuchMethodException {
        assertThat(reflection.onMethodInvocation(GCMParameterSpec.class.getMethod("getTLen"))).accepts(this.hints);
    }

    @Test
    void aeadBadTagExceptionCanBeMadeByBouncyCastle() throws NoSuchMethodException {
        assertThat(reflection.onConstructorInvocation(AEADBadTagException.class.getConstructor(String.class)))
            .accepts(this.hints);
    }

    @Test
    void bootClientSettingsHintsExistExactlyWhereBootHasTheTypes() {
        boolean boot41 = ClassUtils.isPresent("org.springframework.boot.http.client.InetAddressFilter", null);
        assertThat(this.hints.reflection()
            .getTypeHint(TypeReference.of("org.springframework.boot.http.client.InetAddressFilter")) != null)
            .isEqualTo(boot41);
        assertThat(this.hints.reflection().getTypeHint(HttpClientSettings.class) != null).isEqualTo(boot41);
    }

    @TestFactory
    Stream<DynamicTest> everyClassBouncyCastlesProviderLoadsByNameIsRegistered() throws Exception {
        return loadedByNameInBouncyCastleProvider().stream()
            .map((name) -> DynamicTest.dynamicTest(name, () -> assertRegisteredForLoadingByName(name)));
    }

    @Test
    void theRegistrarListsExactlyWhatBouncyCastlesProviderLoadsByName() throws Exception {
        Stream<String> registered = Stream.concat(
                HotPoolRuntimeHints.BC_PROVIDER_MAPPINGS.stream()
                    .map((m) -> "org.bouncycastle.jcajce.provider." + m + "$Mappings"),
                HotPoolRuntimeHints.BC_PROVIDER_JDK_TYPES.stream());
        List<String> expected = new ArrayList<>(loadedByNameInBouncyCastleProvider());
        if (Runtime.version().feature() >= 25) { // bcprov's classes for 25 know KEM is there; for 17 to 24 they ask.
            assertThat(expected).doesNotContain("javax.crypto.KEMSpi");
            expected.add("javax.crypto.KEMSpi");
        }
        assertThat(registered).containsExactlyInAnyOrderElementsOf(expected);
    }

    private void assertRegisteredForLoadingByName(String name) throws ReflectiveOperationException {
        if (name.endsWith("$Mappings")) { // Loaded, then made with its public no-argument constructor.
            assertThat(reflection.onConstructorInvocation(Class.forName(name).getConstructor())).accepts(this.hints);
        }
        else {
            assertThat(reflection.onType(TypeReference.of(name))).accepts(this.hints);
        }
    }

    /**
     * The classes {@code new BouncyCastleProvider()} loads by name (through BC's {@code ClassUtil}), recorded by a
     * class loader of its own over the bcprov jar: the names asked for that this JVM has a class for.
     */
    static List<String> loadedByNameInBouncyCastleProvider() throws Exception {
        URL bcprov = BouncyCastleProvider.class.getProtectionDomain().getCodeSource().getLocation();
        List<String> byName = new CopyOnWriteArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] { bcprov }, ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                boolean askedByName = !resolvedByTheJvmForClassUtil(name) && askedForByClassUtil();
                Class<?> loaded = super.loadClass(name, resolve); // A class this JDK lacks is no hint's business.
                if (askedByName) {
                    byName.add(name);
                }
                return loaded;
            }
        }) {
            loader.loadClass(BouncyCastleProvider.class.getName()).getConstructor().newInstance();
        }
        assertThat(byName).as("the recording saw the provider's loads").isNotEmpty();
        return byName;
    }

    /** Classes ClassUtil's own code refers to: the JVM loads them for it, in its frame, but not by a name given. */
    private static boolean resolvedByTheJvmForClassUtil(String name) {
        return name.startsWith(CLASS_UTIL) || name.startsWith("java.lang.")
                || name.equals("java.security.AccessController") || name.equals("java.security.PrivilegedAction");
    }

    /** Whether the code asking for a class (the first frame outside class loading) is BC's ClassUtil. */
    private static boolean askedForByClassUtil() {
        return StackWalker.getInstance()
            .walk((frames) -> frames
                .dropWhile((frame) -> !frame.getMethodName().equals("loadClass")) // This method.
                .dropWhile((frame) -> frame.getMethodName().equals("loadClass")
                        && !frame.getClassName().startsWith(CLASS_UTIL))
                .findFirst()
                .map((frame) -> frame.getClassName().startsWith(CLASS_UTIL))
                .orElse(false));
    }
}
