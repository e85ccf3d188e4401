package dev.hotpool.benchmarks.framing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cases of hotpool's framing corpus ({@code hotpool-core/src/test/resources/dev/hotpool/internal/http/framing-corpus.txt},
 * whose top says the format): response bytes and the verdict hotpool's framing rule gives them. The benchmarks
 * module reads the file itself (it does not see hotpool-core's test classes); the format is the same.
 *
 * <p>Thread-safe: stateless.
 */
final class Corpus {

    /** What hotpool does with a response, as the corpus says. */
    enum Verdict {
        /** Delivered, and its connection carries the next request. */
        REUSE,
        /** Delivered, and its connection is closed after it. */
        CLOSE,
        /** A {@code MalformedResponseException}; the connection is closed. */
        ERROR;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One case.
     *
     * @param sendText the {@code send:} line as written (escapes kept)
     * @param detail for {@link Verdict#CLOSE}, why the head was read leniently (or empty); for {@link Verdict#ERROR},
     *     a part of hotpool's message
     * @param serverCloses whether the server closes the connection after sending ({@code then: close})
     * @param real the server this response was captured from, or {@code null}
     */
    record Case(String name, String sendText, byte[] send, Verdict verdict, String detail, byte[] body, String method,
            boolean serverCloses, String real) {

        /** Whether the corpus calls this response framed exactly (its connection may carry the next request). */
        boolean exact() {
            return this.verdict == Verdict.REUSE;
        }

        /** The verdict as the corpus writes it ({@code error <part>}, {@code close <why>}, {@code reuse}). */
        String expectText() {
            return this.detail.isEmpty() ? this.verdict.word() : this.verdict.word() + " " + this.detail;
        }
    }

    private Corpus() {
    }

    static List<Case> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    static List<Case> parse(String text) {
        List<Case> cases = new ArrayList<>();
        String name = null;
        Map<String, String> keys = new TreeMap<>();
        for (String line : (text + "\n== end").split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (line.startsWith("== ")) {
                if (name != null) {
                    cases.add(toCase(name, keys));
                }
                name = line.substring(3).trim();
                keys = new TreeMap<>();
                continue;
            }
            int colon = line.indexOf(": ");
            if (name == null || colon < 0) {
                throw new IllegalArgumentException("framing corpus: cannot read line '" + line + "'");
            }
            if (keys.put(line.substring(0, colon), line.substring(colon + 2)) != null) {
                throw new IllegalArgumentException("framing corpus: case " + name + " has two '"
                        + line.substring(0, colon) + "' lines");
            }
        }
        return cases;
    }

    private static Case toCase(String name, Map<String, String> keys) {
        String expect = keys.get("expect");
        if (expect == null || !keys.containsKey("send")) {
            throw new IllegalArgumentException("framing corpus: case " + name + " needs send and expect");
        }
        int space = expect.indexOf(' ');
        Verdict verdict = Verdict.valueOf((space < 0 ? expect : expect.substring(0, space)).toUpperCase(Locale.ROOT));
        String detail = space < 0 ? "" : expect.substring(space + 1);
        return new Case(name, keys.get("send"), bytes(keys.get("send")), verdict, detail,
                bytes(keys.getOrDefault("body", "")), keys.getOrDefault("method", "GET"),
                "close".equals(keys.get("then")), keys.get("real"));
    }

    /** The bytes an escaped text stands for: {@code \r \n \t \0 \\ \xHH}, and {@code ${repeat N text}}. */
    static byte[] bytes(String escaped) {
        String text = escaped;
        for (int at; (at = text.lastIndexOf("${repeat ")) >= 0; ) {
            int end = text.indexOf('}', at);
            String[] spec = text.substring(at + 9, end).split(" ", 2);
            text = text.substring(0, at) + spec[1].repeat(Integer.parseInt(spec[0])) + text.substring(end + 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                if (c > 0xff) {
                    throw new IllegalArgumentException("framing corpus: '" + c + "' is not one byte; write \\xHH");
                }
                out.write(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '0' -> out.write(0);
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("framing corpus: unknown escape \\" + e);
            }
        }
        return out.toByteArray();
    }

    /**
     * The escaped text of bytes, the inverse of {@link #bytes}: what a {@code send:} line would say (printable ASCII
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
