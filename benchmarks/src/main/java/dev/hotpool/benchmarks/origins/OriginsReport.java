package dev.hotpool.benchmarks.origins;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.hotpool.benchmarks.load.Json;

/**
 * The many-origins results: a JSON file with every measurement as its child printed it, and a Markdown page with
 * the summary table per N, the issue's targets as measured (met or not), and every measurement.
 *
 * <p>Summary per (client, N) over its rounds: req/s = all requests ÷ all timed seconds; heap figures from the round
 * that retained the most; routes held = the most any round held; connections opened = the mean per round;
 * failures = the sum. MB here is MiB (1,048,576 bytes).
 *
 * <p>Not thread-safe; built once at the end of a run.
 */
final class OriginsReport {

    static final double MIB = 1024 * 1024;

    /** The targets' numbers, from the issue. */
    static final double RETAINED_LIMIT_BYTES = MIB;
    static final int SCALE_FROM = 1_000;
    static final int SCALE_TO = 100_000;
    static final double SCALE_FACTOR = 2;

    private final ManyOrigins.Options options;
    private final List<Map<String, Object>> runs;
    private final LocalDateTime started;
    private final String loadBefore;
    private final String loadAfter;
    private final Map<String, Object> machine;

    OriginsReport(ManyOrigins.Options options, List<Map<String, Object>> runs, LocalDateTime started, String loadBefore,
            String loadAfter, Map<String, Object> machine) {
        this.options = options;
        this.runs = runs;
        this.started = started;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.machine = machine;
    }

    /** One client at one N, its rounds added up. */
    static final class Summary {
        final ClientKind client;
        final int origins;
        final List<Map<String, Object>> ok = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        Summary(ClientKind client, int origins) {
            this.client = client;
            this.origins = origins;
        }

        boolean measured() {
            return !this.ok.isEmpty();
        }

        double reqPerSec() {
            double seconds = sum("seconds");
            return seconds == 0 ? Double.NaN : sum("requests") / seconds;
        }

        /** The round that retained the most heap. */
        Map<String, Object> worstHeap() {
            return this.ok.stream().max(Comparator.comparingDouble(r -> num(r, "retainedBytes"))).orElseThrow();
        }

        long max(String key) {
            return (long) this.ok.stream().mapToDouble(r -> num(r, key)).max().orElse(Double.NaN);
        }

        double sum(String key) {
            return this.ok.stream().mapToDouble(r -> num(r, key)).sum();
        }

        double meanOpened() {
            return sum("connectionsOpened") / this.ok.size();
        }

        double openedPerRequest() {
            double sent = sum("requests") + sum("failures");
            return sent == 0 ? Double.NaN : sum("connectionsOpened") / sent;
        }

        boolean allFullPasses() {
            return this.ok.stream().allMatch(r -> Boolean.TRUE.equals(r.get("fullPass")));
        }
    }

    private Optional<Summary> summary(ClientKind client, int n) {
        Summary s = new Summary(client, n);
        for (Map<String, Object> r : this.runs) {
            if (client.id().equals(r.get("client")) && num(r, "origins") == n) {
                if (r.containsKey("error")) {
                    s.errors.add("round " + r.get("round") + ": " + r.get("error"));
                }
                else {
                    s.ok.add(r);
                }
            }
        }
        return s.ok.isEmpty() && s.errors.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("benchmark", "many-origins");
        root.put("command", this.options.command);
        root.put("started", this.started.toString());
        root.put("loadAverageAtStart", this.loadBefore);
        root.put("loadAverageAtEnd", this.loadAfter);
        root.put("machine", this.machine);
        root.put("settings", settings());
        List<Object> summaries = new ArrayList<>();
        for (int n : this.options.origins) {
            for (ClientKind client : this.options.clients) {
                summary(client, n).filter(Summary::measured).ifPresent(s -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    Map<String, Object> worst = s.worstHeap();
                    m.put("client", client.id());
                    m.put("origins", n);
                    m.put("reqPerSec", s.reqPerSec());
                    m.put("heapBeforeBytes", worst.get("heapBeforeBytes"));
                    m.put("heapAfterBytes", worst.get("heapAfterBytes"));
                    m.put("retainedBytes", worst.get("retainedBytes"));
                    m.put("routesAfter", s.max("routesAfter"));
                    m.put("routesWithoutConnectionAfter", s.max("routesWithoutConnectionAfter"));
                    m.put("connectionsOpenedPerRound", s.meanOpened());
                    m.put("failures", (long) s.sum("failures"));
                    m.put("fullPasses", s.allFullPasses());
                    m.put("errors", s.errors);
                    summaries.add(m);
                });
            }
        }
        root.put("summary", summaries);
        root.put("targets", targets().stream().map(t -> Map.of("target", t.target, "measured", t.measured,
                "met", t.met)).toList());
        root.put("runs", this.runs);
        return Json.write(root);
    }

    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("scheme", this.options.scheme);
        s.put("origins", this.options.origins);
        s.put("clients", this.options.clients.stream().map(ClientKind::id).toList());
        s.put("rounds", this.options.rounds);
        s.put("threads", this.options.threads);
        s.put("minSeconds", this.options.minSeconds);
        s.put("maxSeconds", this.options.maxSeconds);
        s.put("warmupSeconds", this.options.warmupSeconds);
        s.put("histogram", this.options.histogram);
        s.put("maxConnections", Limits.ISSUE.maxTotal());
        s.put("maxConnsPerHost", Limits.ISSUE.maxPerRoute());
        s.put("idleTimeoutMillis", Limits.ISSUE.idleTimeout().toMillis());
        return s;
    }

    // ---- the targets -------------------------------------------------------------------------------------------

    /** One of the issue's targets as measured. */
    record Target(String target, String measured, String met) {
    }

    List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        ClientKind hot = ClientKind.HOTPOOL;

        List<String> ratios = new ArrayList<>();
        boolean allAhead = true;
        boolean anyRatio = false;
        for (int n : this.options.origins) {
            Optional<Summary> h = summary(hot, n).filter(Summary::measured);
            Optional<Summary> p = summary(ClientKind.HC5, n).filter(Summary::measured);
            if (h.isPresent() && p.isPresent()) {
                double r = h.get().reqPerSec() / p.get().reqPerSec();
                ratios.add(String.format(Locale.ROOT, "N=%,d: %.2f×", n, r));
                allAhead &= r >= 1;
                anyRatio = true;
            }
            else {
                ratios.add(String.format(Locale.ROOT, "N=%,d: not measured", n));
                allAhead = false;
            }
        }
        targets.add(new Target("hotpool ≥ HttpClient 5 (req/s) at every N", String.join("; ", ratios),
                anyRatio ? met(allAhead) : "not measured"));

        Optional<Summary> from = summary(hot, SCALE_FROM).filter(Summary::measured);
        Optional<Summary> to = summary(hot, SCALE_TO).filter(Summary::measured);
        if (from.isPresent() && to.isPresent()) {
            double a = from.get().reqPerSec();
            double b = to.get().reqPerSec();
            targets.add(new Target(String.format(Locale.ROOT, "hotpool at %,d origins within %.0f× of its throughput "
                    + "at %,d", SCALE_TO, SCALE_FACTOR, SCALE_FROM), String.format(Locale.ROOT,
                    "%,.0f req/s at %,d vs %,.0f at %,d: %.2f× slower", b, SCALE_TO, a, SCALE_FROM, a / b),
                    met(b * SCALE_FACTOR >= a)));
        }
        else {
            targets.add(new Target(String.format(Locale.ROOT, "hotpool at %,d origins within %.0f× of its "
                    + "throughput at %,d", SCALE_TO, SCALE_FACTOR, SCALE_FROM), "N=1,000 and N=100,000 not both run",
                    "not measured"));
        }

        List<String> empty = new ArrayList<>();
        List<String> retained = new ArrayList<>();
        boolean noEmpty = true;
        boolean small = true;
        boolean any = false;
        for (int n : this.options.origins) {
            Optional<Summary> h = summary(hot, n).filter(Summary::measured);
            if (h.isEmpty()) {
                continue;
            }
            any = true;
            long e = h.get().max("routesWithoutConnectionAfter");
            empty.add(String.format(Locale.ROOT, "N=%,d: %,d", n, e));
            noEmpty &= e == 0;
            double r = num(h.get().worstHeap(), "retainedBytes");
            retained.add(String.format(Locale.ROOT, "N=%,d: %+.2f MB", n, r / MIB));
            small &= Math.abs(r) <= RETAINED_LIMIT_BYTES;
        }
        targets.add(new Target("after the idle sweep hotpool holds no route without a connection",
                "routes without a connection: " + String.join("; ", empty), any ? met(noEmpty) : "not measured"));
        targets.add(new Target("hotpool's heap retained after the sweep within 1 MB of the heap before the run",
                "retained (worst round): " + String.join("; ", retained), any ? met(small) : "not measured"));
        return targets;
    }

    private static String met(boolean met) {
        return met ? "met" : "not met";
    }

    // ---- the page ----------------------------------------------------------------------------------------------

    String markdown() {
        StringBuilder md = new StringBuilder();
        String tls = this.options.scheme.equals("https") ? " (HTTPS)" : " (plain HTTP)";
        md.append("## Many origins").append(tls).append(", ").append(this.started.toLocalDate()).append("\n\n");
        md.append("`").append(this.options.command).append("`, started ").append(this.started.withNano(0))
                .append("; load average at the script's start ").append(this.machine.get("loadAtScriptStart"))
                .append(", when the measurements started ").append(this.loadBefore).append(", at the end ")
                .append(this.loadAfter).append(". ").append(this.machine.get("cpus")).append(" CPUs (")
                .append(this.machine.get("cpuModel")).append("), ").append(this.machine.get("java")).append(", ")
                .append(this.machine.get("nginx")).append(". Each measurement in its own JVM: `")
                .append(this.machine.get("childJvmArgs")).append("`.\n\n");
        md.append(String.format(Locale.ROOT, "%d threads; request k goes to `o<k mod N>.many.test` (all resolve to "
                + "127.0.0.1 through each client's resolver hook), `GET %s://o<i>.many.test:<port>/1k` (1,024-byte "
                + "body, read to its end); limits for both clients: %d connections, %d per route, idle timeout %d s "
                + "(hotpool `max-idle-conns` %d, so only the global limit evicts). Timed run: at least %.0f s and at "
                + "least one full pass over the N names (capped at %.0f s); %d round(s), N ascending and hotpool "
                + "first in even rounds, the reverse in odd ones.%n%n", this.options.threads, this.options.scheme,
                Limits.ISSUE.maxTotal(), Limits.ISSUE.maxPerRoute(), Limits.ISSUE.idleTimeout().toSeconds(),
                Limits.ISSUE.maxTotal(), this.options.minSeconds, this.options.maxSeconds, this.options.rounds));
        md.append("**Heap before**: heap used after a forced GC (`System.gc()` until two readings agree within 16 KB)"
                + " with the measured client built, swept once and asked for its stats, before its first request; "
                + "the JIT was warmed beforehand on a twin client over other names (`w<i>.many.test`), closed "
                + "before this reading. **Heap after**: the same reading after the timed run, a wait past the idle "
                + "timeout and the idle sweep (hotpool `runHealthCheck()`; HttpClient 5 `closeIdle(2 s)` + "
                + "`closeExpired()`), the client still open. **Retained** = after − before. **Routes held**: "
                + "entries the pool keeps after the sweep (hotpool `stats().hosts()`, in brackets those with no "
                + "connection; HttpClient 5 `getRoutes()`). MB = MiB. Per (client, N): req/s over all rounds; heap "
                + "figures of the round that retained the most; routes, the most any round held; connections opened, "
                + "the mean per round (and per request sent).\n\n");

        md.append("| N | hotpool req/s | HC5 req/s | ratio | hotpool heap before / after / retained MB "
                + "| HC5 heap retained MB | routes held after sweep (hotpool / HC5) | connections opened (hotpool / HC5)"
                + " | failures (hotpool / HC5) |\n");
        md.append("|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (int n : this.options.origins) {
            Optional<Summary> h = summary(ClientKind.HOTPOOL, n).filter(Summary::measured);
            Optional<Summary> p = summary(ClientKind.HC5, n).filter(Summary::measured);
            md.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s / %s |%n", n,
                    h.map(s -> fmt("%,.0f", s.reqPerSec())).orElse("–"),
                    p.map(s -> fmt("%,.0f", s.reqPerSec())).orElse("–"),
                    h.isPresent() && p.isPresent() ? fmt("%.2f×", h.get().reqPerSec() / p.get().reqPerSec()) : "–",
                    h.map(s -> fmt("%.1f / %.1f / %+.2f", num(s.worstHeap(), "heapBeforeBytes") / MIB,
                            num(s.worstHeap(), "heapAfterBytes") / MIB, num(s.worstHeap(), "retainedBytes") / MIB))
                            .orElse("–"),
                    p.map(s -> fmt("%+.2f", num(s.worstHeap(), "retainedBytes") / MIB)).orElse("–"),
                    h.map(s -> fmt("%,d (%,d)", s.max("routesAfter"), s.max("routesWithoutConnectionAfter")))
                            .orElse("–"),
                    p.map(s -> fmt("%,d", s.max("routesAfter"))).orElse("–"),
                    h.map(OriginsReport::opened).orElse("–"), p.map(OriginsReport::opened).orElse("–"),
                    h.map(s -> fmt("%,.0f", s.sum("failures"))).orElse("–"),
                    p.map(s -> fmt("%,.0f", s.sum("failures"))).orElse("–")));
        }
        md.append('\n');

        md.append("Targets, as measured in this run:\n\n");
        for (Target t : targets()) {
            md.append("- ").append(t.target).append(": ").append(t.measured).append(" — **").append(t.met)
                    .append("**\n");
        }
        md.append('\n');
        List<String> notes = notes();
        if (!notes.isEmpty()) {
            md.append("Notes:\n\n");
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
            md.append('\n');
        }

        md.append("Every measurement (in run order):\n\n");
        md.append("| client | N | round | requests | s | req/s | full pass | heap before / end of run / after MB "
                + "| retained MB | noise KB | routes end of run | routes after sweep (without a connection) "
                + "| connections after sweep | opened | failures |\n");
        md.append("|---|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Map<String, Object> r : this.runs) {
            if (r.containsKey("error")) {
                md.append(String.format(Locale.ROOT, "| %s | %,d | %s | failed: %s |||||||||||||%n", r.get("client"),
                        (long) num(r, "origins"), r.get("round"), r.get("error")));
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %,d | %d | %,d | %.1f | %,.0f | %s | %.1f / %.1f / %.1f "
                    + "| %+.2f | %.0f | %,d | %,d (%,d) | %,d | %,d | %,d |%n", r.get("client"),
                    (long) num(r, "origins"), (long) num(r, "round"), (long) num(r, "requests"), num(r, "seconds"),
                    num(r, "reqPerSec"), Boolean.TRUE.equals(r.get("fullPass")) ? "yes" : "**no**",
                    num(r, "heapBeforeBytes") / MIB, num(r, "heapEndOfRunBytes") / MIB, num(r, "heapAfterBytes") / MIB,
                    num(r, "retainedBytes") / MIB, num(r, "heapNoiseBytes") / 1024, (long) num(r, "routesEndOfRun"),
                    (long) num(r, "routesAfter"), (long) num(r, "routesWithoutConnectionAfter"),
                    (long) num(r, "connectionsAfter"), (long) num(r, "connectionsOpened"), (long) num(r, "failures")));
        }
        md.append('\n');

        List<Map<String, Object>> histograms = this.runs.stream().filter(r -> r.get("retainedByClass") instanceof List)
                .toList();
        if (!histograms.isEmpty()) {
            md.append("Classes whose live bytes grew most from before to after (`--histogram=true`):\n\n");
            for (Map<String, Object> r : histograms) {
                md.append(String.format(Locale.ROOT, "- %s N=%,d round %s: %s%n", r.get("client"),
                        (long) num(r, "origins"), r.get("round"), String.join("; ",
                                ((List<?>) r.get("retainedByClass")).stream().map(String::valueOf).toList())));
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** Failures, runs cut short, children that gave no result. */
    private List<String> notes() {
        List<String> notes = new ArrayList<>();
        for (Map<String, Object> r : this.runs) {
            String who = String.format(Locale.ROOT, "%s N=%,d round %s", r.get("client"), (long) num(r, "origins"),
                    r.get("round"));
            if (r.containsKey("error")) {
                notes.add(who + ": no result: " + r.get("error"));
                continue;
            }
            if (num(r, "failures") > 0) {
                notes.add(String.format(Locale.ROOT, "%s: %,d failed requests, e.g. %s", who,
                        (long) num(r, "failures"), r.get("failureSamples")));
            }
            if (!Boolean.TRUE.equals(r.get("fullPass"))) {
                notes.add(who + ": stopped at max-seconds before one full pass over the names");
            }
            if (num(r, "warmupFailures") > 0) {
                notes.add(String.format(Locale.ROOT, "%s: %,d failed warm-up requests", who,
                        (long) num(r, "warmupFailures")));
            }
        }
        if (notes.isEmpty()) {
            notes.add("no request failed, and every timed run made at least one full pass over its names");
        }
        return notes;
    }

    private static String opened(Summary s) {
        return fmt("%,.0f (%.2f/req)", s.meanOpened(), s.openedPerRequest());
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static double num(Map<String, Object> map, String key) {
        Object v = map.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
