package dev.hotpool.internal.tls;

import dev.hotpool.tls.Fingerprint;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;
import dev.hotpool.tls.TlsProvider;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS profiles of a pool as its provider really sends them on this JVM: every configured profile, every built-in
 * one in use (by the pool or by a host), captured on loopback once ({@link ProfileVerifier}), and once more for each
 * other ALPN list its connections offer (with {@code h2} in {@code hotpool.protocols} or a host's, the protocols
 * replace the profile's own list, which changes the hello and its JA3/JA4). A configured profile
 * asking for what the provider cannot send fails with the profile, property and value; a built-in profile drops it
 * instead, and what it left out is logged. Captures are remembered per provider and profile (a bounded number), so
 * pools made of the same profiles do not capture them again.
 *
 * <p>Thread-safe.
 */
public final class TlsSetup {

    private static final Logger logger = LoggerFactory.getLogger(TlsSetup.class);

    /** Captures remembered, least recently used first out. */
    private static final int REMEMBERED = 64;

    /** Guards {@link #verified}; held only to look up or add, never during a capture. */
    private static final ReentrantLock lock = new ReentrantLock();

    /**
     * Guarded by {@link #lock}. Keyed by provider and profile (by its name and values); an entry leaves when it is the
     * least recently used of more than {@link #REMEMBERED}.
     */
    private static final Map<String, ProfileVerifier.Verified> verified = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ProfileVerifier.Verified> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * The profiles in effect.
     *
     * @param profiles every profile by name, the verified ones as the provider sends them
     * @param fingerprints the fingerprint of each verified profile, by name: with the first ALPN list it is sent with
     *     (the pool's, for a profile the pool uses), or its own list when no connection uses it
     * @param byAlpn every fingerprint taken, by profile name, then by the ALPN list offered
     */
    public record Verified(TlsProfiles declared, Map<String, TlsProfile> profiles, Map<String, Fingerprint> fingerprints,
            Map<String, Map<List<String>, Fingerprint>> byAlpn) {

        /**
         * The fingerprint of a profile's connections that offer {@code alpn}, or {@code null} when that pair was not
         * in use when the pool was made (so was never captured).
         */
        public Fingerprint fingerprint(String profile, List<String> alpn) {
            Map<List<String>, Fingerprint> captured = this.byAlpn.get(profile);
            return captured == null ? null : captured.get(alpn);
        }

        /** The profile of that name as sent on this JVM, or {@code null}. */
        public TlsProfile profile(String name) {
            return this.profiles.get(name);
        }

        /** The profile as sent on this JVM for one the configuration names. */
        public TlsProfile effective(TlsProfile declared) {
            return this.profiles.getOrDefault(declared.name(), declared);
        }

        /** The fingerprint of every profile in use by the pool, by name, in configuration order. */
        public Map<String, Fingerprint> inUseFingerprints() {
            Map<String, Fingerprint> inUse = new LinkedHashMap<>();
            for (TlsProfile p : this.declared.inUse()) {
                inUse.put(p.name(), this.fingerprints.get(p.name()));
            }
            return Collections.unmodifiableMap(inUse);
        }
    }

    private TlsSetup() {
    }

    /**
     * Verifies the configured profiles, those the pool uses and those {@code alsoInUse} names (the hosts' own), each
     * fingerprinted with its own ALPN list.
     *
     * @throws IllegalArgumentException naming the property and the value, e.g.
     *     {@code hotpool.tls.profiles.fast.cipher-suites[2] (TLS_BOGUS) is not supported by BouncyCastle JSSE on
     *     this JVM}
     * @throws IllegalStateException when the provider cannot be set up or the loopback capture failed
     */
    public static Verified verify(TlsProfiles declared, Collection<String> alsoInUse) {
        return verify(declared, alsoInUse, Map.of());
    }

    /**
     * Verifies as {@link #verify(TlsProfiles, Collection)} does, and fingerprints each profile with every ALPN list
     * its connections offer.
     *
     * @param alpnInUse by profile name, the ALPN lists its connections offer, the pool's first (see
     *     {@code EffectiveHostSettings.alpn(TlsProfile)}); a profile missing here is fingerprinted with its own list
     */
    public static Verified verify(TlsProfiles declared, Collection<String> alsoInUse,
            Map<String, ? extends Collection<List<String>>> alpnInUse) {
        TlsProvider provider = declared.provider();
        List<String> verify = new ArrayList<>();
        for (TlsProfile p : declared.profiles().values()) {
            if (!p.builtIn()) {
                verify.add(p.name());
            }
        }
        List<String> inUse = new ArrayList<>();
        declared.inUse().forEach(p -> inUse.add(p.name()));
        for (String name : alsoInUse) {
            if (!inUse.contains(name) && declared.profile(name) != null) {
                inUse.add(name);
            }
        }
        for (String name : inUse) {
            if (!verify.contains(name)) {
                verify.add(name);
            }
        }
        Map<String, TlsProfile> all = new LinkedHashMap<>(declared.profiles());
        Map<String, Fingerprint> fingerprints = new LinkedHashMap<>();
        Map<String, Map<List<String>, Fingerprint>> byAlpn = new LinkedHashMap<>();
        ProfileVerifier verifier = null; // Made on the first capture, for all of this pool's.
        for (String name : verify) {
            TlsProfile profile = all.get(name);
            String key = provider + " " + profile.builtIn() + " " + profile;
            ProfileVerifier.Verified v = remembered(key);
            if (v == null) {
                if (verifier == null) {
                    verifier = newVerifier(provider);
                }
                v = verifier.verify(profile);
                remember(key, v);
            }
            all.put(name, v.profile());
            Map<List<String>, Fingerprint> captured = new LinkedHashMap<>();
            Collection<List<String>> alpns = alpnInUse.get(name);
            for (List<String> alpn : alpns == null || alpns.isEmpty() ? List.of(v.profile().alpn()) : alpns) {
                if (alpn.equals(v.profile().alpn())) {
                    captured.put(alpn, v.fingerprint());
                    continue;
                }
                String alpnKey = key + " alpn " + alpn;
                ProfileVerifier.Verified other = remembered(alpnKey);
                if (other == null) {
                    if (verifier == null) {
                        verifier = newVerifier(provider);
                    }
                    other = new ProfileVerifier.Verified(v.profile(), verifier.fingerprint(v.profile(), alpn),
                            List.of());
                    remember(alpnKey, other);
                }
                captured.put(List.copyOf(alpn), other.fingerprint());
            }
            Fingerprint first = captured.values().iterator().next();
            fingerprints.put(name, first);
            byAlpn.put(name, Collections.unmodifiableMap(captured));
            if (!v.leftOut().isEmpty()) {
                logger.info("hotpool: built-in TLS profile '{}' on {} leaves out what it cannot send on {}: {}."
                        + " Its fingerprint shows what it does send", name, provider.displayName(),
                        ProfileVerifier.javaVersion(), String.join("; ", v.leftOut()));
            }
            if (inUse.contains(name)) {
                for (Fingerprint f : captured.values()) {
                    logger.debug("hotpool: TLS profile '{}' on {} with ALPN {} sends JA4 {} (JA3 {}), to IP addresses"
                            + " JA4 {}", name, provider.displayName(), f.alpn(), f.ja4(), f.ja3Md5(),
                            f.ipLiteral().ja4());
                }
            }
        }
        return new Verified(declared, Collections.unmodifiableMap(all), Collections.unmodifiableMap(fingerprints),
                Collections.unmodifiableMap(byAlpn));
    }

    private static ProfileVerifier newVerifier(TlsProvider provider) {
        try {
            return new ProfileVerifier(provider);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("hotpool: cannot set up " + provider.displayName() + ": "
                    + ex.getMessage(), ex);
        }
    }

    private static ProfileVerifier.Verified remembered(String key) {
        lock.lock();
        try {
            return verified.get(key);
        }
        finally {
            lock.unlock();
        }
    }

    private static void remember(String key, ProfileVerifier.Verified v) {
        lock.lock();
        try {
            verified.put(key, v);
        }
        finally {
            lock.unlock();
        }
    }
}
