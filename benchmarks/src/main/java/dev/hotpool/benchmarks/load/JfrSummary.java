package dev.hotpool.benchmarks.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the load threads spent their CPU in a JFR recording: the same samples as
 * {@code jfr print --events jdk.ExecutionSample}, counted. Prints the top frames (self time), the methods most often
 * on the stack (inclusive time) and the share of each layer (hotpool's http and pool code, TLS, RestClient, …).
 * Usage: {@code JfrSummary recording.jfr [thread-name-prefix]}.
 */
public final class JfrSummary {

    /** Layers by package prefix, first match wins; a sample counts once per layer on its stack. */
    private static final Map<String, String> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("dev.hotpool.benchmarks", "harness");
        LAYERS.put("dev.hotpool.spring", "hotpool: Spring factory");
        // Since the restructuring the engine lives under dev.hotpool.internal; the old names stay for older builds.
        LAYERS.put("dev.hotpool.internal.http2", "hotpool: http2 (connection, frames, HPACK)"); // before its prefix
        LAYERS.put("dev.hotpool.internal.http", "hotpool: http (exchange, codec use)");
        LAYERS.put("dev.hotpool.http", "hotpool: http (exchange, codec use)");
        LAYERS.put("dev.hotpool.internal.pool", "hotpool: pool (lease/release)");
        LAYERS.put("dev.hotpool.pool", "hotpool: pool (lease/release)");
        LAYERS.put("dev.hotpool.internal.tls", "hotpool: tls");
        LAYERS.put("dev.hotpool.tls", "hotpool: tls");
        LAYERS.put("dev.hotpool.internal.metrics", "hotpool: metrics/listeners");
        LAYERS.put("dev.hotpool.metrics", "hotpool: metrics/listeners");
        LAYERS.put("dev.hotpool", "hotpool: api");
        LAYERS.put("org.apache.hc.core5", "httpcore5 codec");
        LAYERS.put("org.bouncycastle", "BouncyCastle TLS");
        LAYERS.put("sun.security.ssl", "SunJSSE");
        LAYERS.put("com.sun.crypto", "JDK crypto (AES-GCM)");
        LAYERS.put("org.springframework", "Spring RestClient");
        LAYERS.put("java.net", "java.net sockets");
        LAYERS.put("sun.nio.ch", "NIO socket I/O");
    }

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        String prefix = args.length > 1 ? args[1] : "";
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> layers = new HashMap<>();
        Map<String, Long> allocationSites = new HashMap<>();
        Map<String, Long> allocationLayers = new HashMap<>();
        Map<String, long[]> parks = new HashMap<>();
        long allocated = 0;
        int total = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.ObjectAllocationSample") && e.getStackTrace() != null
                        && e.getThread("eventThread") != null
                        && String.valueOf(e.getThread("eventThread").getJavaName()).startsWith(prefix)) {
                    long weight = e.getLong("weight");
                    allocated += weight;
                    String site = allocationSite(e.getStackTrace().getFrames());
                    allocationSites.merge(e.getClass("objectClass").getName() + "  <-  " + site, weight, Long::sum);
                    allocationLayers.merge(layer(site), weight, Long::sum);
                    continue;
                }
                if (type.equals("jdk.ThreadPark") && e.getStackTrace() != null && e.getThread() != null
                        && String.valueOf(e.getThread().getJavaName()).startsWith(prefix)) {
                    long[] p = parks.computeIfAbsent(parkSite(e.getStackTrace().getFrames()), k -> new long[2]);
                    p[0]++;
                    p[1] += e.getDuration().toNanos();
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                    continue;
                }
                String thread = e.getThread("sampledThread") == null ? "" : e.getThread("sampledThread").getJavaName();
                if (thread == null || !thread.startsWith(prefix)) {
                    continue;
                }
                total++;
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                Set<String> seenLayers = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f.getMethod());
                    if (seen.add(n)) {
                        inclusive.merge(n, 1, Integer::sum);
                    }
                    String owner = f.getMethod().getType().getName();
                    for (Map.Entry<String, String> layer : LAYERS.entrySet()) {
                        if (owner.startsWith(layer.getKey())) {
                            if (seenLayers.add(layer.getValue())) {
                                layers.merge(layer.getValue(), 1, Integer::sum);
                            }
                            break;
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n%d execution samples on threads '%s*' in %s%n", total, prefix, file);
        print("Top frames (self)", self, total, 25);
        print("On the stack (inclusive)", inclusive, total, 40);
        print("By layer (inclusive; a sample counts once per layer)", layers, total, 20);
        if (!parks.isEmpty()) {
            // The 'profile' settings record a park of 10 ms or more: where the threads waited long, not every wait.
            System.out.printf(Locale.ROOT, "%nWaits (jdk.ThreadPark events, 10 ms or more under the 'profile' settings), "
                    + "by the first hotpool frame%n");
            parks.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(10)
                    .forEach(x -> System.out.printf(Locale.ROOT, "  %,8d parks  %,10.0f ms  %s%n", x.getValue()[0],
                            x.getValue()[1] / 1e6, x.getKey()));
        }
        if (allocated > 0) {
            System.out.printf(Locale.ROOT, "%nAllocation (jdk.ObjectAllocationSample, weighted), %,d MB sampled%n",
                    allocated >> 20);
            printWeights("Top allocation sites (class <- first frame outside java.*/jdk.*/sun.*)", allocationSites,
                    allocated, 30);
            printWeights("Allocation by layer of that frame", allocationLayers, allocated, 20);
        }
    }

    /** The first hotpool frame from the top (the benchmark's own if none), with its line: what waited. */
    private static String parkSite(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String owner = f.getMethod().getType().getName();
            if (owner.startsWith("dev.hotpool")) {
                return name(f.getMethod()) + ":" + f.getLineNumber();
            }
        }
        return frames.isEmpty() ? "?" : name(frames.get(0).getMethod()) + " (no hotpool frame)";
    }

    /** The first frame, from the top, that is not the JDK's own: who asked for the memory. */
    private static String allocationSite(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String owner = f.getMethod().getType().getName();
            if (!(owner.startsWith("java.") || owner.startsWith("jdk.") || owner.startsWith("sun."))) {
                return name(f.getMethod()) + ":" + f.getLineNumber();
            }
        }
        return frames.isEmpty() ? "?" : name(frames.get(0).getMethod());
    }

    private static String layer(String site) {
        for (Map.Entry<String, String> layer : LAYERS.entrySet()) {
            if (site.startsWith(layer.getKey())) {
                return layer.getValue();
            }
        }
        return site.substring(0, Math.max(0, site.lastIndexOf('.', Math.max(0, site.indexOf(':')))));
    }

    private static void printWeights(String title, Map<String, Long> weights, long total, int n) {
        System.out.printf(Locale.ROOT, "%n%s%n", title);
        weights.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / total,
                        e.getKey()));
    }

    private static void print(String title, Map<String, Integer> counts, int total, int n) {
        System.out.printf(Locale.ROOT, "%n%s%n", title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f%%  %6d  %s%n", 100.0 * e.getValue() / total,
                        e.getValue(), e.getKey()));
    }

    private static String name(RecordedMethod m) {
        return m.getType().getName() + "." + m.getName();
    }
}
