package dev.hotpool.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the results record of the machine a run ran on, read from {@code /proc} and the JVM. */
public final class Machine {

    private Machine() {
    }

    /** CPUs, CPU model, memory, OS and Java, in a map the results add their own keys to. */
    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", firstMatch(Path.of("/proc/cpuinfo"), "model name"));
        m.put("memTotal", firstMatch(Path.of("/proc/meminfo"), "MemTotal"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return m;
    }

    /** The value of the first {@code key: value} line of the file, or {@code unknown}. */
    public static String firstMatch(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (IOException e) {
            // Not Linux: leave it out.
        }
        return "unknown";
    }

    /** The file's content on one line, or {@code unknown}. */
    public static String firstLine(Path file) {
        try {
            return Files.readString(file).trim().replaceAll("\\s+", " ");
        }
        catch (IOException e) {
            return "unknown";
        }
    }
}
