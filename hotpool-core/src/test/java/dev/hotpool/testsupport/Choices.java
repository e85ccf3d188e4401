package dev.hotpool.testsupport;

import java.util.Random;

/**
 * Where a random test's choices come from: a seeded {@link Random} (property tests, which print the seed), or the fuzz
 * engine's bytes (Jazzer targets adapt their {@code FuzzedDataProvider}). Not thread-safe.
 */
public interface Choices {

    /** A number in {@code [0, bound)}; {@code bound} is at least 1. */
    int nextInt(int bound);

    /** A number in {@code [min, max]}. */
    default int between(int min, int max) {
        return min + nextInt(max - min + 1);
    }

    /** True with the given chance, in percent. */
    default boolean chance(int percent) {
        return nextInt(100) < percent;
    }

    /** {@code n} bytes. */
    default byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) nextInt(256);
        }
        return b;
    }

    /** Choices from a seeded {@link Random}. */
    static Choices seeded(long seed) {
        Random random = new Random(seed);
        return new Choices() {
            @Override
            public int nextInt(int bound) {
                return random.nextInt(bound);
            }

            @Override
            public byte[] bytes(int n) {
                byte[] b = new byte[n];
                random.nextBytes(b);
                return b;
            }
        };
    }
}
