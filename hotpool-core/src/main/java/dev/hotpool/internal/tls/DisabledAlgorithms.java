package dev.hotpool.internal.tls;

import java.security.Security;
import java.util.Locale;

/**
 * Which entry of the JVM's {@code jdk.tls.disabledAlgorithms} security property disables a cipher suite, named group
 * or signature scheme, so a startup message can say why a provider left a name out of its ClientHello
 * ({@code TLS_RSA_*} on Java 24 and later, {@code 3DES_EDE_CBC}). Only entries without constraints count
 * ({@code rsa_pkcs1_sha1 usage HandshakeSignature} or {@code EC keySize < 224} disable a name only in part). Used for
 * wording only: whether a name is sent is decided by the captured hello.
 *
 * <p>Thread-safe (stateless); reads the property on each call, which happens only while profiles are verified.
 */
final class DisabledAlgorithms {

    private static final String PROPERTY = "jdk.tls.disabledAlgorithms";

    private DisabledAlgorithms() {
    }

    /** The entry, as written in the property, that disables {@code name}; {@code null} when none does. */
    static String entryFor(String name) {
        String property = Security.getProperty(PROPERTY);
        if (property == null || name == null) {
            return null;
        }
        String target = name.toUpperCase(Locale.ROOT);
        boolean cipherSuite = target.startsWith("TLS_") || target.startsWith("SSL_");
        for (String raw : property.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty() || entry.contains(" ")) {
                continue;
            }
            String e = entry.toUpperCase(Locale.ROOT);
            if (e.equals(target) || (e.endsWith("*") && target.startsWith(e.substring(0, e.length() - 1)))) {
                return entry;
            }
            // A suite is disabled by any of its parts: key exchange (ECDH, anon), cipher (3DES_EDE_CBC, RC4, NULL).
            if (cipherSuite && ("_" + target + "_").contains("_" + e + "_")) {
                return entry;
            }
        }
        return null;
    }
}
