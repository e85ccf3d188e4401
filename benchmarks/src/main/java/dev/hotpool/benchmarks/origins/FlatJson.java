package dev.hotpool.benchmarks.origins;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one-line JSON a child JVM prints for its measurement, and its parser in the parent: one flat object whose
 * values are strings, numbers, booleans, null or lists of strings. Enough for this hand-off without a JSON library.
 *
 * <p>Thread-safe: stateless.
 */
final class FlatJson {

    private FlatJson() {
    }

    /** The map as one line of JSON. */
    static String line(Map<String, ?> map) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (out.length() > 1) {
                out.append(", ");
            }
            string(out, e.getKey());
            out.append(": ");
            Object v = e.getValue();
            if (v instanceof List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i > 0 ? ", " : "");
                    string(out, String.valueOf(list.get(i)));
                }
                out.append(']');
            }
            else if (v == null || v instanceof Boolean || v instanceof Long || v instanceof Integer) {
                out.append(v);
            }
            else if (v instanceof Number n) {
                out.append(String.format(Locale.ROOT, "%.3f", n.doubleValue()));
            }
            else {
                string(out, v.toString());
            }
        }
        return out.append('}').toString();
    }

    /**
     * Parses what {@link #line} wrote: numbers come back as {@code Long} when integral, else {@code Double}.
     *
     * @throws IllegalArgumentException when the text is not such an object
     */
    static Map<String, Object> parse(String json) {
        Parser p = new Parser(json);
        Map<String, Object> map = p.object();
        p.skipSpace();
        if (p.pos != json.length()) {
            throw p.error("end of input");
        }
        return map;
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A cursor over the text. Not thread-safe. */
    private static final class Parser {

        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            expect('{');
            skipSpace();
            if (peek() == '}') {
                this.pos++;
                return map;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                map.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    this.pos++;
                    continue;
                }
                expect('}');
                return map;
            }
        }

        private Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '[') {
                this.pos++;
                List<Object> list = new java.util.ArrayList<>();
                skipSpace();
                if (peek() == ']') {
                    this.pos++;
                    return list;
                }
                while (true) {
                    skipSpace();
                    list.add(value());
                    skipSpace();
                    if (peek() == ',') {
                        this.pos++;
                        continue;
                    }
                    expect(']');
                    return list;
                }
            }
            int start = this.pos;
            while (this.pos < this.s.length() && ",}] ".indexOf(this.s.charAt(this.pos)) < 0) {
                this.pos++;
            }
            String word = this.s.substring(start, this.pos);
            switch (word) {
                case "null" -> { return null; }
                case "true" -> { return Boolean.TRUE; }
                case "false" -> { return Boolean.FALSE; }
                default -> {
                    try {
                        return word.matches("-?\\d+") ? (Object) Long.valueOf(word) : (Object) Double.valueOf(word);
                    }
                    catch (NumberFormatException e) {
                        throw error("a value");
                    }
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(this.s.substring(this.pos, this.pos + 4), 16));
                        this.pos += 4;
                    }
                    default -> out.append(e);
                }
            }
        }

        void skipSpace() {
            while (this.pos < this.s.length() && Character.isWhitespace(this.s.charAt(this.pos))) {
                this.pos++;
            }
        }

        private char peek() {
            if (this.pos >= this.s.length()) {
                throw error("more input");
            }
            return this.s.charAt(this.pos);
        }

        private char next() {
            char c = peek();
            this.pos++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                this.pos--;
                throw error("'" + c + "'");
            }
        }

        IllegalArgumentException error(String expected) {
            return new IllegalArgumentException("benchmark: expected " + expected + " at " + this.pos + " in " + this.s);
        }
    }
}
