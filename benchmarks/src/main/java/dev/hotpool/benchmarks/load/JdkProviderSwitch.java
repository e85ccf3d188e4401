package dev.hotpool.benchmarks.load;

import dev.hotpool.HotPoolConfig;
import dev.hotpool.tls.TlsProfiles;
import dev.hotpool.tls.TlsProvider;
import dev.hotpool.tls.TlsSettings;

/**
 * The one place that switches hotpool to its {@code jdk} TLS provider (SunJSSE, {@code hotpool.tls.provider=jdk})
 * for the "hotpool (jdk)" rows: the built-in {@code default} profile, sent by SunJSSE.
 *
 * <p>Thread-safe: stateless.
 */
final class JdkProviderSwitch {

    private JdkProviderSwitch() {
    }

    /** How the switch is thrown, for the report. */
    static String how() {
        return "HotPoolConfig.Builder.tlsProfiles(TlsProfiles.builder().provider(TlsProvider.JDK).build())";
    }

    /** The builder with the jdk provider selected. */
    static HotPoolConfig.Builder apply(HotPoolConfig.Builder builder, TlsSettings tls) {
        return builder.tls(tls).tlsProfiles(TlsProfiles.builder().provider(TlsProvider.JDK).build());
    }
}
