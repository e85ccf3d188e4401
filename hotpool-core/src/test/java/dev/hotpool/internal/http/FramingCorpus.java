package dev.hotpool.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cases of {@code framing-corpus.txt}: response bytes and the verdict hotpool's framing rule gives them. The file
 * says its format at its top. Public for the benchmarks' framing comparison, which runs the same cases through other
 * clients (it depends on this module's test jar).
 */
public final class FramingCorpus {

    /** What hotpool does with a response. */
    public enum Verdict {
        /** Delivered, and its connection carries the next request. */
        REUSE,
        /** Delivered, and its connection is closed after it. */
        CLOSE,
        /** A {@code MalformedResponseException}; the connection is closed. */
        ERROR
    }

    /**
     * One case.
     *
     * @param detail for {@link Verdict#CLOSE}, why the head was read leniently (or empty: the server closes); for
     *     {@link Verdict#ERROR}, a part of the message
     * @param serverCloses whether the server closes the connection after sending
     */
    public record Case(String name, byte[] send, Verdict verdict, String detail, byte[] body, String method,
            boolean serverCloses, String real) {

        @Override
        public String toString() {
            return this.name;
        }
    }

    private FramingCorpus() {
    }

    static List<Case> cases() {
        try (InputStream in = FramingCorpus.class.getResourceAsStream("framing-corpus.txt")) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Case> parse(String text) {
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
        return new Case(name, bytes(keys.get("send")), verdict, detail, bytes(keys.getOrDefault("body", "")),
                keys.getOrDefault("method", "GET"), "close".equals(keys.get("then")), keys.get("real"));
    }

    /** The bytes an escaped text stands for: {@code \r \n \t \0 \\ \xHH}, and {@code ${repeat N text}}. */
    static byte[] bytes(String escaped) {
        String text = escaped;
        for (int at; (at = text.lastIndexOf("${repeat ")) >= 0; ) {
            int end = text.indexOf('}', at);
            String[] spec = text.substring(at + 9, end).split(" ", 2);
            text = text.substring(0, at) + spec[1].repeat(Integer.parseInt(spec[0])) + text.substring(end + 1);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
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
}
