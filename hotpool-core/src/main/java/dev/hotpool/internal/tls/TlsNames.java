package dev.hotpool.internal.tls;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.SignatureScheme;

/**
 * The IANA code points behind the names a profile uses, so a profile can be compared with the ClientHello that
 * went on the wire: cipher suites (the JSSE standard names, which are BouncyCastle's constant names; SunJSSE's
 * legacy {@code SSL_} aliases too), named groups and signature schemes (BouncyCastle's JSSE names, which are the
 * JDK's: {@code x25519}, {@code secp256r1}, {@code rsa_pss_rsae_sha256}).
 *
 * <p>Names are matched without regard to case and normalised to their canonical spelling. Immutable and
 * thread-safe: the tables are built once per JVM.
 */
final class TlsNames {

    /** The signalling value BCJSSE and SunJSSE append to every cipher list (RFC 5746). */
    public static final int RENEGOTIATION_INFO_SCSV = CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV;

    private TlsNames() {
    }

    /** The code of a cipher suite name, or -1 when no suite has that name. */
    static int cipherSuite(String name) {
        Integer code = Tables.CIPHER_SUITES.get(key(name.startsWith("SSL_") ? "TLS_" + name.substring(4) : name));
        return code != null ? code : -1;
    }

    /** The code of a named group, or -1 when no group has that name. */
    static int namedGroup(String name) {
        Integer code = Tables.NAMED_GROUPS.get(key(name));
        return code != null ? code : -1;
    }

    /** The code of a signature scheme, or -1 when no scheme has that name. */
    static int signatureScheme(String name) {
        Integer code = Tables.SIGNATURE_SCHEMES.get(key(name));
        return code != null ? code : -1;
    }

    /** The canonical spelling of a named group ({@code X25519} → {@code x25519}), or the name as given. */
    static String canonicalGroup(String name) {
        int code = namedGroup(name);
        return code < 0 ? name : NamedGroup.getName(code);
    }

    /** The canonical spelling of a signature scheme, or the name as given. */
    static String canonicalSignatureScheme(String name) {
        int code = signatureScheme(name);
        return code < 0 ? name : SignatureScheme.getName(code);
    }

    /** The canonical spelling of a cipher suite ({@code SSL_} aliases become {@code TLS_}), or the name as given. */
    static String canonicalCipherSuite(String name) {
        int code = cipherSuite(name);
        return code < 0 ? name : Tables.CIPHER_SUITE_NAMES.get(code);
    }

    /** Whether a cipher suite is one of TLS 1.3's (no key exchange or authentication in its name). */
    static boolean isTls13CipherSuite(String name) {
        return name.startsWith("TLS_") && !name.contains("_WITH_") && cipherSuite(name) != RENEGOTIATION_INFO_SCSV;
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    private static final class Tables {

        static final Map<String, Integer> CIPHER_SUITES;
        static final Map<Integer, String> CIPHER_SUITE_NAMES;
        static final Map<String, Integer> NAMED_GROUPS;
        static final Map<String, Integer> SIGNATURE_SCHEMES;

        static {
            Map<String, Integer> ciphers = new HashMap<>();
            Map<Integer, String> cipherNames = new HashMap<>();
            for (Field f : CipherSuite.class.getFields()) {
                if (f.getType() == int.class && Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("TLS_")) {
                    int code = intValue(f);
                    ciphers.put(key(f.getName()), code);
                    cipherNames.putIfAbsent(code, f.getName());
                }
            }
            CIPHER_SUITES = Collections.unmodifiableMap(ciphers);
            CIPHER_SUITE_NAMES = Collections.unmodifiableMap(cipherNames);
            NAMED_GROUPS = Collections.unmodifiableMap(byName(NamedGroup.class, NamedGroup::getName));
            SIGNATURE_SCHEMES = Collections.unmodifiableMap(byName(SignatureScheme.class, SignatureScheme::getName));
        }

        private static Map<String, Integer> byName(Class<?> constants, java.util.function.IntFunction<String> namer) {
            Map<String, Integer> names = new HashMap<>();
            for (Field f : constants.getFields()) {
                if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
                    int code = intValue(f);
                    String name = namer.apply(code);
                    if (name != null && !name.startsWith("UNKNOWN")) {
                        names.putIfAbsent(key(name), code);
                    }
                }
            }
            return names;
        }

        private static int intValue(Field f) {
            try {
                return f.getInt(null);
            }
            catch (IllegalAccessException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }
}
