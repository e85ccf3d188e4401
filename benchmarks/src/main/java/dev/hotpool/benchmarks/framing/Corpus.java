package dev.hotpool.benchmarks.framing;

import dev.hotpool.internal.http.FramingCorpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * hotpool's framing corpus ({@code hotpool-core/src/test/resources/dev/hotpool/internal/http/framing-corpus.txt},
 * whose top says the format) as the comparison reads and writes it. The cases are parsed by hotpool-core's own
 * {@link FramingCorpus} (from its test jar), so the tests and the comparison cannot read the file differently.
 *
 * <p>Thread-safe: stateless.
 */
final class Corpus {

    private Corpus() {
    }

    static List<FramingCorpus.Case> read(Path file) throws IOException {
        return FramingCorpus.parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** A verdict as the corpus writes it: {@code reuse}, {@code close}, {@code error}. */
    static String word(FramingCorpus.Verdict verdict) {
        return verdict.name().toLowerCase(Locale.ROOT);
    }

    /** The verdict of a case as the corpus writes it ({@code error <part>}, {@code close <why>}, {@code reuse}). */
    static String expectText(FramingCorpus.Case c) {
        return c.detail().isEmpty() ? word(c.verdict()) : word(c.verdict()) + " " + c.detail();
    }

    /**
     * The escaped text of bytes, the inverse of the corpus's escapes: what a {@code send:} line would say (printable ASCII
     * as is, {@code \r \n \t \0 \\}, anything else {@code \xHH}).
     */
    static String escape(byte[] bytes, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xff;
            switch (b) {
                case '\r' -> s.append("\\r");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                case 0 -> s.append("\\0");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (b >= 0x20 && b < 0x7f) {
                        s.append((char) b);
                    }
                    else {
                        s.append(String.format(Locale.ROOT, "\\x%02x", b));
                    }
                }
            }
        }
        return s.toString();
    }
}
