package dev.hotpool.internal.tls;

import dev.hotpool.tls.Fingerprint;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProvider;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Checks a {@link TlsProfile} against what one {@link TlsProvider} really sends on this JVM, and fingerprints it.
 * BCJSSE drops names it does not know, or cannot use with this JVM's crypto and security properties, without a
 * word; so every name is looked up, then the profile's ClientHello is captured on loopback
 * ({@link ClientHelloCapture}) and every configured value must be on the wire.
 *
 * <p>A configured profile that asks for something the provider cannot send fails with a message naming the
 * profile, the property and the value. A built-in profile is adapted instead: what the provider cannot send on this
 * JVM is left out, and the caller logs it.
 *
 * <p>Thread-safe: the capture context is only read after construction.
 */
final class ProfileVerifier {

    /** Host of the capture with SNI; {@code .invalid} never resolves (RFC 6761). */
    static final String SNI_HOST = "hotpool.invalid";

    /** Host of the capture without SNI: an address of TEST-NET-1 (RFC 5737), never contacted. */
    static final String IP_HOST = "192.0.2.1";

    private static final String DROPPED_UNEXPLAINED = "disabled by jdk.tls.disabledAlgorithms, missing from this"
            + " JVM's crypto, or unusable with this profile's protocols or named groups";

    private final TlsProvider provider;
    private final SSLContext context;
    private final Set<Integer> supportedCipherSuites = new HashSet<>();

    ProfileVerifier(TlsProvider provider) throws GeneralSecurityException {
        this.provider = provider;
        this.context = Jsse.newContext(provider);
        // No trust at all: captures never get as far as a certificate.
        this.context.init(null, new TrustManager[0], new SecureRandom());
        for (String name : this.context.getSupportedSSLParameters().getCipherSuites()) {
            int code = TlsNames.cipherSuite(name);
            if (code >= 0) {
                this.supportedCipherSuites.add(code);
            }
        }
    }

    /**
     * A profile as it will be sent, with its fingerprint.
     *
     * @param profile the profile with canonical names; for a built-in, less what the provider cannot send here
     * @param fingerprint what its connections send
     * @param leftOut what a built-in lost, with the reason ({@code key-shares [x25519] (it never lets a client
     *     choose its key shares)}); empty otherwise
     */
    record Verified(TlsProfile profile, Fingerprint fingerprint, List<String> leftOut) {
    }

    /**
     * Verifies and fingerprints a profile.
     *
     * @throws IllegalArgumentException when a configured profile asks for what the provider cannot send
     * @throws IllegalStateException when the loopback capture failed
     */
    Verified verify(TlsProfile profile) {
        List<String> leftOut = new ArrayList<>();
        TlsProfile.Builder values = profile.toBuilder();
        for (String property : Jsse.unsettable(this.provider)) {
            List<String> set = Property.of(property).get(profile);
            if (set.isEmpty()) {
                continue;
            }
            if (!profile.builtIn()) {
                throw new IllegalArgumentException(property(profile.name(), property) + " " + set
                        + " cannot be honoured by " + this.provider.displayName() + " on " + javaVersion() + ": "
                        + Property.of(property).jdkLimit + "; remove the property, or use hotpool.tls.provider=bc");
            }
            leftOut.add(property + " " + set + " (" + Property.of(property).jdkLimit + ")");
            Property.of(property).set(values, List.of());
        }
        TlsProfile candidate = canonical(values).build(); // What this JVM sends of a built-in profile.
        for (int attempt = 0;; attempt++) {
            List<Problem> problems = namingProblems(candidate);
            ClientHello hello = null;
            if (problems.isEmpty()) {
                hello = capture(candidate, candidate.alpn(), SNI_HOST);
                problems = wireProblems(candidate, hello);
            }
            if (problems.isEmpty()) {
                ClientHello withoutSni = capture(candidate, candidate.alpn(), IP_HOST);
                Fingerprint fingerprint = new Fingerprint(candidate.name(), this.provider, hello.fingerprint(),
                        withoutSni.fingerprint(), candidate.alpn());
                return new Verified(candidate, fingerprint, List.copyOf(leftOut));
            }
            if (!candidate.builtIn() || attempt > 0 || problems.stream().anyMatch(Problem::fatal)) {
                throw new IllegalArgumentException(problems.get(0).message());
            }
            candidate = without(candidate, problems, leftOut);
        }
    }

    /**
     * The fingerprint of a verified profile (one {@link #verify} returned) whose connections offer {@code alpn} in
     * place of its own ALPN list, as they do with {@code h2} in {@code hotpool.protocols}.
     *
     * @throws IllegalStateException when the loopback capture failed, or the provider did not send that list
     */
    Fingerprint fingerprint(TlsProfile verified, List<String> alpn) {
        ClientHello hello = capture(verified, alpn, SNI_HOST);
        if (!hello.alpn().equals(alpn)) {
            throw new IllegalStateException("hotpool: TLS profile '" + verified.name() + "' on "
                    + this.provider.displayName() + " was to offer " + alpn + " in ALPN but sent " + hello.alpn());
        }
        ClientHello withoutSni = capture(verified, alpn, IP_HOST);
        return new Fingerprint(verified.name(), this.provider, hello.fingerprint(), withoutSni.fingerprint(), alpn);
    }

    private ClientHello capture(TlsProfile profile, List<String> alpn, String host) {
        try {
            return ClientHelloCapture.capture(this.context, host,
                    (s) -> Jsse.configure(this.provider, s, profile, alpn, host));
        }
        catch (IOException | RuntimeException ex) {
            throw new IllegalStateException("hotpool: cannot capture the ClientHello of TLS profile '" + profile.name()
                    + "' on the loopback address: " + ex.getMessage(), ex);
        }
    }

    /** Names the provider does not know, and combinations no provider can send. */
    private List<Problem> namingProblems(TlsProfile p) {
        List<Problem> problems = new ArrayList<>();
        boolean tls13 = p.protocols().contains("TLSv1.3");
        boolean tls12 = p.protocols().contains("TLSv1.2");
        List<String> ciphers = p.cipherSuites();
        for (int i = 0; i < ciphers.size(); i++) {
            String name = ciphers.get(i);
            int code = TlsNames.cipherSuite(name);
            if (code < 0 || !this.supportedCipherSuites.contains(code)) {
                problems.add(unsupported(p, Property.CIPHER_SUITES, i, name));
            }
            else if (TlsNames.isTls13CipherSuite(name) ? !tls13 : !tls12) {
                String needed = TlsNames.isTls13CipherSuite(name) ? "TLSv1.3" : "TLSv1.2";
                problems.add(new Problem(Property.CIPHER_SUITES, i, name, path(p, Property.CIPHER_SUITES, i, name)
                        + " is a " + needed.replace("TLSv", "TLS ") + " cipher suite, but "
                        + property(p.name(), "protocols") + " " + p.protocols() + " does not include "
                        + needed, true));
            }
        }
        named(p, Property.NAMED_GROUPS, TlsNames::namedGroup, problems);
        named(p, Property.KEY_SHARES, TlsNames::namedGroup, problems);
        named(p, Property.SIGNATURE_SCHEMES, TlsNames::signatureScheme, problems);
        if (!p.keyShares().isEmpty() && !tls13) {
            problems.add(new Problem(Property.KEY_SHARES, -1, null, property(p.name(), "key-shares") + " "
                    + p.keyShares() + " are sent only with TLSv1.3, which " + property(p.name(), "protocols")
                    + " " + p.protocols() + " does not include", true));
        }
        return problems;
    }

    private void named(TlsProfile p, Property property, ToIntFunction<String> code, List<Problem> problems) {
        List<String> names = property.get(p);
        for (int i = 0; i < names.size(); i++) {
            if (code.applyAsInt(names.get(i)) < 0) {
                problems.add(unsupported(p, property, i, names.get(i)));
            }
        }
    }

    /** Configured values missing from the captured hello. */
    private List<Problem> wireProblems(TlsProfile p, ClientHello hello) {
        List<Problem> problems = new ArrayList<>();
        List<String> protocols = hello.protocols();
        for (int i = 0; i < p.protocols().size(); i++) {
            if (!protocols.contains(p.protocols().get(i))) {
                problems.add(dropped(p, Property.PROTOCOLS, i, p.protocols().get(i)));
            }
        }
        onWire(p, Property.CIPHER_SUITES, TlsNames::cipherSuite, hello.cipherSuites(), problems);
        onWire(p, Property.NAMED_GROUPS, TlsNames::namedGroup, hello.namedGroups(), problems);
        if (p.protocols().contains("TLSv1.3")) {
            onWire(p, Property.KEY_SHARES, TlsNames::namedGroup, hello.keyShares(), problems);
        }
        // A scheme is sent when it is in either list. SunJSSE (like RFC 8446) keeps the RSA PKCS#1 schemes of a TLS
        // 1.3-only hello out of signature_algorithms, which is about handshake signatures, and sends them in
        // signature_algorithms_cert, which is about the certificates: the only place TLS 1.3 uses them. Leaving them
        // out of the profile would make SunJSSE refuse every certificate signed SHA256withRSA.
        List<Integer> signatures = new ArrayList<>(hello.signatureAlgorithms());
        signatures.addAll(hello.signatureAlgorithmsCert());
        onWire(p, Property.SIGNATURE_SCHEMES, TlsNames::signatureScheme, signatures, problems);
        if (!hello.alpn().equals(p.alpn())) {
            problems.add(new Problem(Property.ALPN, -1, null, property(p.name(), "alpn") + " " + p.alpn()
                    + " is not what " + this.provider.displayName() + " sends on " + javaVersion() + ": "
                    + hello.alpn(), true));
        }
        return problems;
    }

    private void onWire(TlsProfile p, Property property, ToIntFunction<String> code, List<Integer> wire,
            List<Problem> problems) {
        List<String> names = property.get(p);
        for (int i = 0; i < names.size(); i++) {
            if (!wire.contains(code.applyAsInt(names.get(i)))) {
                problems.add(dropped(p, property, i, names.get(i)));
            }
        }
    }

    private Problem unsupported(TlsProfile p, Property property, int index, String value) {
        return new Problem(property, index, value, path(p, property, index, value) + " is not supported by "
                + this.provider.displayName() + " on this JVM", false);
    }

    private Problem dropped(TlsProfile p, Property property, int index, String value) {
        String disabledBy = DisabledAlgorithms.entryFor(value);
        return new Problem(property, index, value, path(p, property, index, value) + " is not supported by "
                + this.provider.displayName() + " on " + javaVersion() + ": it leaves it out of the ClientHello ("
                + (disabledBy != null ? "disabled by jdk.tls.disabledAlgorithms: " + disabledBy : DROPPED_UNEXPLAINED)
                + ")", false);
    }

    /** How messages name the running JDK: {@code Java 25.0.3}. */
    static String javaVersion() {
        return "Java " + Runtime.version().version().stream().map(String::valueOf)
            .collect(java.util.stream.Collectors.joining("."));
    }

    private static String path(TlsProfile p, Property property, int index, String value) {
        return property(p.name(), property.key) + "[" + index + "] (" + value + ")";
    }

    /** The profile's values with canonical names (unknown names kept as given, for the messages). */
    private static TlsProfile.Builder canonical(TlsProfile.Builder b) {
        TlsProfile p = b.build();
        return b.cipherSuites(p.cipherSuites().stream().map(TlsNames::canonicalCipherSuite).toList())
            .namedGroups(p.namedGroups().stream().map(TlsNames::canonicalGroup).toList())
            .keyShares(p.keyShares().stream().map(TlsNames::canonicalGroup).toList())
            .signatureSchemes(p.signatureSchemes().stream().map(TlsNames::canonicalSignatureScheme).toList());
    }

    /** A built-in without the values this provider cannot send here; notes them in {@code leftOut}. */
    private static TlsProfile without(TlsProfile p, List<Problem> problems, List<String> leftOut) {
        TlsProfile.Builder b = p.toBuilder();
        for (Property property : Property.values()) {
            List<String> removed = problems.stream().filter((x) -> x.property == property).map(Problem::value).toList();
            if (removed.isEmpty()) {
                continue;
            }
            List<String> kept = new ArrayList<>(property.get(p));
            kept.removeAll(removed);
            if (kept.isEmpty()) {
                throw new IllegalArgumentException(property(p.name(), property.key) + ": none of "
                        + property.get(p) + " can be sent on " + javaVersion());
            }
            property.set(b, kept);
            List<String> entries = removed.stream().map(DisabledAlgorithms::entryFor).distinct().toList();
            leftOut.add(property.key + " " + removed + " (" + (entries.contains(null) ? "left out of the ClientHello"
                    : "disabled by jdk.tls.disabledAlgorithms: " + String.join(", ", entries)) + ")");
        }
        return b.build();
    }

    /** Something the provider cannot send; {@code fatal} when leaving the value out would not help. */
    private record Problem(Property property, int index, String value, String message, boolean fatal) {
    }

    /** The list properties of a profile, by their configuration key. */
    private enum Property {

        PROTOCOLS("protocols", ""),
        CIPHER_SUITES("cipher-suites", ""),
        NAMED_GROUPS("named-groups", "it sets named groups per connection only from Java 20 (before, only"
                + " JVM-wide with -Djdk.tls.namedGroups)"),
        KEY_SHARES("key-shares", "it never lets a client choose its key shares"),
        SIGNATURE_SCHEMES("signature-schemes", "it sets signature schemes per connection only from Java 19 (before,"
                + " only JVM-wide with -Djdk.tls.client.SignatureSchemes)"),
        ALPN("alpn", "");

        final String key;
        final String jdkLimit;

        Property(String key, String jdkLimit) {
            this.key = key;
            this.jdkLimit = jdkLimit;
        }

        static Property of(String key) {
            for (Property p : values()) {
                if (p.key.equals(key)) {
                    return p;
                }
            }
            throw new IllegalArgumentException(key);
        }

        List<String> get(TlsProfile p) {
            return switch (this) {
                case PROTOCOLS -> p.protocols();
                case CIPHER_SUITES -> p.cipherSuites();
                case NAMED_GROUPS -> p.namedGroups();
                case KEY_SHARES -> p.keyShares();
                case SIGNATURE_SCHEMES -> p.signatureSchemes();
                case ALPN -> p.alpn();
            };
        }

        void set(TlsProfile.Builder b, List<String> values) {
            switch (this) {
                case PROTOCOLS -> b.protocols(values);
                case CIPHER_SUITES -> b.cipherSuites(values);
                case NAMED_GROUPS -> b.namedGroups(values);
                case KEY_SHARES -> b.keyShares(values);
                case SIGNATURE_SCHEMES -> b.signatureSchemes(values);
                case ALPN -> b.alpn(values);
            }
        }
    }

    /** {@code hotpool.tls.profiles.<profile>.<property>}, or the profile's own key when property is null. */
    static String property(String profile, String property) {
        return "hotpool.tls.profiles." + profile + (property == null ? "" : "." + property);
    }
}
