package dev.hotpool.tls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A TLS client profile: what a new connection puts in its ClientHello. Protocols, cipher suites (in order), named
 * groups (in order), the groups that get a key share, signature schemes (in order) and the ALPN protocols. Names
 * are JSSE's: {@code TLSv1.3}, {@code TLS_AES_128_GCM_SHA256}, {@code x25519}, {@code rsa_pss_rsae_sha256},
 * {@code http/1.1}.
 *
 * <p>An empty cipher-suite, named-group, key-share or signature-scheme list means "the provider's own default";
 * protocols default to TLSv1.3 and TLSv1.2, ALPN to {@code http/1.1} (an empty ALPN list sends no ALPN
 * extension). The ALPN list is what connections offer while {@code hotpool.protocols} (or a host's) leaves HTTP/2
 * out; with {@code h2} there, they offer those protocols instead, and the profile's list must be the default or the
 * same (checked when the {@code HotPoolConfig} is built). Which names the provider really supports on this JVM is
 * checked when a pool is made of the profiles ({@code new HotPool(config)}); this class checks only what holds
 * everywhere: hotpool speaks TLSv1.3 and TLSv1.2, h2 and http/1.1, and lists have no duplicates.
 *
 * <p>Four profiles are built in ({@link #builtIns()}): {@code default}, {@code modern}, {@code compatible} and
 * {@code browser-like}; docs/tls.md lists what each one sends.
 *
 * <p>Immutable and thread-safe.
 */
public final class TlsProfile {

    /** The protocols hotpool speaks. */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** The application protocols hotpool speaks over TLS, by their ALPN names. */
    static final String HTTP_1_1 = "http/1.1";
    static final String H2 = "h2";

    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    private static final List<String> ECDHE_AEAD_SUITES = List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** ECDSA, EdDSA and RSA-PSS for handshake signatures; RSA PKCS#1 v1.5 for certificates and TLS 1.2 servers. */
    private static final List<String> MODERN_SIGNATURES = List.of("ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384",
            "ecdsa_secp521r1_sha512", "ed25519", "rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512",
            "rsa_pkcs1_sha256", "rsa_pkcs1_sha384", "rsa_pkcs1_sha512");

    /**
     * TLS 1.3 and 1.2, AEAD suites with forward secrecy only (AES-GCM first, ChaCha20-Poly1305 after), the groups
     * x25519, secp256r1 and secp384r1 with a key share for x25519, ECDSA/EdDSA/RSA-PSS/RSA signatures with SHA-2,
     * ALPN http/1.1.
     */
    public static final TlsProfile DEFAULT = builtIn("default", PROTOCOLS, concat(TLS13_SUITES, ECDHE_AEAD_SUITES),
            List.of("x25519", "secp256r1", "secp384r1"), List.of("x25519"), MODERN_SIGNATURES);

    /**
     * TLS 1.3 only: its three suites, the groups and key share of {@link #DEFAULT}, and its signatures less
     * {@code ecdsa_secp521r1_sha512} (TLS 1.3 ties ECDSA schemes to curves, and secp521r1 is not offered).
     */
    public static final TlsProfile MODERN = builtIn("modern", List.of("TLSv1.3"), TLS13_SUITES,
            List.of("x25519", "secp256r1", "secp384r1"), List.of("x25519"),
            MODERN_SIGNATURES.stream().filter((s) -> !s.equals("ecdsa_secp521r1_sha512")).toList());

    /**
     * TLS 1.3 and 1.2 with the broadest set still considered safe: the AEAD suites of {@link #DEFAULT}, then
     * finite-field DHE with AES-GCM and ChaCha20, then ECDHE and DHE with AES-CBC (SHA-2, then SHA-1 MACs). Never
     * static RSA key exchange (no forward secrecy), 3DES, RC4, NULL or anonymous suites. Every common group
     * including the RFC 7919 finite-field ones, key shares for x25519 and secp256r1 (no HelloRetryRequest from
     * servers without x25519), and SHA-2 signatures only.
     */
    public static final TlsProfile COMPATIBLE = builtIn("compatible", PROTOCOLS, concat(TLS13_SUITES,
            ECDHE_AEAD_SUITES, List.of("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
                    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
                    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA")),
            List.of("x25519", "secp256r1", "secp384r1", "secp521r1", "x448", "ffdhe2048", "ffdhe3072", "ffdhe4096"),
            List.of("x25519", "secp256r1"), concat(MODERN_SIGNATURES, List.of("ed448", "rsa_pss_pss_sha256",
                    "rsa_pss_pss_sha384", "rsa_pss_pss_sha512")));

    /**
     * The cipher-suite, group and signature-scheme order of current Chrome (131 and later), as far as BCJSSE can
     * send it: Chrome's 15 suites in Chrome's order (static RSA and SHA-1 CBC suites included, as Chrome has them),
     * x25519, secp256r1 and secp384r1 with a key share for x25519 (not Chrome's post-quantum X25519MLKEM768: BCJSSE
     * finds ML-KEM only through the JCA's global lookup, which on Java 17 means a registered BouncyCastle provider,
     * which hotpool never installs; Java 24 and later have ML-KEM, but the profile sends the same on every JDK),
     * Chrome's 8 signature schemes, and ALPN http/1.1 (Chrome offers h2 first: so does this profile when
     * {@code hotpool.protocols} is {@code h2, http/1.1}).
     * Extension order, GREASE, padding, compress_certificate, session tickets, ALPS and ECH cannot be reproduced: see
     * docs/tls.md.
     */
    public static final TlsProfile BROWSER_LIKE = builtIn("browser-like", PROTOCOLS, List.of("TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"),
            List.of("x25519", "secp256r1", "secp384r1"), List.of("x25519"),
            List.of("ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256", "rsa_pkcs1_sha256", "ecdsa_secp384r1_sha384",
                    "rsa_pss_rsae_sha384", "rsa_pkcs1_sha384", "rsa_pss_rsae_sha512", "rsa_pkcs1_sha512"));

    private static final Map<String, TlsProfile> BUILT_INS = builtInMap(DEFAULT, MODERN, COMPATIBLE, BROWSER_LIKE);

    private final String name;
    private final boolean builtIn;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final List<String> namedGroups;
    private final List<String> keyShares;
    private final List<String> signatureSchemes;
    private final List<String> alpn;

    private TlsProfile(Builder b, boolean builtIn) {
        this.name = b.name;
        this.builtIn = builtIn;
        this.protocols = List.copyOf(b.protocols);
        this.cipherSuites = List.copyOf(b.cipherSuites);
        this.namedGroups = List.copyOf(b.namedGroups);
        this.keyShares = List.copyOf(b.keyShares);
        this.signatureSchemes = List.copyOf(b.signatureSchemes);
        this.alpn = List.copyOf(b.alpn);
    }

    /** A builder for a profile of the given name (not a built-in's name). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The built-in profiles by name: {@code default}, {@code modern}, {@code compatible}, {@code browser-like}. */
    public static Map<String, TlsProfile> builtIns() {
        return BUILT_INS;
    }

    public String name() {
        return this.name;
    }

    /** Whether this is one of the {@link #builtIns()} (or what this JVM's provider kept of one). */
    public boolean builtIn() {
        return this.builtIn;
    }

    /** Protocols offered, highest first. */
    public List<String> protocols() {
        return this.protocols;
    }

    /** Cipher suites in the order offered; empty for the provider's default. */
    public List<String> cipherSuites() {
        return this.cipherSuites;
    }

    /** Named groups (key exchange) in the order offered; empty for the provider's default. */
    public List<String> namedGroups() {
        return this.namedGroups;
    }

    /** The named groups that get a key share in a TLS 1.3 hello; empty for the provider's choice. */
    public List<String> keyShares() {
        return this.keyShares;
    }

    /** Signature schemes in the order offered; empty for the provider's default. */
    public List<String> signatureSchemes() {
        return this.signatureSchemes;
    }

    /** ALPN protocols offered; empty for no ALPN extension. */
    public List<String> alpn() {
        return this.alpn;
    }

    /**
     * A builder holding this profile's values under its name, to build a variant of it. A variant of a built-in profile
     * keeps its name and is still that built-in profile (as a provider sends it on a JVM, or as an SSL bundle's options
     * narrow it), so a {@link TlsProfiles} still refuses it as a configured profile.
     */
    public Builder toBuilder() {
        Builder b = new Builder(this.name);
        b.protocols = this.protocols;
        b.cipherSuites = this.cipherSuites;
        b.namedGroups = this.namedGroups;
        b.keyShares = this.keyShares;
        b.signatureSchemes = this.signatureSchemes;
        b.alpn = this.alpn;
        b.variantOf = this;
        return b;
    }

    @Override
    public String toString() {
        return "TlsProfile[" + this.name + ": " + this.protocols + ", " + describe(this.cipherSuites, "cipher suites")
                + ", groups " + orDefault(this.namedGroups) + ", key shares " + orDefault(this.keyShares) + ", "
                + describe(this.signatureSchemes, "signature schemes") + ", alpn " + this.alpn + "]";
    }

    private static String describe(List<String> values, String what) {
        return values.isEmpty() ? "default " + what : values.size() + " " + what;
    }

    private static String orDefault(List<String> values) {
        return values.isEmpty() ? "(default)" : values.toString();
    }

    private static TlsProfile builtIn(String name, List<String> protocols, List<String> ciphers, List<String> groups,
            List<String> keyShares, List<String> signatures) {
        Builder b = new Builder(name).protocols(protocols).cipherSuites(ciphers).namedGroups(groups)
            .keyShares(keyShares).signatureSchemes(signatures);
        b.check();
        return new TlsProfile(b, true);
    }

    private static Map<String, TlsProfile> builtInMap(TlsProfile... profiles) {
        Map<String, TlsProfile> map = new LinkedHashMap<>();
        for (TlsProfile p : profiles) {
            map.put(p.name(), p);
        }
        return Collections.unmodifiableMap(map);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return List.copyOf(all);
    }

    /** Builds a {@link TlsProfile}. Not thread-safe. */
    public static final class Builder {

        private final String name;
        private List<String> protocols = PROTOCOLS;
        private List<String> cipherSuites = List.of();
        private List<String> namedGroups = List.of();
        private List<String> keyShares = List.of();
        private List<String> signatureSchemes = List.of();
        private List<String> alpn = List.of(HTTP_1_1);
        /** The profile this builder makes a variant of ({@link TlsProfile#toBuilder()}), or {@code null}. */
        private TlsProfile variantOf;

        private Builder(String name) {
            this.name = name;
        }

        /** Protocols to offer ({@code TLSv1.3}, {@code TLSv1.2}); default both. */
        public Builder protocols(List<String> protocols) {
            this.protocols = copy(protocols);
            return this;
        }

        /** Cipher suites in the order to offer them; empty (the default) for the provider's own list. */
        public Builder cipherSuites(List<String> cipherSuites) {
            this.cipherSuites = copy(cipherSuites);
            return this;
        }

        /** Named groups in the order to offer them; empty (the default) for the provider's own list. */
        public Builder namedGroups(List<String> namedGroups) {
            this.namedGroups = copy(namedGroups);
            return this;
        }

        /** Groups to send a TLS 1.3 key share for (each one also a named group); empty for the provider's choice. */
        public Builder keyShares(List<String> keyShares) {
            this.keyShares = copy(keyShares);
            return this;
        }

        /** Signature schemes in the order to offer them; empty (the default) for the provider's own list. */
        public Builder signatureSchemes(List<String> signatureSchemes) {
            this.signatureSchemes = copy(signatureSchemes);
            return this;
        }

        /**
         * ALPN protocols offered while {@code hotpool.protocols} leaves HTTP/2 out: {@code http/1.1} (the default),
         * none at all, or with {@code h2} (then {@code hotpool.protocols} must have h2 too, in the same order).
         */
        public Builder alpn(List<String> alpn) {
            this.alpn = copy(alpn);
            return this;
        }

        /**
         * Checks what holds whatever the provider and builds. Names the provider does not support fail later, when
         * a pool is made of a {@link TlsProfiles} holding the profile.
         *
         * @throws IllegalArgumentException naming the property and the value, e.g.
         *     {@code hotpool.tls.profiles.fast.protocols[0] (TLSv1.1) is not supported: hotpool speaks TLSv1.3 and
         *     TLSv1.2}
         */
        public TlsProfile build() {
            boolean variantOfBuiltIn = this.variantOf != null && this.variantOf.builtIn
                    && this.variantOf.name.equals(this.name);
            if (!variantOfBuiltIn && BUILT_INS != null && BUILT_INS.containsKey(this.name)) {
                throw new IllegalArgumentException(property(this.name, null) + " is a built-in profile and cannot be"
                        + " redefined; configure your profile under another name and select it with"
                        + " hotpool.tls.profile");
            }
            check();
            return new TlsProfile(this, variantOfBuiltIn);
        }

        private void check() {
            if (this.name == null || this.name.isBlank()) {
                throw new IllegalArgumentException("hotpool.tls.profiles: a profile needs a name");
            }
            if (this.protocols.isEmpty()) {
                throw new IllegalArgumentException(property(this.name, "protocols")
                        + " must name at least one protocol: TLSv1.3, TLSv1.2");
            }
            for (int i = 0; i < this.protocols.size(); i++) {
                if (!PROTOCOLS.contains(this.protocols.get(i))) {
                    throw new IllegalArgumentException(property(this.name, "protocols") + "[" + i + "] ("
                            + this.protocols.get(i) + ") is not supported: hotpool speaks TLSv1.3 and TLSv1.2");
                }
            }
            for (int i = 0; i < this.alpn.size(); i++) {
                if (!HTTP_1_1.equals(this.alpn.get(i)) && !H2.equals(this.alpn.get(i))) {
                    throw new IllegalArgumentException(property(this.name, "alpn") + "[" + i + "] (" + this.alpn.get(i)
                            + ") is not supported: hotpool speaks h2 and http/1.1 over TLS, so it offers those or no"
                            + " ALPN at all");
                }
            }
            noDuplicates("protocols", this.protocols);
            noDuplicates("cipher-suites", this.cipherSuites);
            noDuplicates("named-groups", this.namedGroups);
            noDuplicates("key-shares", this.keyShares);
            noDuplicates("signature-schemes", this.signatureSchemes);
            noDuplicates("alpn", this.alpn);
            if (!this.namedGroups.isEmpty()) {
                for (int i = 0; i < this.keyShares.size(); i++) {
                    if (!containsIgnoreCase(this.namedGroups, this.keyShares.get(i))) {
                        throw new IllegalArgumentException(property(this.name, "key-shares") + "[" + i + "] ("
                                + this.keyShares.get(i) + ") is not one of " + property(this.name, "named-groups") + " "
                                + this.namedGroups);
                    }
                }
            }
        }

        private void noDuplicates(String property, List<String> values) {
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < values.size(); i++) {
                if (!seen.add(values.get(i).toLowerCase(java.util.Locale.ROOT))) {
                    throw new IllegalArgumentException(property(this.name, property) + "[" + i + "] ("
                            + values.get(i) + ") is listed twice");
                }
            }
        }

        private static boolean containsIgnoreCase(List<String> values, String value) {
            return values.stream().anyMatch((v) -> v.equalsIgnoreCase(value));
        }

        private static List<String> copy(List<String> values) {
            Objects.requireNonNull(values, "a list of names must not be null; use an empty list");
            List<String> out = new ArrayList<>(values.size());
            for (String v : values) {
                out.add(Objects.requireNonNull(v, "names must not be null").trim());
            }
            return List.copyOf(out);
        }
    }

    /** {@code hotpool.tls.profiles.<profile>.<property>}, or the profile's own key when property is null. */
    static String property(String profile, String property) {
        return "hotpool.tls.profiles." + profile + (property == null ? "" : "." + property);
    }
}
