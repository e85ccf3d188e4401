package dev.hotpool.autoconfigure;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.hotpool.internal.tls.TlsSetup;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;
import dev.hotpool.tls.TlsProfiles.Rotation;
import dev.hotpool.tls.TlsProvider;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TlsProfilesMapper}: {@code hotpool.tls.*} profile properties as Spring Boot binds them, mapped onto
 * the pool's {@link TlsProfiles}, and startup failures that name the property.
 */
class TlsProfilesMapperTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withUserConfiguration(PropertiesConfiguration.class);

    @Test
    void withoutPropertiesTheDefaultProfileOnBouncyCastleIsFixed() {
        map((profiles) -> {
            assertThat(profiles.provider()).isEqualTo(TlsProvider.BC);
            assertThat(profiles.rotation()).isEqualTo(Rotation.FIXED);
            assertThat(profiles.next()).isSameAs(profiles.profile(TlsProfile.DEFAULT.name()));
            assertThat(TlsSetup.verify(profiles, List.of()).inUseFingerprints()).containsOnlyKeys("default");
        });
    }

    @Test
    void aBuiltInProfileIsChosenByName() {
        map((profiles) -> assertThat(profiles.next().name()).isEqualTo("modern"), "hotpool.tls.profile=modern");
    }

    @Test
    void configuredProfilesAreBoundWithEveryProperty() {
        map((profiles) -> {
            TlsProfile strict = profiles.next();
            assertThat(strict.name()).isEqualTo("strict");
            assertThat(strict.builtIn()).isFalse();
            assertThat(strict.protocols()).containsExactly("TLSv1.3");
            assertThat(strict.cipherSuites()).containsExactly("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256");
            assertThat(strict.namedGroups()).containsExactly("secp384r1", "x25519");
            assertThat(strict.keyShares()).containsExactly("secp384r1");
            assertThat(strict.signatureSchemes()).containsExactly("ecdsa_secp384r1_sha384", "rsa_pss_rsae_sha256",
                    "rsa_pkcs1_sha256");
            assertThat(strict.alpn()).containsExactly("http/1.1");
            assertThat(TlsSetup.verify(profiles, List.of()).inUseFingerprints().get("strict").ja4()).startsWith("t13d0207h1_");
        }, "hotpool.tls.profile=strict", "hotpool.tls.profiles.strict.protocols=TLSv1.3",
                "hotpool.tls.profiles.strict.cipher-suites=TLS_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256",
                "hotpool.tls.profiles.strict.named-groups=secp384r1,x25519",
                "hotpool.tls.profiles.strict.key-shares=secp384r1",
                "hotpool.tls.profiles.strict.signature-schemes=ecdsa_secp384r1_sha384,rsa_pss_rsae_sha256,rsa_pkcs1_sha256");
    }

    @Test
    void aProfileLeftAlmostEmptyKeepsTheProvidersListsAndAnEmptyAlpnSendsNone() {
        map((profiles) -> {
            TlsProfile plain = profiles.next();
            assertThat(plain.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(plain.cipherSuites()).isEmpty();
            assertThat(plain.alpn()).isEmpty();
            assertThat(TlsSetup.verify(profiles, List.of()).inUseFingerprints().get("plain").ja4()).matches("t13d\\d{4}00_.*");
        }, "hotpool.tls.profile=plain", "hotpool.tls.profiles.plain.alpn=");
    }

    @Test
    void roundRobinOverRotateProfilesTakesTheRelaxedEnumSpelling() {
        map((profiles) -> {
            assertThat(profiles.rotation()).isEqualTo(Rotation.ROUND_ROBIN);
            assertThat(IntStream.range(0, 30).mapToObj((i) -> profiles.next().name())
                .collect(Collectors.groupingBy((n) -> n, Collectors.counting())))
                .containsOnlyKeys("default", "modern", "fast").allSatisfy((name, n) -> assertThat(n).isEqualTo(10L));
            assertThat(TlsSetup.verify(profiles, List.of()).inUseFingerprints()).containsOnlyKeys("default", "modern", "fast");
        }, "hotpool.tls.rotation=round-robin", "hotpool.tls.rotate-profiles=default,modern,fast",
                "hotpool.tls.profiles.fast.cipher-suites=TLS_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void theJdkProviderIsChosenWithItsLowerCaseName() {
        map((profiles) -> {
            assertThat(profiles.provider()).isEqualTo(TlsProvider.JDK);
            assertThat(TlsSetup.verify(profiles, List.of()).inUseFingerprints().get("compatible").provider())
                .isEqualTo(TlsProvider.JDK);
        }, "hotpool.tls.provider=jdk", "hotpool.tls.profile=compatible");
    }

    @Test
    void aNameTheProviderCannotSendFailsTheStartupNamingTheProperty() {
        this.contextRunner
            .withPropertyValues("hotpool.tls.profiles.fast.cipher-suites=TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,"
                    + "TLS_BOGUS")
            .run((context) -> {
                HotPoolProperties.Tls tls = context.getBean(HotPoolProperties.class).getTls();
                assertThatIllegalArgumentException().isThrownBy(() -> TlsSetup.verify(TlsProfilesMapper.map(tls), List.of()))
                    .withMessage("hotpool.tls.profiles.fast.cipher-suites[2] (TLS_BOGUS) is not supported by"
                            + " BouncyCastle JSSE on this JVM")
                    .satisfies((ex) -> {
                        FailureAnalysis analysis = new HotPoolConfigurationFailureAnalyzer().analyze(ex);
                        assertThat(analysis).isNotNull();
                        assertThat(analysis.getDescription()).isEqualTo("Invalid hotpool configuration: "
                                + ex.getMessage());
                        assertThat(analysis.getAction()).startsWith("Update hotpool.tls.profiles.fast.cipher-suites");
                    });
            });
    }

    @Test
    void onTheJdkAProfileSettingKeySharesFailsTheStartup() {
        this.contextRunner.withPropertyValues("hotpool.tls.provider=jdk", "hotpool.tls.profiles.pq.key-shares=x25519")
            .run((context) -> assertThatIllegalArgumentException()
                .isThrownBy(() -> TlsSetup.verify(TlsProfilesMapper.map(context.getBean(HotPoolProperties.class).getTls()),
                        List.of()))
                .withMessageStartingWith("hotpool.tls.profiles.pq.key-shares [x25519] cannot be honoured by the JDK's"
                        + " SunJSSE"));
    }

    @Test
    void anUnknownProfileNameFailsTheStartup() {
        this.contextRunner.withPropertyValues("hotpool.tls.profile=fastest")
            .run((context) -> assertThatIllegalArgumentException()
                .isThrownBy(() -> TlsProfilesMapper.map(context.getBean(HotPoolProperties.class).getTls()))
                .withMessageStartingWith("hotpool.tls.profile (fastest) names no TLS profile"));
    }

    @Test
    void anAlpnOtherThanH2AndHttp11FailsTheStartup() {
        this.contextRunner.withPropertyValues("hotpool.tls.profiles.spdy.alpn=h2,spdy/3")
            .run((context) -> assertThatIllegalArgumentException()
                .isThrownBy(() -> TlsProfilesMapper.map(context.getBean(HotPoolProperties.class).getTls()))
                .withMessageStartingWith("hotpool.tls.profiles.spdy.alpn[1] (spdy/3) is not supported"));
    }

    @Test
    void anAlpnWithH2IsMappedAndCheckedAgainstTheProtocolsWhenThePoolIsBuilt() {
        map((profiles) -> assertThat(profiles.profile("h2").alpn()).containsExactly("h2", "http/1.1"),
                "hotpool.tls.profiles.h2.alpn=h2,http/1.1");
    }

    private void map(Consumer<TlsProfiles> assertions, String... properties) {
        this.contextRunner.withPropertyValues(properties).run((context) -> {
            assertThat(context).hasNotFailed();
            assertions.accept(TlsProfilesMapper.map(context.getBean(HotPoolProperties.class).getTls()));
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(HotPoolProperties.class)
    static class PropertiesConfiguration {

    }
}
