package dev.hotpool.autoconfigure;

import java.util.List;
import java.util.Map;

import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;

/**
 * Maps the {@code hotpool.tls.*} profile properties onto {@link TlsProfiles}: the configured profiles (with their
 * HTTP/2 fingerprints, {@code hotpool.tls.profiles.<name>.http2.*}), the chosen one, the rotation and the provider. Validation is the core's ({@link TlsProfiles.Builder#build()}), which checks
 * every name against what the provider really sends on this JVM and names the property in its messages
 * ({@code hotpool.tls.profiles.fast.cipher-suites[2] (TLS_BOGUS) is not supported by BouncyCastle JSSE on this JVM}).
 *
 * <p>Stateless and thread-safe.
 */
final class TlsProfilesMapper {

    private TlsProfilesMapper() {
    }

    /**
     * Builds (and verifies) the pool's TLS profiles.
     *
     * @throws IllegalArgumentException naming the offending property and its value
     * @throws IllegalStateException when the provider cannot be set up on this JVM
     */
    static TlsProfiles map(HotPoolProperties.Tls tls) {
        if (tls.getProvider() == null) {
            throw new IllegalArgumentException("hotpool.tls.provider must be bc or jdk");
        }
        if (tls.getRotation() == null) {
            throw new IllegalArgumentException("hotpool.tls.rotation must be fixed, round-robin or random");
        }
        TlsProfiles.Builder builder = TlsProfiles.builder()
            .provider(tls.getProvider())
            .rotation(tls.getRotation())
            .profile(tls.getProfile())
            .rotateProfiles(orEmpty(tls.getRotateProfiles()));
        for (Map.Entry<String, HotPoolProperties.Tls.Profile> entry : tls.getProfiles().entrySet()) {
            builder.add(profile(entry.getKey(), entry.getValue()));
        }
        return builder.build();
    }

    private static TlsProfile profile(String name, HotPoolProperties.Tls.Profile properties) {
        TlsProfile.Builder profile = TlsProfile.builder(name);
        if (properties.getProtocols() != null) {
            profile.protocols(properties.getProtocols());
        }
        if (properties.getCipherSuites() != null) {
            profile.cipherSuites(properties.getCipherSuites());
        }
        if (properties.getNamedGroups() != null) {
            profile.namedGroups(properties.getNamedGroups());
        }
        if (properties.getKeyShares() != null) {
            profile.keyShares(properties.getKeyShares());
        }
        if (properties.getSignatureSchemes() != null) {
            profile.signatureSchemes(properties.getSignatureSchemes());
        }
        profile.alpn(orEmpty(properties.getAlpn()));
        HotPoolProperties.Tls.ProfileHttp2 http2 = properties.getHttp2();
        if (http2.getSettings() != null) {
            profile.http2Settings(http2.getSettings());
        }
        if (http2.getWindowUpdate() != null) {
            profile.http2WindowUpdate(http2.getWindowUpdate());
        }
        if (http2.getPseudoHeaderOrder() != null) {
            profile.http2PseudoHeaderOrder(http2.getPseudoHeaderOrder());
        }
        return profile.build();
    }

    private static List<String> orEmpty(List<String> values) {
        return values != null ? values : List.of();
    }
}
