package dev.hotpool.tls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
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
 * <p>A profile may also set what its HTTP/2 connections send first, the other half of what servers see of a client:
 * the SETTINGS (identifiers, values and order), the connection-level WINDOW_UPDATE after them and the order of the
 * request pseudo-header fields ({@link #http2Settings()}, {@link #http2WindowUpdate()},
 * {@link #http2PseudoHeaderOrder()}). Each one left unset is hotpool's own, from {@code hotpool.http2.*}. hotpool never
 * sends PRIORITY frames (RFC 9113 deprecates them; current Chrome and Firefox send none either). How a profile's values
 * and {@code hotpool.http2.*} combine is docs/tls.md's "HTTP/2 fingerprint" section: the profile decides what is sent,
 * a {@code hotpool.http2.*} value set explicitly replaces the profile's, and hotpool enforces what it sent.
 *
 * <p>Four profiles are built in ({@link #builtIns()}): {@code default}, {@code modern}, {@code compatible} and
 * {@code browser-like}; docs/tls.md lists what each one sends. Only {@code browser-like} imitates a browser, and it
 * sends Chrome's HTTP/2 values too; the others send hotpool's own.
 *
 * <p>Immutable and thread-safe.
 */
public final class TlsProfile {

    /** {@link #http2WindowUpdate} unset: hotpool's own. */
    private static final int OWN = -1;

    /** hotpool's own pseudo-header order. */
    static final String DEFAULT_PSEUDO_HEADER_ORDER = "m,a,s,p";

    /** The largest connection-level WINDOW_UPDATE at the start: the window may not pass 2^31-1 (RFC 9113 §6.9.1). */
    static final int MAX_WINDOW_UPDATE = Integer.MAX_VALUE - 65_535;

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
     * Current Chrome's HTTP/2 start (Chrome 131 to 148 alike): SETTINGS HEADER_TABLE_SIZE 65536, ENABLE_PUSH 0,
     * INITIAL_WINDOW_SIZE 6291456, MAX_HEADER_LIST_SIZE 262144 in that order (Chromium's {@code kSpdyMaxHeaderTableSize},
     * {@code kSpdyStreamMaxRecvWindowSize}, {@code kSpdyMaxHeaderListSize}; ids ascending, defaults left out), then a
     * WINDOW_UPDATE of 15663105 (a 15 MiB connection window, {@code kSpdySessionMaxRecvWindowSize}), no PRIORITY frame,
     * pseudo-header fields {@code :method, :authority, :scheme, :path}. Its fingerprint:
     * {@code 1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p}.
     */
    static final String CHROME_HTTP2_SETTINGS = "1:65536;2:0;4:6291456;6:262144";
    static final int CHROME_HTTP2_WINDOW_UPDATE = 15_663_105;

    /**
     * The cipher-suite, group and signature-scheme order of current Chrome (131 and later), as far as BCJSSE can
     * send it: Chrome's 15 suites in Chrome's order (static RSA and SHA-1 CBC suites included, as Chrome has them),
     * x25519, secp256r1 and secp384r1 with a key share for x25519 (not Chrome's post-quantum X25519MLKEM768: BCJSSE
     * finds ML-KEM only through the JCA's global lookup, which on Java 17 means a registered BouncyCastle provider,
     * which hotpool never installs; Java 24 and later have ML-KEM, but the profile sends the same on every JDK),
     * Chrome's 8 signature schemes, and ALPN http/1.1 (Chrome offers h2 first: so does this profile when
     * {@code hotpool.protocols} is {@code h2, http/1.1}), and over HTTP/2 Chrome's SETTINGS, WINDOW_UPDATE and
     * pseudo-header order ({@link #CHROME_HTTP2_SETTINGS}).
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
                    "rsa_pss_rsae_sha384", "rsa_pkcs1_sha384", "rsa_pss_rsae_sha512", "rsa_pkcs1_sha512"),
            (b) -> b.http2Settings(Http2Setting.parseAll(CHROME_HTTP2_SETTINGS))
                .http2WindowUpdate(CHROME_HTTP2_WINDOW_UPDATE)
                .http2PseudoHeaderOrder("m,a,s,p"));

    private static final Map<String, TlsProfile> BUILT_INS = builtInMap(DEFAULT, MODERN, COMPATIBLE, BROWSER_LIKE);

    private final String name;
    private final boolean builtIn;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final List<String> namedGroups;
    private final List<String> keyShares;
    private final List<String> signatureSchemes;
    private final List<String> alpn;
    /** Empty: hotpool's own SETTINGS. */
    private final List<Http2Setting> http2Settings;
    /** {@link #OWN}: hotpool's own WINDOW_UPDATE. */
    private final int http2WindowUpdate;
    /** As {@code m,a,s,p}. */
    private final String http2PseudoHeaderOrder;

    private TlsProfile(Builder b, boolean builtIn) {
        this.name = b.name;
        this.builtIn = builtIn;
        this.protocols = List.copyOf(b.protocols);
        this.cipherSuites = List.copyOf(b.cipherSuites);
        this.namedGroups = List.copyOf(b.namedGroups);
        this.keyShares = List.copyOf(b.keyShares);
        this.signatureSchemes = List.copyOf(b.signatureSchemes);
        this.alpn = List.copyOf(b.alpn);
        this.http2Settings = b.http2Settings;
        this.http2WindowUpdate = b.http2WindowUpdate == null ? OWN : b.http2WindowUpdate;
        this.http2PseudoHeaderOrder = b.http2PseudoHeaderOrder;
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
     * The SETTINGS this profile's HTTP/2 connections send in their preface, in order; empty for hotpool's own (those of
     * {@code hotpool.http2.*} that differ from the protocol's defaults, ENABLE_PUSH 0 and MAX_HEADER_LIST_SIZE). A
     * {@code hotpool.http2.*} size set explicitly replaces the value of its identifier here (or joins the list).
     */
    public List<Http2Setting> http2Settings() {
        return this.http2Settings;
    }

    /**
     * The increment of the connection-level WINDOW_UPDATE sent after the SETTINGS (0: none, a 65,535-byte connection
     * window); empty for hotpool's own ({@code hotpool.http2.connection-window-size} less 65,535), which
     * {@code hotpool.http2.connection-window-size} also replaces when set explicitly.
     */
    public OptionalInt http2WindowUpdate() {
        return this.http2WindowUpdate == OWN ? OptionalInt.empty() : OptionalInt.of(this.http2WindowUpdate);
    }

    /**
     * The order of the request pseudo-header fields as an HTTP/2 fingerprint writes it: {@code m,a,s,p}
     * ({@code :method, :authority, :scheme, :path}, hotpool's own and Chrome's) or another order of the four letters.
     */
    public String http2PseudoHeaderOrder() {
        return this.http2PseudoHeaderOrder;
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
        b.http2Settings = this.http2Settings;
        b.http2WindowUpdate = this.http2WindowUpdate == OWN ? null : this.http2WindowUpdate;
        b.http2PseudoHeaderOrder = this.http2PseudoHeaderOrder;
        b.variantOf = this;
        return b;
    }

    @Override
    public String toString() {
        return "TlsProfile[" + this.name + ": " + this.protocols + ", " + describe(this.cipherSuites, "cipher suites")
                + ", groups " + orDefault(this.namedGroups) + ", key shares " + orDefault(this.keyShares) + ", "
                + describe(this.signatureSchemes, "signature schemes") + ", alpn " + this.alpn + http2() + "]";
    }

    /** The HTTP/2 values this profile sets, for {@link #toString()}; empty when it sets none. */
    private String http2() {
        if (this.http2Settings.isEmpty() && this.http2WindowUpdate == OWN
                && this.http2PseudoHeaderOrder.equals(DEFAULT_PSEUDO_HEADER_ORDER)) {
            return "";
        }
        return ", http2 " + (this.http2Settings.isEmpty() ? "(own settings)" : settingsText(this.http2Settings)) + "|"
                + (this.http2WindowUpdate == OWN ? "(own)" : this.http2WindowUpdate) + "|0|"
                + this.http2PseudoHeaderOrder;
    }

    private static String describe(List<String> values, String what) {
        return values.isEmpty() ? "default " + what : values.size() + " " + what;
    }

    private static String orDefault(List<String> values) {
        return values.isEmpty() ? "(default)" : values.toString();
    }

    private static TlsProfile builtIn(String name, List<String> protocols, List<String> ciphers, List<String> groups,
            List<String> keyShares, List<String> signatures) {
        return builtIn(name, protocols, ciphers, groups, keyShares, signatures, (b) -> b);
    }

    private static TlsProfile builtIn(String name, List<String> protocols, List<String> ciphers, List<String> groups,
            List<String> keyShares, List<String> signatures, java.util.function.UnaryOperator<Builder> http2) {
        Builder b = http2.apply(new Builder(name).protocols(protocols).cipherSuites(ciphers).namedGroups(groups)
            .keyShares(keyShares).signatureSchemes(signatures));
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
        private List<Http2Setting> http2Settings = List.of();
        /** {@code null}: hotpool's own. */
        private Integer http2WindowUpdate;
        private String http2PseudoHeaderOrder = DEFAULT_PSEUDO_HEADER_ORDER;
        /** The pseudo-header order as given, when it is not four distinct letters of m, a, s, p; else null. */
        private String badPseudoHeaderOrder;
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
         * The SETTINGS its HTTP/2 connections send, in order (see {@link TlsProfile#http2Settings()}); empty (the
         * default) for hotpool's own. Checked by {@link #build()}: it must hold {@code 2:0} (hotpool takes no server
         * push), name each identifier once, and give each known one a value RFC 9113 allows and hotpool can honour.
         */
        public Builder http2Settings(List<Http2Setting> settings) {
            Objects.requireNonNull(settings, "'settings' must not be null; use an empty list for hotpool's own");
            settings.forEach((s) -> Objects.requireNonNull(s, "a setting must not be null"));
            this.http2Settings = List.copyOf(settings);
            return this;
        }

        /**
         * The SETTINGS as an HTTP/2 fingerprint writes them: {@code 1:65536;2:0;4:6291456;6:262144}.
         *
         * @throws IllegalArgumentException naming {@code hotpool.tls.profiles.<name>.http2.settings} when the text is
         *     not {@code id:value} pairs joined by {@code ;}
         */
        public Builder http2Settings(String settings) {
            try {
                return http2Settings(Http2Setting.parseAll(settings));
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(property(this.name, "http2.settings") + " (" + settings + "): "
                        + ex.getMessage());
            }
        }

        /**
         * The increment of the connection-level WINDOW_UPDATE after the SETTINGS: 0 for none, at most 2147418112 (the
         * connection window may not pass 2^31-1). Unset, hotpool's own.
         */
        public Builder http2WindowUpdate(int increment) {
            this.http2WindowUpdate = increment;
            return this;
        }

        /**
         * The order of the request pseudo-header fields: the letters m, a, s and p ({@code :method},
         * {@code :authority}, {@code :scheme}, {@code :path}) each once, with or without commas: {@code m,a,s,p} (the
         * default) or {@code m,p,a,s}.
         */
        public Builder http2PseudoHeaderOrder(String order) {
            Objects.requireNonNull(order, "'order' must not be null");
            String letters = order.replace(",", "").replace(" ", "");
            boolean permutation = letters.length() == 4 && letters.chars().distinct().count() == 4
                    && letters.chars().allMatch((c) -> "masp".indexOf(c) >= 0);
            this.badPseudoHeaderOrder = permutation ? null : order;
            this.http2PseudoHeaderOrder = permutation ? String.join(",", letters.split("")) : DEFAULT_PSEUDO_HEADER_ORDER;
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
            checkHttp2();
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

        /** What no HTTP/2 connection of hotpool's could send or honour (RFC 9113 §6.5.2, §6.9.1, RFC 8441, RFC 9218). */
        private void checkHttp2() {
            if (this.badPseudoHeaderOrder != null) {
                throw new IllegalArgumentException(property(this.name, "http2.pseudo-header-order") + " ("
                        + this.badPseudoHeaderOrder + ") must name m, a, s and p each once (:method, :authority,"
                        + " :scheme, :path), e.g. m,a,s,p");
            }
            if (this.http2WindowUpdate != null && (this.http2WindowUpdate < 0
                    || this.http2WindowUpdate > MAX_WINDOW_UPDATE)) {
                throw new IllegalArgumentException(property(this.name, "http2.window-update") + " ("
                        + this.http2WindowUpdate + ") must be from 0 (none) to " + MAX_WINDOW_UPDATE
                        + ": the connection window, 65535 plus the increment, may not pass 2147483647");
            }
            if (this.http2Settings.isEmpty()) {
                return;
            }
            String property = property(this.name, "http2.settings") + " (" + settingsText(this.http2Settings) + ")";
            Set<Integer> seen = new LinkedHashSet<>();
            for (Http2Setting s : this.http2Settings) {
                if (!seen.add(s.id())) {
                    throw new IllegalArgumentException(property + " sets identifier " + s.id() + " twice");
                }
                String problem = switch (s.id()) {
                    case Http2Setting.HEADER_TABLE_SIZE -> range(s, 0, Integer.MAX_VALUE, "HEADER_TABLE_SIZE");
                    case Http2Setting.ENABLE_PUSH -> s.value() == 0 ? null : s + " would let the server push"
                            + " (SETTINGS_ENABLE_PUSH), which hotpool does not take: send 2:0";
                    case Http2Setting.INITIAL_WINDOW_SIZE -> range(s, 65_535, Integer.MAX_VALUE, "INITIAL_WINDOW_SIZE");
                    case Http2Setting.MAX_FRAME_SIZE -> range(s, 16_384, 16_777_215, "MAX_FRAME_SIZE");
                    case Http2Setting.MAX_HEADER_LIST_SIZE -> range(s, 1024, Integer.MAX_VALUE,
                            "MAX_HEADER_LIST_SIZE");
                    case Http2Setting.ENABLE_CONNECT_PROTOCOL -> range(s, 0, 1, "ENABLE_CONNECT_PROTOCOL");
                    case Http2Setting.NO_RFC7540_PRIORITIES -> range(s, 0, 1, "NO_RFC7540_PRIORITIES");
                    default -> null; // MAX_CONCURRENT_STREAMS and unknown identifiers (GREASE): any 32-bit value.
                };
                if (problem != null) {
                    throw new IllegalArgumentException(property + ": " + problem);
                }
            }
            if (!seen.contains(Http2Setting.ENABLE_PUSH)) {
                throw new IllegalArgumentException(property + " must hold 2:0 (SETTINGS_ENABLE_PUSH 0): without it"
                        + " the server may push, which hotpool does not take");
            }
        }

        private static String range(Http2Setting s, long min, long max, String name) {
            if (s.value() >= min && s.value() <= max) {
                return null;
            }
            String why = switch (s.id()) {
                case Http2Setting.INITIAL_WINDOW_SIZE -> " (RFC 9113 allows up to 2147483647; hotpool needs at least"
                        + " 65535, as for hotpool.http2.initial-window-size)";
                case Http2Setting.MAX_HEADER_LIST_SIZE -> " (below 1024 ordinary responses would fail, as for"
                        + " hotpool.http2.max-header-list-size; hotpool enforces the value it sends)";
                case Http2Setting.HEADER_TABLE_SIZE -> " (hotpool enforces the value it sends, as an int)";
                case Http2Setting.ENABLE_CONNECT_PROTOCOL -> " (RFC 8441 §3)";
                case Http2Setting.NO_RFC7540_PRIORITIES -> " (RFC 9218 §2.1)";
                default -> " (RFC 9113 §6.5.2)";
            };
            return s + " is outside " + min + ".." + max + " for SETTINGS_" + name + why;
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

    /**
     * One parameter of the SETTINGS frame a TLS profile's HTTP/2 connections send first (RFC 9113 §6.5.1): a 16-bit
     * identifier and an unsigned 32-bit value. Written {@code id:value} in decimal, as the SETTINGS part of an HTTP/2
     * fingerprint writes it ({@code 4:6291456}). Which values hotpool accepts for which identifier is checked by
     * {@link TlsProfile.Builder#build()}, which knows the property to name.
     *
     * <p>Immutable and thread-safe.
     *
     * @param id the identifier: 1 HEADER_TABLE_SIZE, 2 ENABLE_PUSH, 3 MAX_CONCURRENT_STREAMS, 4 INITIAL_WINDOW_SIZE,
     *     5 MAX_FRAME_SIZE, 6 MAX_HEADER_LIST_SIZE, 8 ENABLE_CONNECT_PROTOCOL, 9 NO_RFC7540_PRIORITIES, or any other
     *     (a receiver ignores identifiers it does not know)
     * @param value the value, 0 to 4294967295
     */
    public record Http2Setting(int id, long value) {

        /** SETTINGS_HEADER_TABLE_SIZE: the HPACK table the server may use for the field blocks it sends. */
        public static final int HEADER_TABLE_SIZE = 0x1;

        /** SETTINGS_ENABLE_PUSH: hotpool takes no server push, so a profile must send 0. */
        public static final int ENABLE_PUSH = 0x2;

        /** SETTINGS_MAX_CONCURRENT_STREAMS: from a client, a cap on streams the server pushes. */
        public static final int MAX_CONCURRENT_STREAMS = 0x3;

        /** SETTINGS_INITIAL_WINDOW_SIZE: what the server may send on a stream ahead of the reads. */
        public static final int INITIAL_WINDOW_SIZE = 0x4;

        /** SETTINGS_MAX_FRAME_SIZE: the largest frame payload accepted. */
        public static final int MAX_FRAME_SIZE = 0x5;

        /** SETTINGS_MAX_HEADER_LIST_SIZE: the largest decoded header list accepted. */
        public static final int MAX_HEADER_LIST_SIZE = 0x6;

        /** SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §3): 0 or 1. */
        public static final int ENABLE_CONNECT_PROTOCOL = 0x8;

        /** SETTINGS_NO_RFC7540_PRIORITIES (RFC 9218 §2.1): 0 or 1. */
        public static final int NO_RFC7540_PRIORITIES = 0x9;

        /**
         * @throws IllegalArgumentException when the identifier is not 16 bits or the value not an unsigned 32-bit number
         */
        public Http2Setting {
            if (id < 0 || id > 0xffff) {
                throw new IllegalArgumentException("an HTTP/2 SETTINGS identifier is 0 to 65535, not " + id);
            }
            if (value < 0 || value > 0xffff_ffffL) {
                throw new IllegalArgumentException("an HTTP/2 SETTINGS value is 0 to 4294967295, not " + value);
            }
        }

        /**
         * Reads the SETTINGS part of an HTTP/2 fingerprint: {@code id:value} pairs joined by {@code ;}
         * ({@code 1:65536;2:0;4:6291456;6:262144}), decimal, in the order they are sent. Blanks around the parts are
         * ignored; an empty text gives an empty list.
         *
         * @throws IllegalArgumentException saying which pair cannot be read and why
         */
        public static List<Http2Setting> parseAll(String text) {
            List<Http2Setting> settings = new ArrayList<>();
            if (text == null || text.isBlank()) {
                return List.of();
            }
            for (String part : text.split(";", -1)) {
                settings.add(parse(part.trim()));
            }
            return List.copyOf(settings);
        }

        private static Http2Setting parse(String pair) {
            int colon = pair.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("'" + pair + "' is not id:value (e.g. 4:6291456)");
            }
            long id = number(pair, pair.substring(0, colon).trim());
            long value = number(pair, pair.substring(colon + 1).trim());
            if (id > 0xffff) {
                throw new IllegalArgumentException("'" + pair + "': an identifier is 0 to 65535");
            }
            if (value > 0xffff_ffffL) {
                throw new IllegalArgumentException("'" + pair + "': a value is 0 to 4294967295");
            }
            return new Http2Setting((int) id, value);
        }

        private static long number(String pair, String digits) {
            if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch((c) -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + pair + "' is not id:value in decimal (e.g. 4:6291456)");
            }
            return Long.parseLong(digits);
        }

        /** {@code id:value}, as an HTTP/2 fingerprint writes it. */
        @Override
        public String toString() {
            return this.id + ":" + this.value;
        }
    }

    /** SETTINGS as an HTTP/2 fingerprint writes them: {@code 1:65536;2:0}. */
    static String settingsText(List<Http2Setting> settings) {
        StringBuilder b = new StringBuilder();
        for (Http2Setting s : settings) {
            b.append(b.length() == 0 ? "" : ";").append(s);
        }
        return b.toString();
    }

    /** {@code hotpool.tls.profiles.<profile>.<property>}, or the profile's own key when property is null. */
    static String property(String profile, String property) {
        return "hotpool.tls.profiles." + profile + (property == null ? "" : "." + property);
    }
}
