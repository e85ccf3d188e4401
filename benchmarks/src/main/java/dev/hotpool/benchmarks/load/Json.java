package dev.hotpool.benchmarks.load;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes maps, lists, strings, numbers and booleans as indented JSON; enough for the results file without
 * pulling a JSON library into the benchmark. Public for the many-origins benchmark's results file.
 *
 * <p>Thread-safe: {@link #write} builds a new writer per call.
 */
public final class Json {

    private final StringBuilder out = new StringBuilder();

    private Json() {
    }

    public static String write(Object value) {
        Json json = new Json();
        json.value(value, 0);
        return json.out.append('\n').toString();
    }

    private void value(Object v, int indent) {
        if (v == null) {
            this.out.append("null");
        }
        else if (v instanceof Map<?, ?> map) {
            object(map, indent);
        }
        else if (v instanceof List<?> list) {
            array(list, indent);
        }
        else if (v instanceof Boolean) {
            this.out.append(v);
        }
        else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            this.out.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d).replaceAll("\\.?0+$", "")
                    : "null");
        }
        else if (v instanceof Number) {
            this.out.append(v);
        }
        else {
            string(v.toString());
        }
    }

    private void object(Map<?, ?> map, int indent) {
        if (map.isEmpty()) {
            this.out.append("{}");
            return;
        }
        this.out.append("{\n");
        Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            pad(indent + 1);
            string(e.getKey().toString());
            this.out.append(": ");
            value(e.getValue(), indent + 1);
            this.out.append(it.hasNext() ? ",\n" : "\n");
        }
        pad(indent);
        this.out.append('}');
    }

    private void array(List<?> list, int indent) {
        if (list.isEmpty()) {
            this.out.append("[]");
            return;
        }
        boolean scalars = list.stream().noneMatch(x -> x instanceof Map || x instanceof List);
        if (scalars) {
            this.out.append('[');
            for (int i = 0; i < list.size(); i++) {
                value(list.get(i), indent);
                if (i + 1 < list.size()) {
                    this.out.append(", ");
                }
            }
            this.out.append(']');
            return;
        }
        this.out.append("[\n");
        for (int i = 0; i < list.size(); i++) {
            pad(indent + 1);
            value(list.get(i), indent + 1);
            this.out.append(i + 1 < list.size() ? ",\n" : "\n");
        }
        pad(indent);
        this.out.append(']');
    }

    private void string(String s) {
        this.out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> this.out.append("\\\"");
                case '\\' -> this.out.append("\\\\");
                case '\n' -> this.out.append("\\n");
                case '\r' -> this.out.append("\\r");
                case '\t' -> this.out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        this.out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        this.out.append(c);
                    }
                }
            }
        }
        this.out.append('"');
    }

    private void pad(int indent) {
        this.out.append("  ".repeat(indent));
    }
}
