package dev.hotpool.benchmarks.load;

import java.util.function.BiConsumer;

/** The {@code --name=value} arguments of the benchmark programs. */
public final class Args {

    private Args() {
    }

    /**
     * Gives each {@code --name=value} argument to {@code option}, name without the dashes; {@code skip} arguments
     * (flags read elsewhere) are passed over.
     *
     * @throws IllegalArgumentException for an argument of another form; {@code option} throws it for an unknown name
     */
    public static void forEach(String[] args, BiConsumer<String, String> option, String... skip) {
        outer:
        for (String a : args) {
            for (String s : skip) {
                if (a.equals(s)) {
                    continue outer;
                }
            }
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("benchmark: expected --name=value, got " + a);
            }
            option.accept(a.substring(2, eq), a.substring(eq + 1));
        }
    }

    /** The error for an option no program knows. */
    public static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("benchmark: unknown option --" + name);
    }
}
