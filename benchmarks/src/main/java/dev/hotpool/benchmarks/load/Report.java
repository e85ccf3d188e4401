package dev.hotpool.benchmarks.load;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Turns the measured turns into the results: a JSON file with every figure, a Markdown page with the tables and
 * the issue-8 targets (met or not), and a PNG chart (throughput per client and thread count; latency percentiles).
 *
 * <p>Not thread-safe; built once at the end of a run.
 */
final class Report {

    /** First-request latency of one client, over several fresh instances. */
    static final class First {
        final String client;
        final ClientSpec.Warmup warmup;
        final List<Long> firstNanos = new ArrayList<>();
        /** One request on the hot connection after {@link LoadHarness#IDLE_MILLIS} of idling, per instance. */
        final List<Long> afterIdleNanos = new ArrayList<>();
        final Histogram hot = new Histogram(1_000L, 60_000_000_000L, 3);

        First(String client, ClientSpec.Warmup warmup) {
            this.client = client;
            this.warmup = warmup;
        }

        double firstMedianMillis() {
            return median(this.firstNanos) / 1e6;
        }

        double afterIdleMedianMicros() {
            return median(this.afterIdleNanos) / 1e3;
        }

        private static double median(List<Long> values) {
            List<Long> sorted = values.stream().sorted().toList();
            int n = sorted.size();
            return n == 0 ? Double.NaN : (n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0);
        }

        double hotMedianMicros() {
            return this.hot.getValueAtPercentile(50) / 1e3;
        }

        double ratio() {
            return firstMedianMillis() * 1e3 / hotMedianMicros();
        }
    }

    /** One client at one thread count on one path: its turns added up. */
    static final class Row {
        final ClientSpec spec;
        final int threads;
        final String path;
        /** {@code null} for the {@code GET /204} pass. */
        Shape shape;
        long requests;
        long nanos;
        final Histogram latency = new Histogram(1_000L, 60_000_000_000L, 3);
        long allocatedAll;
        long allocatedCallers;
        long cpuNanos;
        long sysCpuNanos;
        long contextSwitches;
        long nginxCpuNanos;
        long gcCount;
        long gcMillis;
        long errors;
        String firstError;
        final List<Double> perRound = new ArrayList<>();
        final List<String> tags = new ArrayList<>();
        NginxLog.Counts nginx;

        Row(ClientSpec spec, int threads, String path) {
            this.spec = spec;
            this.threads = threads;
            this.path = path;
        }

        double rps() {
            return this.requests / (this.nanos / 1e9);
        }

        double micros(double percentile) {
            return this.latency.getValueAtPercentile(percentile) / 1e3;
        }

        double bytesPerRequest() {
            return this.requests == 0 ? Double.NaN : (double) this.allocatedAll / this.requests;
        }

        double callerBytesPerRequest() {
            return this.requests == 0 ? Double.NaN : (double) this.allocatedCallers / this.requests;
        }

        double cpuMicrosPerRequest() {
            return this.requests == 0 ? Double.NaN : this.cpuNanos / 1e3 / this.requests;
        }

        double contextSwitchesPerRequest() {
            return this.requests == 0 ? Double.NaN : (double) this.contextSwitches / this.requests;
        }

        double nginxCpuMicrosPerRequest() {
            return this.requests == 0 || this.nginxCpuNanos < 0 ? Double.NaN : this.nginxCpuNanos / 1e3 / this.requests;
        }

        double handshakesPer10k() {
            return this.nginx.requests == 0 ? Double.NaN : this.nginx.newConnections * 10_000.0 / this.nginx.requests;
        }

        /** MiB of body moved (up or down) in the timed windows. */
        double mib() {
            return this.shape == null ? 0 : this.requests * (double) this.shape.bytesMoved() / Shape.MIB;
        }

        double mibPerSecond() {
            return mib() / (this.nanos / 1e9);
        }

        /** The shape's figure of merit: MiB/s for large bodies, req/s otherwise. */
        double rate() {
            return this.shape != null && this.shape.perMib() ? mibPerSecond() : rps();
        }

        double bytesPerMib() {
            return mib() == 0 ? Double.NaN : this.allocatedAll / mib();
        }

        double cpuMillisPerMib() {
            return mib() == 0 ? Double.NaN : this.cpuNanos / 1e6 / mib();
        }

        double nginxCpuMillisPerMib() {
            return mib() == 0 || this.nginxCpuNanos < 0 ? Double.NaN : this.nginxCpuNanos / 1e6 / mib();
        }

        /** Mean {@code $request_length} nginx logged: request line, head and body. */
        double nginxBytesPerRequest() {
            return this.nginx.requests == 0 ? Double.NaN : (double) this.nginx.requestBytes / this.nginx.requests;
        }
    }

    /** One issue-8 target, judged. */
    record Target(String name, String measured, boolean met) {
    }

    private final LoadHarness.Options options;
    private final List<ClientSpec> specs;
    private final List<Row> rows = new ArrayList<>();
    private final List<First> firsts;
    private final NginxLog nginx;
    private final LocalDateTime started;
    private final String loadBefore;
    private final String loadAfter;
    private final Map<String, Object> machine;
    private final List<Target> targets;

    Report(LoadHarness.Options options, List<ClientSpec> specs, List<Slot> slots, List<First> firsts, NginxLog nginx,
            LocalDateTime started, String loadBefore, String loadAfter, Map<String, Object> machine) {
        this.options = options;
        this.specs = specs;
        this.firsts = firsts;
        this.nginx = nginx;
        this.started = started;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.machine = machine;
        Map<String, Row> byKey = new LinkedHashMap<>();
        for (Slot s : slots) {
            ClientSpec spec = spec(s.client);
            Row row = byKey.computeIfAbsent(s.client + "|" + s.threads + "|" + s.path, k -> new Row(spec, s.threads, s.path));
            row.shape = s.shape;
            row.requests += s.requests;
            row.nanos += s.nanos;
            row.latency.add(s.latency);
            row.allocatedAll += s.allocatedAll;
            row.allocatedCallers += s.allocatedCallers;
            row.cpuNanos += s.cpuNanos;
            row.sysCpuNanos += s.sysCpuNanos;
            row.contextSwitches += s.contextSwitches;
            row.nginxCpuNanos = row.nginxCpuNanos < 0 || s.nginxCpuNanos < 0 ? -1 : row.nginxCpuNanos + s.nginxCpuNanos;
            row.gcCount += s.gcCount;
            row.gcMillis += s.gcMillis;
            row.errors += s.errors;
            if (row.firstError == null) {
                row.firstError = s.firstError;
            }
            row.perRound.add(s.throughput());
            row.tags.add(s.tag);
        }
        for (Row row : byKey.values()) {
            row.nginx = nginx.tags(row.tags);
            this.rows.add(row);
        }
        this.targets = judge();
    }

    private ClientSpec spec(String id) {
        return this.specs.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    private Optional<Row> row(String client, int threads, String path) {
        return this.rows.stream()
                .filter(r -> r.spec.id().equals(client) && r.threads == threads && r.path.equals(path))
                .findFirst();
    }

    private Optional<First> first(String client, ClientSpec.Warmup warmup) {
        return this.firsts.stream().filter(f -> f.client.equals(client) && f.warmup == warmup).findFirst();
    }

    // ---- the targets ------------------------------------------------------------------------------------------

    private List<Target> judge() {
        List<Target> t = new ArrayList<>();
        for (ClientSpec hp : this.specs) {
            if (!hp.available() || (hp.kind() != ClientSpec.Kind.HOTPOOL && hp.kind() != ClientSpec.Kind.HOTPOOL_CORE)
                    || NoMarkFactory.isBefore(hp)) {
                continue;
            }
            String id = hp.id();
            String who = hp.label();
            if (hp.kind() == ClientSpec.Kind.HOTPOOL) {
                ratioTarget(t, who + ", 8 threads: ≥ 2× HttpComponents 5's throughput", id, "hc5", 8, 2.0);
                ratioTarget(t, who + ", 1 thread: ≥ 1.2× HttpComponents 5's throughput", id, "hc5", 1, 1.2);
                row(id, 8, "/1k").ifPresent(r -> {
                    Optional<Row> best = this.rows.stream()
                            .filter(p -> p.spec.kind() == ClientSpec.Kind.PEER && p.threads == 8 && p.path.equals("/1k"))
                            .min(Comparator.comparingDouble(p -> p.micros(99)));
                    best.ifPresent(b -> t.add(new Target(who + ", 8 threads: p99 lower than every peer's",
                            fmt("%.0f µs vs best peer %s %.0f µs", r.micros(99), b.spec.label(), b.micros(99)),
                            r.micros(99) < b.micros(99))));
                });
                for (int threads : this.options.threads) {
                    ratioTarget(t, who + ", " + threadsLabel(threads) + ": ≥ 70% of the thin factory (SunJSSE) via RestClient",
                            id, "thin-sun", threads, 0.7);
                }
            }
            else {
                for (int threads : this.options.threads) {
                    ratioTarget(t, who + ", " + threadsLabel(threads) + ": ≥ 80% of the raw socket (SunJSSE)", id, "raw-sun",
                            threads, 0.8);
                }
            }
            List<Row> mine = this.rows.stream().filter(r -> r.spec.id().equals(id)
                    && (r.shape == null || r.shape.server == Shape.Server.KEEP_ALIVE)).toList();
            long handshakes = mine.stream().mapToLong(r -> r.nginx.newConnections).sum();
            long requests = mine.stream().mapToLong(r -> r.nginx.requests).sum();
            if (requests > 0) {
                t.add(new Target(who + ": zero TLS handshakes after warm-up (all kept-alive timed windows)",
                        fmt("%d handshakes in %,d requests", handshakes, requests), handshakes == 0));
            }
            for (ClientSpec.Warmup w : List.of(ClientSpec.Warmup.CONNECT, ClientSpec.Warmup.PROBE)) {
                first(id, w).ifPresent(f -> t.add(new Target(who + ", warm-up on (" + warmupLabel(w)
                        + "): first request ≤ 1.5× the hot median", fmt("%.2f ms vs %.0f µs = %.1f× (a hot connection "
                        + "after %d ms idle: %.0f µs)", f.firstMedianMillis(), f.hotMedianMicros(), f.ratio(),
                        LoadHarness.IDLE_MILLIS, f.afterIdleMedianMicros()), f.ratio() <= 1.5)));
            }
            for (int threads : this.options.threads) {
                Optional<Row> mineRow = row(id, threads, "/1k");
                Optional<Row> hc5 = row("hc5", threads, "/1k");
                if (mineRow.isPresent() && hc5.isPresent()) {
                    double a = mineRow.get().bytesPerRequest();
                    double b = hc5.get().bytesPerRequest();
                    t.add(new Target(who + ", " + threadsLabel(threads) + ": fewer bytes allocated per request than "
                            + "HttpComponents 5", fmt("%,.0f B vs %,.0f B", a, b), a < b));
                }
            }
        }
        judgeShapes(t);
        return t;
    }

    /** The large-bodies issue's targets, for hotpool (bc) and (jdk) through RestClient, on every shape but get1k. */
    private void judgeShapes(List<Target> t) {
        for (ClientSpec hp : this.specs) {
            if (!hp.available() || hp.kind() != ClientSpec.Kind.HOTPOOL || NoMarkFactory.isBefore(hp)) {
                continue;
            }
            // The raw ceiling on the same TLS stack: BCJSSE for hotpool (bc), SunJSSE for hotpool (jdk).
            String raw = hp.id().equals("hotpool-bc") ? "raw-bc" : "raw-sun";
            for (Shape shape : Shape.values()) {
                if (shape == Shape.GET_1K) {
                    continue;
                }
                for (int threads : this.options.threads) {
                    Optional<Row> mine = row(hp.id(), threads, shape.key());
                    if (mine.isEmpty()) {
                        continue;
                    }
                    Row r = mine.get();
                    String where = hp.label() + ", " + shape.id + ", " + threadsLabel(threads);
                    if (shape.perMib()) {
                        row("hc5", threads, shape.key()).ifPresent(b -> {
                            t.add(new Target(where + ": ≥ HttpComponents 5", fmt("%,.1f vs %,.1f MiB/s = %.2f×",
                                    r.mibPerSecond(), b.mibPerSecond(), r.mibPerSecond() / b.mibPerSecond()),
                                    r.requests > 0 && r.mibPerSecond() >= b.mibPerSecond()));
                            t.add(new Target(where + ": fewer bytes allocated per MiB than HttpComponents 5",
                                    fmt("%,.0f B vs %,.0f B", r.bytesPerMib(), b.bytesPerMib()),
                                    r.requests > 0 && r.bytesPerMib() < b.bytesPerMib()));
                        });
                        row(raw, threads, shape.key()).ifPresent(b -> t.add(new Target(where + ": ≥ 90% of the raw socket "
                                + b.spec.label().replace("ceiling: raw socket ", ""), fmt("%,.1f vs %,.1f MiB/s = %.0f%%",
                                r.mibPerSecond(), b.mibPerSecond(), 100 * r.mibPerSecond() / b.mibPerSecond()),
                                r.requests > 0 && r.mibPerSecond() >= 0.9 * b.mibPerSecond())));
                    }
                    else {
                        Optional<Row> best = this.rows.stream()
                                .filter(p -> p.spec.kind() == ClientSpec.Kind.PEER && p.threads == threads
                                        && p.path.equals(shape.key()) && p.errors == 0)
                                .max(Comparator.comparingDouble(Row::rps));
                        best.ifPresent(b -> t.add(new Target(where + ": ≥ the best peer", fmt("%,.0f vs %s %,.0f req/s = "
                                + "%.2f×; TLS 1.2 resumptions %,d of %,d handshakes (%s: %,d of %,d)", r.rps(),
                                b.spec.label(), b.rps(), r.rps() / b.rps(), r.nginx.resumed, r.nginx.newConnections,
                                b.spec.label(), b.nginx.resumed, b.nginx.newConnections), r.requests > 0 && r.rps() >= b.rps())));
                    }
                }
            }
        }
    }

    private void ratioTarget(List<Target> t, String name, String client, String base, int threads, double needed) {
        Optional<Row> a = row(client, threads, "/1k");
        Optional<Row> b = row(base, threads, "/1k");
        if (a.isPresent() && b.isPresent()) {
            double ratio = a.get().rps() / b.get().rps();
            t.add(new Target(name, fmt("%,.0f vs %,.0f req/s = %.2f×", a.get().rps(), b.get().rps(), ratio),
                    ratio >= needed));
        }
    }

    // ---- JSON -------------------------------------------------------------------------------------------------

    String json(String chartFile) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", this.options.name);
        root.put("started", this.started.toString());
        root.put("command", this.options.command);
        root.put("note", "One run on a 2-core shared machine; client and nginx share the cores. Closed-loop load: "
                + "latency is per request as seen by the calling thread.");
        root.put("machine", this.machine);
        root.put("loadAverage", Map.of("start", this.loadBefore, "end", this.loadAfter));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("quick", this.options.quick);
        settings.put("threads", this.options.threads);
        settings.put("shapes", this.options.shapes.stream().map(x -> x.id).toList());
        settings.put("rounds", this.options.rounds);
        settings.put("warmupSecondsPerTurn", this.options.warmupSeconds);
        settings.put("windowSecondsPerTurn", this.options.windowSeconds);
        settings.put("prewarmSeconds", this.options.prewarmSeconds);
        settings.put("bodilessThreads", this.options.bodilessThreads);
        settings.put("bodilessWindowSeconds", this.options.bodilessWindowSeconds);
        settings.put("firstRequestRepetitions", this.options.firstReps);
        settings.put("hotRequestsPerRepetition", this.options.hotRequests);
        settings.put("upstream", "nginx, worker_processes 1, HTTPS on " + this.options.host + ":" + this.options.port
                + ", keep-alive; GET /1k (1024-byte body), GET /204; static files /64k, /1m, /16m; POST /upload (the whole body "
                + "read, mirror_request_body, then 204); on port " + this.options.closePort + " the same /1k with keepalive_timeout 0, "
                + "TLS 1.2 only, shared session cache and tickets");
        root.put("settings", settings);
        List<Object> clients = new ArrayList<>();
        for (ClientSpec s : this.specs) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", s.id());
            c.put("label", s.label());
            c.put("kind", s.kind().name());
            c.put("configuration", s.note());
            c.put("available", s.available());
            if (!s.available()) {
                c.put("unavailable", s.unavailable());
            }
            clients.add(c);
        }
        root.put("clients", clients);
        List<Object> results = new ArrayList<>();
        for (Row r : this.rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("client", r.spec.id());
            m.put("threads", r.threads);
            m.put("path", r.path);
            if (r.shape != null) {
                m.put("shape", r.shape.id);
            }
            m.put("requests", r.requests);
            m.put("seconds", r.nanos / 1e9);
            m.put("requestsPerSecond", r.rps());
            m.put("requestsPerSecondPerRound", r.perRound);
            if (r.shape != null && r.shape.perMib()) {
                m.put("mibPerSecond", r.mibPerSecond());
                m.put("bytesAllocatedPerMibAllThreads", r.bytesPerMib());
                m.put("clientCpuMillisPerMib", r.cpuMillisPerMib());
                m.put("nginxCpuMillisPerMib", r.nginxCpuMillisPerMib());
            }
            ratio(r, "hc5").ifPresent(x -> m.put("vsHttpComponents5", x));
            ratio(r, "thin-sun").ifPresent(x -> m.put("vsThinFactorySunJsse", x));
            ratio(r, "thin-bc").ifPresent(x -> m.put("vsThinFactoryBcJsse", x));
            ratio(r, "raw-sun").ifPresent(x -> m.put("vsRawSocketSunJsse", x));
            ratio(r, "raw-bc").ifPresent(x -> m.put("vsRawSocketBcJsse", x));
            Map<String, Object> lat = new LinkedHashMap<>();
            lat.put("p50", r.micros(50));
            lat.put("p90", r.micros(90));
            lat.put("p99", r.micros(99));
            lat.put("p99.9", r.micros(99.9));
            lat.put("max", r.latency.getMaxValue() / 1e3);
            lat.put("mean", r.latency.getMean() / 1e3);
            m.put("latencyMicros", lat);
            m.put("bytesAllocatedPerRequestAllThreads", r.bytesPerRequest());
            m.put("bytesAllocatedPerRequestLoadThreads", r.callerBytesPerRequest());
            m.put("clientCpuMicrosPerRequest", r.cpuMicrosPerRequest());
            m.put("clientSystemCpuShare", r.cpuNanos == 0 ? Double.NaN : (double) r.sysCpuNanos / r.cpuNanos);
            m.put("contextSwitchesPerRequest", r.contextSwitchesPerRequest());
            m.put("nginxCpuMicrosPerRequest", r.nginxCpuMicrosPerRequest());
            m.put("gcCount", r.gcCount);
            m.put("gcMillis", r.gcMillis);
            Map<String, Object> ng = new LinkedHashMap<>();
            ng.put("requests", r.nginx.requests);
            ng.put("distinctConnections", r.nginx.connections.size());
            ng.put("newConnections", r.nginx.newConnections);
            ng.put("resumedSessions", r.nginx.resumed);
            ng.put("handshakesPer10kRequests", r.handshakesPer10k());
            ng.put("non2xx", r.nginx.non2xx);
            ng.put("requestBytesPerRequest", r.nginxBytesPerRequest());
            ng.put("tls", new ArrayList<>(r.nginx.tls));
            m.put("nginx", ng);
            m.put("errors", r.errors);
            if (r.firstError != null) {
                m.put("firstError", r.firstError);
            }
            results.add(m);
        }
        root.put("results", results);
        List<Object> fr = new ArrayList<>();
        for (First f : this.firsts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("client", f.client);
            m.put("warmup", f.warmup.name());
            m.put("firstRequestMillis", f.firstNanos.stream().map(n -> n / 1e6).toList());
            m.put("firstRequestMedianMillis", f.firstMedianMillis());
            m.put("hotMedianMicros", f.hotMedianMicros());
            m.put("firstOverHotMedian", f.ratio());
            m.put("afterIdleMillis", LoadHarness.IDLE_MILLIS);
            m.put("afterIdleRequestMicros", f.afterIdleNanos.stream().map(n -> n / 1e3).toList());
            m.put("afterIdleMedianMicros", f.afterIdleMedianMicros());
            fr.add(m);
        }
        root.put("firstRequest", fr);
        List<Object> tg = new ArrayList<>();
        for (Target t : this.targets) {
            tg.add(new LinkedHashMap<>(Map.of("target", t.name(), "measured", t.measured(), "met", t.met())));
        }
        root.put("targets", tg);
        root.put("chart", chartFile);
        if (this.options.jmhMarkdown != null) {
            root.put("jmh", this.options.jmhMarkdown.getFileName().toString().replace(".md", ".json"));
        }
        return Json.write(root);
    }

    private Optional<Double> ratio(Row r, String base) {
        if (r.spec.id().equals(base)) {
            return Optional.empty();
        }
        return row(base, r.threads, r.path).map(b -> r.rps() / b.rps());
    }

    // ---- Markdown ---------------------------------------------------------------------------------------------

    String markdown(String chartFile) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# hotpool benchmarks: ").append(this.options.name != null ? this.options.name
                : this.started.toLocalDate()).append("\n\n");
        md.append("One run on a 2-core shared machine (client JVM and nginx share the cores): ")
                .append(this.machine.get("cpus")).append(" × ").append(this.machine.get("cpuModel")).append(", ")
                .append(this.machine.get("memTotal")).append(", ").append(this.machine.get("os")).append(", ")
                .append(this.machine.get("java")).append(", ").append(this.machine.get("nginx")).append(".\n");
        md.append("Load average (1/5/15 min) when run.sh started: ").append(this.machine.get("loadAtScriptStart"))
                .append("; when the load harness started (after the build and JMH): ").append(this.loadBefore)
                .append("; at its end: ").append(this.loadAfter).append(" (the 32-thread windows' own load). Started ")
                .append(this.started.withNano(0)).append(".\n\n");
        md.append("Command: `").append(this.options.command).append("`. ");
        md.append(fmt("Per client and thread count: %d round(s) of %.1f s warm-up + %.1f s timed window, clients "
                + "interleaved (forward, then backward order). ", this.options.rounds, this.options.warmupSeconds,
                this.options.windowSeconds));
        md.append("Upstream: nginx, `worker_processes 1`, HTTPS on 127.0.0.1, keep-alive; `GET /1k` answers 1,024 "
                + "bytes. Every RestClient row makes the same call, `restClient.get().uri(uri).retrieve()"
                + ".body(byte[].class)`. Latency is closed-loop, per request, in µs. B/req: bytes allocated by "
                + "all JVM threads per request (the clients' own I/O threads included). CPU: the client JVM's (JIT and GC "
                + "included); ctx sw: context switches of all JVM threads; nginx CPU: its one worker's. Handshakes: "
                + "new connections nginx saw in the timed windows, per 10,000 requests.\n\n");
        if (this.options.shapes.contains(Shape.GET_1K)) {
            md.append("![throughput and latency](").append(chartFile).append(")\n\n");
            md.append("## GET /1k (1 KiB body)\n\n");
            table(md, "/1k", this.options.threads);
        }
        if (this.options.shapes.stream().anyMatch(x -> x != Shape.GET_1K)) {
            md.append("\n## Large bodies and connection per request\n\n");
            md.append("Shapes: ").append(this.options.shapes.stream().map(x -> "`" + x.id + "`")
                    .collect(Collectors.joining(", "))).append(". Every response body is read to its end and its length "
                    + "checked (a wrong length is an error). Uploads: `restClient.post().uri(uri).contentType("
                    + "APPLICATION_OCTET_STREAM).body(bytes).retrieve().toBodilessEntity()`; nginx reads and discards the "
                    + "body before it answers 204 (`mirror_request_body on`); \"nginx B/req\" is the mean `$request_length` it logged (line, head and "
                    + "body), which shows the body was read. MiB/s: body bytes moved (up or down) per second. B/MiB: "
                    + "bytes allocated by all JVM threads per MiB moved; CPU ms/MiB: the client JVM's CPU per MiB. The raw "
                    + "socket rows write pre-encoded request bytes and read the response off a bare TLS socket (head "
                    + "parsed for Content-Length and Connection only, body skipped in a 16 KiB buffer, never "
                    + "assembled): the ceiling of the TLS stack. ÷ raw: against the raw socket on the same TLS stack "
                    + "(BC for hotpool (bc), Sun for every other client). Resumed: new connections whose TLS session "
                    + "was resumed (`$ssl_session_reused`).\n");
            for (Shape shape : this.options.shapes) {
                if (shape != Shape.GET_1K) {
                    md.append("\n### ").append(shape.title()).append("\n\n");
                    shapeTable(md, shape);
                }
            }
        }
        if (this.rows.stream().anyMatch(r -> r.path.equals("/204"))) {
            md.append("\n## GET /204 (no body), ").append(this.options.bodilessThreads).append(" threads\n\n");
            table(md, "/204", List.of(this.options.bodilessThreads));
        }

        md.append("\n## First request on a fresh client\n\n");
        md.append("A new client instance in the warm JVM; its first request (TCP + TLS handshake included unless "
                + "warm-up made the connection), median of ").append(this.options.firstReps)
                .append(" instances, against the median of the next ").append(this.options.hotRequests)
                .append(" requests on the same instance. \"After idle\": one more request on that hot connection after ")
                .append(LoadHarness.IDLE_MILLIS).append(" ms of idling (median), what waking the idle threads and CPUs "
                + "of client and server costs on this machine: the floor for any first request.\n\n");
        md.append("| client | hotpool warm-up | first request (ms) | hot median (µs) | first ÷ hot | after idle (µs) "
                + "| first ÷ after idle |\n");
        md.append("|---|---|--:|--:|--:|--:|--:|\n");
        for (First f : this.firsts) {
            ClientSpec s = spec(f.client);
            md.append("| ").append(s.label()).append(" | ")
                    .append(s.kind() == ClientSpec.Kind.HOTPOOL || s.kind() == ClientSpec.Kind.HOTPOOL_CORE
                            ? warmupLabel(f.warmup) : "–")
                    .append(fmt(" | %.2f | %.0f | %.1f× | %.0f | %.1f× |\n", f.firstMedianMillis(), f.hotMedianMicros(),
                            f.ratio(), f.afterIdleMedianMicros(), f.firstMedianMillis() * 1e3 / f.afterIdleMedianMicros()));
        }

        md.append("\n## Targets\n\n| target | measured | met |\n|---|---|---|\n");
        for (Target t : this.targets) {
            md.append("| ").append(t.name()).append(" | ").append(t.measured()).append(" | ")
                    .append(t.met() ? "yes" : "**no**").append(" |\n");
        }
        for (ClientSpec s : this.specs) {
            if (!s.available()) {
                md.append("\n").append(s.label()).append(": ").append(s.unavailable()).append(".\n");
            }
        }

        md.append("\n## Clients\n\n| client | configuration |\n|---|---|\n");
        for (ClientSpec s : this.specs) {
            md.append("| ").append(s.label()).append(" | ").append(s.note())
                    .append(s.available() ? "" : " (not yet available)").append(" |\n");
        }
        String tls = this.rows.stream().flatMap(r -> r.nginx.tls.stream().map(x -> r.spec.shortLabel() + ": " + x))
                .distinct().collect(Collectors.joining("; "));
        if (!tls.isEmpty()) {
            md.append("\nNegotiated (from nginx's log): ").append(tls).append(".\n");
        }
        if (this.options.jmhMarkdown != null && Files.exists(this.options.jmhMarkdown)) {
            md.append("\n").append(Files.readString(this.options.jmhMarkdown));
        }
        return md.toString();
    }

    private void shapeTable(StringBuilder md, Shape shape) {
        boolean perMib = shape.perMib();
        md.append(perMib ? "| client | threads | MiB/s | req/s | × HC5 | ÷ raw | p50 µs | p99 µs | B/MiB | CPU ms/MiB "
                + "| nginx CPU ms/MiB | new conns | resumed | nginx B/req | errors |\n"
                : "| client | threads | req/s | × HC5 | ÷ raw | ÷ best peer | p50 µs | p99 µs | B/req | CPU µs/req "
                        + "| nginx CPU µs/req | new conns | resumed | TLS | errors |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (int threads : this.options.threads) {
            Optional<Row> bestPeer = this.rows.stream().filter(p -> p.spec.kind() == ClientSpec.Kind.PEER
                    && p.threads == threads && p.path.equals(shape.key()) && p.errors == 0)
                    .max(Comparator.comparingDouble(Row::rps));
            for (ClientSpec s : this.specs) {
                Optional<Row> maybe = row(s.id(), threads, shape.key());
                if (maybe.isEmpty()) {
                    continue;
                }
                Row r = maybe.get();
                String raw = s.id().contains("-bc") ? "raw-bc" : "raw-sun";
                Optional<Double> vsRaw = s.kind() == ClientSpec.Kind.CEILING_RAW ? Optional.empty()
                        : row(raw, threads, shape.key()).map(b -> r.rate() / b.rate());
                md.append("| ").append(s.kind() == ClientSpec.Kind.HOTPOOL || s.kind() == ClientSpec.Kind.HOTPOOL_CORE
                        ? "**" + s.label() + "**" : s.label()).append(" | ").append(threads);
                if (perMib) {
                    md.append(fmt(" | %,.1f | %,.0f", r.mibPerSecond(), r.rps()));
                }
                else {
                    md.append(fmt(" | %,.0f", r.rps()));
                }
                md.append(" | ").append(ratio(r, "hc5").map(x -> fmt("%.2f", x)).orElse("–"));
                md.append(" | ").append(vsRaw.map(x -> fmt("%.0f%%", x * 100)).orElse("–"));
                if (!perMib) {
                    md.append(" | ").append(bestPeer.filter(b -> b != r).map(b -> fmt("%.2f", r.rps() / b.rps()))
                            .orElse("–"));
                }
                md.append(fmt(" | %,.0f | %,.0f", r.micros(50), r.micros(99)));
                if (perMib) {
                    md.append(fmt(" | %,.0f | %.2f | %.2f | %,d | %,d | %,.0f | %d |\n", r.bytesPerMib(),
                            r.cpuMillisPerMib(), r.nginxCpuMillisPerMib(), r.nginx.newConnections, r.nginx.resumed,
                            r.nginxBytesPerRequest(), r.errors));
                }
                else {
                    md.append(fmt(" | %,.0f | %.0f | %.0f | %,d | %,d | %s | %d |\n", r.bytesPerRequest(),
                            r.cpuMicrosPerRequest(), r.nginxCpuMicrosPerRequest(), r.nginx.newConnections,
                            r.nginx.resumed, String.join(", ", r.nginx.tls), r.errors));
                }
            }
        }
        String errors = this.rows.stream().filter(r -> r.shape == shape && r.firstError != null)
                .map(r -> r.spec.label() + " (" + r.threads + " t): " + r.firstError).collect(Collectors.joining("; "));
        if (!errors.isEmpty()) {
            md.append("\nFirst errors: ").append(errors).append("\n");
        }
    }

    private void table(StringBuilder md, String path, List<Integer> threadCounts) {
        md.append("| client | threads | req/s | × HC5 | ÷ thin Sun | ÷ thin BC | p50 | p99 | p99.9 | handshakes /10k "
                + "| B/req | CPU µs/req | ctx sw /req | nginx CPU µs/req | errors |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (int threads : threadCounts) {
            for (ClientSpec s : this.specs) {
                Optional<Row> maybe = row(s.id(), threads, path);
                if (maybe.isEmpty()) {
                    if (!s.available()) {
                        md.append("| ").append(s.label()).append(" | ").append(threads)
                                .append(" | not yet available | | | | | | | | | | | | |\n");
                    }
                    continue;
                }
                Row r = maybe.get();
                md.append("| ").append(s.kind() == ClientSpec.Kind.HOTPOOL || s.kind() == ClientSpec.Kind.HOTPOOL_CORE
                        ? "**" + s.label() + "**" : s.label()).append(" | ").append(threads);
                md.append(fmt(" | %,.0f", r.rps()));
                md.append(" | ").append(ratio(r, "hc5").map(x -> fmt("%.2f", x)).orElse("–"));
                md.append(" | ").append(ratio(r, "thin-sun").map(x -> fmt("%.0f%%", x * 100)).orElse("–"));
                md.append(" | ").append(ratio(r, "thin-bc").map(x -> fmt("%.0f%%", x * 100)).orElse("–"));
                md.append(fmt(" | %,.0f | %,.0f | %,.0f", r.micros(50), r.micros(99), r.micros(99.9)));
                md.append(fmt(" | %.1f | %,.0f | %.1f | %.1f | %.1f | %d |\n", r.handshakesPer10k(), r.bytesPerRequest(),
                        r.cpuMicrosPerRequest(), r.contextSwitchesPerRequest(), r.nginxCpuMicrosPerRequest(), r.errors));
            }
        }
    }

    // ---- the chart --------------------------------------------------------------------------------------------

    void chart(Path png) throws IOException {
        List<ClientSpec> shown = this.specs.stream().filter(s -> this.rows.stream()
                .anyMatch(r -> r.spec == s && r.path.equals("/1k"))).toList();
        List<String> labels = shown.stream().map(ClientSpec::shortLabel).toList();
        List<BufferedImage> panels = new ArrayList<>();

        CategoryChart tp = new CategoryChartBuilder().width(1400).height(560)
                .title("Throughput, GET /1k over TLS (requests/s, higher is better)").yAxisTitle("requests/s").build();
        style(tp);
        for (int threads : this.options.threads) {
            List<Double> ys = shown.stream().map(s -> row(s.id(), threads, "/1k").map(Row::rps).orElse(0.0)).toList();
            tp.addSeries(threads + (threads == 1 ? " thread" : " threads"), labels, ys);
        }
        panels.add(BitmapEncoder.getBufferedImage(tp));

        for (int threads : List.of(8, 32, 1)) {
            if (!this.options.threads.contains(threads)) {
                continue;
            }
            CategoryChart lat = new CategoryChartBuilder().width(1400).height(460)
                    .title("Latency at " + threads + (threads == 1 ? " thread" : " threads")
                            + ", GET /1k (µs, log scale, lower is better)")
                    .yAxisTitle("µs").build();
            style(lat);
            lat.getStyler().setYAxisLogarithmic(true);
            lat.getStyler().setYAxisMin(10.0); // Bars start at the axis minimum, which a log axis needs above 0.
            for (double p : new double[] { 50, 99, 99.9 }) {
                List<Double> ys = shown.stream()
                        .map(s -> row(s.id(), threads, "/1k").map(r -> Math.max(10.0, r.micros(p))).orElse(10.0))
                        .toList();
                lat.addSeries("p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)), labels, ys);
            }
            panels.add(BitmapEncoder.getBufferedImage(lat));
            if (panels.size() == 3) {
                break;
            }
        }

        int width = panels.stream().mapToInt(BufferedImage::getWidth).max().orElse(1400);
        int header = 40;
        int height = header + panels.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString("hotpool vs peers through RestClient, nginx on loopback, one run on a 2-core shared machine ("
                + this.started.toLocalDate() + ", load at start " + this.machine.get("loadAtScriptStart") + ")", 16, 27);
        int y = header;
        for (BufferedImage p : panels) {
            g.drawImage(p, 0, y, null);
            y += p.getHeight();
        }
        g.dispose();
        ImageIO.write(all, "png", png.toFile());
    }

    private static void style(CategoryChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setXAxisLabelRotation(0);
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setSeriesColors(new Color[] { new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c) });
    }

    private static String threadsLabel(int threads) {
        return threads + (threads == 1 ? " thread" : " threads");
    }

    private static String warmupLabel(ClientSpec.Warmup w) {
        return switch (w) {
            case OFF -> "off";
            case CONNECT -> "on: connect";
            case PROBE -> "on: connect + probe HEAD /204";
        };
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    @Override
    public String toString() {
        return "Report[" + this.rows.size() + " rows, " + Objects.requireNonNullElse(this.options.name, "") + "]";
    }
}
