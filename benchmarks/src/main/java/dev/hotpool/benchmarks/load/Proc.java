package dev.hotpool.benchmarks.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Linux {@code /proc} readings the JVM does not offer: kernel-mode CPU, context switches per thread, and the CPU of
 * another process (nginx's worker). Every method answers "unknown" (-1, empty) rather than fail off Linux.
 *
 * <p>Thread-safe: stateless.
 */
final class Proc {

    /** USER_HZ: the unit of utime and stime in /proc/N/stat on every Linux this runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private Proc() {
    }

    /** The JVM's system (kernel) CPU time so far, or -1. */
    static long selfSysNanos() {
        long[] t = ticks(Path.of("/proc/self/stat"));
        return t == null ? -1 : t[1] * NANOS_PER_TICK;
    }

    /** User + system CPU of these processes so far, or -1 when there are none or one cannot be read. */
    static long cpuNanos(List<Integer> pids) {
        if (pids.isEmpty()) {
            return -1;
        }
        long sum = 0;
        for (int pid : pids) {
            long[] t = ticks(Path.of("/proc/" + pid + "/stat"));
            if (t == null) {
                return -1;
            }
            sum += (t[0] + t[1]) * NANOS_PER_TICK;
        }
        return sum;
    }

    /** Context switches (voluntary + involuntary) of each of the JVM's threads so far, by thread id. */
    static Map<String, Long> contextSwitchesByThread() {
        Map<String, Long> switches = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    long n = 0;
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches") || line.startsWith("nonvoluntary_ctxt_switches")) {
                            n += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                    switches.put(task.getFileName().toString(), n);
                }
                catch (IOException | RuntimeException e) {
                    // The thread ended while we looked.
                }
            }
        }
        catch (IOException | RuntimeException e) {
            // Not Linux.
        }
        return switches;
    }

    /** The child processes of a process. */
    static List<Integer> children(int pid) {
        List<Integer> children = new ArrayList<>();
        try {
            for (String s : Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).trim().split("\\s+")) {
                if (!s.isEmpty()) {
                    children.add(Integer.valueOf(s));
                }
            }
        }
        catch (IOException | RuntimeException e) {
            // Gone, or not Linux.
        }
        return children;
    }

    /** utime and stime in ticks from a /proc/N/stat file, or null. */
    private static long[] ticks(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
            return new long[] { Long.parseLong(f[11]), Long.parseLong(f[12]) };
        }
        catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
