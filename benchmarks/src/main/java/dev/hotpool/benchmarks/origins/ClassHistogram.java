package dev.hotpool.benchmarks.origins;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * What the retained bytes are: the JVM's class histogram ({@code GC.class_histogram}, live objects after a full
 * collection) before and after, and the classes that grew most. Opt-in ({@code --histogram}): the "before"
 * histogram is kept as text in a temporary file, not on the heap, so it cannot inflate the "after" reading; both
 * are taken after their heap readings, and one is taken and dropped before the baseline, so the MBean server the
 * first one starts is in both readings.
 *
 * <p>Thread-safe: stateless.
 */
final class ClassHistogram {

    /** {@code   12:       3456       78901  some.Class (module)}. */
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    private ClassHistogram() {
    }

    /** The histogram as the JVM prints it. */
    static String take() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] { new String[0] }, new String[] { String[].class.getName() });
        }
        catch (JMException e) {
            throw new IllegalStateException("benchmark: cannot take a class histogram: " + e, e);
        }
    }

    static Path save(String histogram) throws IOException {
        Path file = Files.createTempFile("many-origins-histogram-", ".txt");
        Files.writeString(file, histogram);
        return file;
    }

    /** The {@code top} classes whose live bytes grew most from {@code before} to {@code after}, one line each. */
    static List<String> growth(Path before, String after, int top) throws IOException {
        Map<String, long[]> was = parse(Files.readString(before));
        Map<String, long[]> now = parse(after);
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        now.forEach((cls, n) -> {
            long[] b = was.getOrDefault(cls, new long[2]);
            grown.add(Map.entry(cls, new long[] { n[0] - b[0], n[1] - b[1] }));
        });
        grown.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, long[]> e : grown.subList(0, Math.min(top, grown.size()))) {
            if (e.getValue()[1] > 0) {
                lines.add(String.format(Locale.ROOT, "%+,d B %+,d × %s", e.getValue()[1], e.getValue()[0], e.getKey()));
            }
        }
        return lines;
    }

    /** Class name → {instances, bytes}. */
    private static Map<String, long[]> parse(String histogram) {
        Map<String, long[]> rows = new HashMap<>();
        for (String line : histogram.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                rows.put(m.group(3), new long[] { Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) });
            }
        }
        return rows;
    }
}
