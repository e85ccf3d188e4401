package dev.hotpool.benchmarks.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks at 1, 2 and 8 threads (JMH takes one thread count per run) and writes
 * {@code <name>-jmh.json} and a Markdown table {@code <name>-jmh.md} that the load harness's page includes.
 * Options: {@code --out=DIR --name=NAME --quick}.
 */
public final class JmhRunner {

    private JmhRunner() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("benchmarks/results");
        String name = LocalDate.now().toString();
        boolean quick = false;
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            }
            else if (a.startsWith("--out=")) {
                out = Path.of(a.substring(6));
            }
            else if (a.startsWith("--name=")) {
                name = a.substring(7);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int threads : new int[] { 1, 2, 8 }) {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include(LeaseReleaseBenchmark.class.getName())
                    .include(ExecuteLoopbackBenchmark.class.getName())
                    .threads(threads)
                    .forks(1)
                    .warmupIterations(quick ? 1 : 3)
                    .warmupTime(TimeValue.seconds(1))
                    .measurementIterations(quick ? 2 : 5)
                    .measurementTime(TimeValue.seconds(1))
                    .jvmArgs("-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                    .addProfiler(GCProfiler.class);
            for (RunResult r : new Runner(options.build()).run()) {
                Map<String, Object> row = new LinkedHashMap<>();
                String benchmark = r.getParams().getBenchmark();
                row.put("benchmark", benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
                row.put("threads", threads);
                String param = r.getParams().getParam("connsPerHost");
                row.put("connsPerHost", param);
                row.put("body", r.getParams().getParam("body"));
                Result<?> primary = r.getPrimaryResult();
                row.put("opsPerSecond", primary.getScore());
                row.put("error", primary.getScoreError());
                Result<?> alloc = r.getSecondaryResults().get("·gc.alloc.rate.norm");
                if (alloc == null) {
                    alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
                }
                row.put("bytesPerOp", alloc == null ? Double.NaN : alloc.getScore());
                rows.add(row);
            }
        }
        rows.sort(java.util.Comparator.<Map<String, Object>, String>comparing(r -> (String) r.get("benchmark"))
                .thenComparing(r -> r.get("body") == null ? "" : (String) r.get("body"))
                .thenComparing(r -> r.get("connsPerHost") == null ? 0 : -Integer.parseInt((String) r.get("connsPerHost")))
                .thenComparing(r -> (Integer) r.get("threads")));
        Files.createDirectories(out);
        StringBuilder json = new StringBuilder("[\n");
        StringBuilder md = new StringBuilder();
        md.append("## JMH: the pool's lock (lease + release) and a whole exchange on loopback\n\n");
        md.append("`LeaseReleaseBenchmark`: `Engine.lease(origin)` + `lease.release()` on the real engine, no "
                + "I/O (connections to an in-JVM acceptor, made once). `connsPerHost=2` at 8 threads makes leases wait "
                + "and releases hand over. `ExecuteLoopbackBenchmark`: not lease + release alone but "
                + "`HotPool.execute(GET)` + a 1 KiB or 1 MiB body read (in 8 KiB blocks, or as RestClient reads "
                + "`body(byte[].class)`: mark/read/reset, then `readNBytes(Content-Length)`), plain HTTP to an in-JVM "
                + "loopback server (its work included). Throughput of all threads together; 1 fork, "
                + (quick ? "1 × 1 s warm-up, 2 × 1 s" : "3 × 1 s warm-up, 5 × 1 s") + " measurement.\n\n");
        md.append("| benchmark | connsPerHost | body | threads | ops/s | ± (99.9%) | B/op |\n|---|--:|--:|--:|--:|--:|--:|\n");
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> r = rows.get(i);
            json.append(String.format(Locale.ROOT, "  {\"benchmark\": \"%s\", \"threads\": %d, \"connsPerHost\": %s, "
                    + "\"body\": %s, \"opsPerSecond\": %.1f, \"error\": %.1f, \"bytesPerOp\": %.1f}%s\n", r.get("benchmark"),
                    r.get("threads"), r.get("connsPerHost") == null ? "null" : r.get("connsPerHost"),
                    r.get("body") == null ? "null" : "\"" + r.get("body") + "\"",
                    r.get("opsPerSecond"), r.get("error"), r.get("bytesPerOp"), i + 1 < rows.size() ? "," : ""));
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %,.0f | %,.0f | %.0f |\n", r.get("benchmark"),
                    r.get("connsPerHost") == null ? "–" : r.get("connsPerHost"),
                    r.get("body") == null ? "–" : r.get("body"), r.get("threads"),
                    r.get("opsPerSecond"), r.get("error"), r.get("bytesPerOp")));
        }
        json.append("]\n");
        Files.writeString(out.resolve(name + "-jmh.json"), json);
        Files.writeString(out.resolve(name + "-jmh.md"), md);
        System.out.println(md);
    }
}
