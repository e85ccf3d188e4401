package dev.hotpool.tls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The TLS client profiles of a pool: the built-in and configured {@link TlsProfile}s, which JSSE sends them
 * ({@link TlsProvider}), and which profile each new connection uses ({@link #next()}): always
 * {@code hotpool.tls.profile}, or in turn or at random over {@code hotpool.tls.rotate-profiles}.
 *
 * <p>Names are checked when it is built. What the provider really sends on this JVM is checked when a pool is made of
 * them ({@code new HotPool(config)}): every configured profile, and every built-in one in use, is captured on loopback
 * once (see {@link Fingerprint}, and {@code HotPool.tlsFingerprints()}). A configured profile asking for what the
 * provider cannot send fails the pool's construction with the profile, property and value; a built-in profile drops it
 * instead, and the pool logs what it left out.
 *
 * <p>Thread-safe: immutable but for the round-robin counter, an atomic.
 */
public final class TlsProfiles {

    /** How each new connection picks its profile ({@code hotpool.tls.rotation}). */
    public enum Rotation {

        /** Always {@code hotpool.tls.profile}. */
        FIXED,

        /** The profiles of {@code hotpool.tls.rotate-profiles} in turn. */
        ROUND_ROBIN,

        /** One of {@code hotpool.tls.rotate-profiles} at random, each equally likely. */
        RANDOM
    }

    private final TlsProvider provider;
    private final Rotation rotation;
    private final TlsProfile profile;
    private final Map<String, TlsProfile> profiles;
    private final List<TlsProfile> rotated;
    private final Random random;
    private final AtomicLong turn = new AtomicLong();

    private TlsProfiles(Builder b, Map<String, TlsProfile> profiles) {
        this.provider = b.provider;
        this.rotation = b.rotation;
        this.profiles = Collections.unmodifiableMap(profiles);
        this.profile = profiles.get(b.profile);
        this.rotated = b.rotateProfiles.stream().map(profiles::get).toList();
        this.random = b.random;
    }

    /** The built-in {@code default} profile on BouncyCastle JSSE, fixed. */
    public static TlsProfiles defaults() {
        return Defaults.INSTANCE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The profile for a new connection. */
    public TlsProfile next() {
        return switch (this.rotation) {
            case FIXED -> this.profile;
            case ROUND_ROBIN -> this.rotated.get((int) Math.floorMod(this.turn.getAndIncrement(), this.rotated.size()));
            case RANDOM -> this.rotated.get((this.random != null ? this.random : ThreadLocalRandom.current())
                .nextInt(this.rotated.size()));
        };
    }

    /** The JSSE that sends the profiles. */
    public TlsProvider provider() {
        return this.provider;
    }

    public Rotation rotation() {
        return this.rotation;
    }

    /** {@code hotpool.tls.profile}: the profile of every connection when the rotation is {@link Rotation#FIXED}. */
    public TlsProfile profile() {
        return this.profile;
    }

    /** The profile of that name (built-in or configured, as it is sent on this JVM), or {@code null}. */
    public TlsProfile profile(String name) {
        return this.profiles.get(name);
    }

    /** Every profile by name: the built-in ones, then the configured ones. */
    public Map<String, TlsProfile> profiles() {
        return this.profiles;
    }

    /** The profiles new connections use, each once, in configuration order. */
    public List<TlsProfile> inUse() {
        return this.rotation == Rotation.FIXED ? List.of(this.profile) : this.rotated.stream().distinct().toList();
    }

    @Override
    public String toString() {
        return "TlsProfiles[" + this.provider.name().toLowerCase(java.util.Locale.ROOT) + ", "
                + (this.rotation == Rotation.FIXED ? this.profile.name()
                        : this.rotation.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " over "
                                + this.rotated.stream().map(TlsProfile::name).toList())
                + "]";
    }

    /** Builds a {@link TlsProfiles}. Not thread-safe. */
    public static final class Builder {

        private TlsProvider provider = TlsProvider.BC;
        private Rotation rotation = Rotation.FIXED;
        private String profile = TlsProfile.DEFAULT.name();
        private List<String> rotateProfiles = List.of();
        private final Map<String, TlsProfile> configured = new LinkedHashMap<>();
        private final List<String> duplicates = new ArrayList<>();
        private Random random;

        private Builder() {
        }

        /** {@code hotpool.tls.provider}; default {@link TlsProvider#BC}. */
        public Builder provider(TlsProvider provider) {
            this.provider = Objects.requireNonNull(provider, "'provider' must not be null");
            return this;
        }

        /** {@code hotpool.tls.profile}: the profile's name; default {@code default}. */
        public Builder profile(String name) {
            this.profile = name;
            return this;
        }

        /** {@code hotpool.tls.rotation}; default {@link Rotation#FIXED}. */
        public Builder rotation(Rotation rotation) {
            this.rotation = Objects.requireNonNull(rotation, "'rotation' must not be null");
            return this;
        }

        /**
         * {@code hotpool.tls.rotate-profiles}: the profiles rotated over, by name. A profile listed twice is
         * used twice as often.
         */
        public Builder rotateProfiles(List<String> names) {
            this.rotateProfiles = List.copyOf(names);
            return this;
        }

        /** Adds a configured profile ({@code hotpool.tls.profiles.<name>.*}). */
        public Builder add(TlsProfile profile) {
            if (this.configured.putIfAbsent(profile.name(), profile) != null) {
                this.duplicates.add(profile.name());
            }
            return this;
        }

        /** The source of {@link Rotation#RANDOM} choices; default {@link ThreadLocalRandom}. For tests. */
        public Builder random(Random random) {
            this.random = random;
            return this;
        }

        /**
         * Checks the names: every profile named exists, none is configured twice or redefines a built-in one, and the
         * rotation has the profiles it needs. (What the provider can send is checked by the pool made of them.)
         *
         * @throws IllegalArgumentException naming the property and the value, e.g. {@code hotpool.tls.profile (fast)
         *     names no TLS profile; …}
         */
        public TlsProfiles build() {
            if (!this.duplicates.isEmpty()) {
                throw new IllegalArgumentException(TlsProfile.property(this.duplicates.get(0), null)
                        + " is configured twice");
            }
            Map<String, TlsProfile> all = new LinkedHashMap<>(TlsProfile.builtIns());
            for (TlsProfile p : this.configured.values()) {
                if (p.builtIn() || all.containsKey(p.name())) {
                    throw new IllegalArgumentException(TlsProfile.property(p.name(), null) + " is a built-in profile"
                            + " and cannot be redefined; configure your profile under another name");
                }
                all.put(p.name(), p);
            }
            checkName("hotpool.tls.profile", this.profile, all);
            if (this.rotation == Rotation.FIXED && !this.rotateProfiles.isEmpty()) {
                throw new IllegalArgumentException("hotpool.tls.rotate-profiles " + this.rotateProfiles
                        + " is used only when hotpool.tls.rotation is round-robin or random (it is fixed);"
                        + " set the rotation, or remove the list");
            }
            if (this.rotation != Rotation.FIXED && this.rotateProfiles.isEmpty()) {
                throw new IllegalArgumentException("hotpool.tls.rotate-profiles must name the profiles to rotate over"
                        + " when hotpool.tls.rotation is " + this.rotation.name().toLowerCase(java.util.Locale.ROOT)
                            .replace('_', '-'));
            }
            for (int i = 0; i < this.rotateProfiles.size(); i++) {
                checkName("hotpool.tls.rotate-profiles[" + i + "]", this.rotateProfiles.get(i), all);
            }
            return new TlsProfiles(this, all);
        }

        private static void checkName(String property, String name, Map<String, TlsProfile> all) {
            if (name == null || !all.containsKey(name)) {
                List<String> configured = all.values().stream().filter((p) -> !p.builtIn()).map(TlsProfile::name)
                    .toList();
                throw new IllegalArgumentException(property + " (" + name + ") names no TLS profile; the built-in"
                        + " profiles are " + String.join(", ", TlsProfile.builtIns().keySet())
                        + (configured.isEmpty() ? "" : ", the configured ones " + String.join(", ", configured)));
            }
        }
    }

    private static final class Defaults {

        static final TlsProfiles INSTANCE = builder().build();
    }
}
