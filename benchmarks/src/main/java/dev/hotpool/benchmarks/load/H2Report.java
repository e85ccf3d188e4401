package dev.hotpool.benchmarks.load;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The results of {@code run.sh --shape=h2}: hotpool over HTTP/2 against the HTTP/2 peers and hotpool over HTTP/1.1,
 * against nginx's HTTP/2 server, GET /1k and GET /1m at 8 and 64 threads. A JSON file with every figure and a
 * Markdown page: what each client negotiated (nginx's {@code $server_protocol}), a table per body, and issue 26's
 * targets judged (throughput and p99 ahead of every HTTP/2 peer, one connection per host at 64 threads, fewer bytes
 * allocated per request than every HTTP/2 peer).
 *
 * <p>Not thread-safe; built once at the end of a run.
 */
final class H2Report {

    /** A target of issue 26, judged. */
    record Target(String name, String measured, boolean met) {
    }

    private final LoadHarness.Options options;
    private final List<ClientSpec> specs;
    private final List<Report.Row> rows = new ArrayList<>();
    /** Per row (same order as {@link #rows}): the distinct connections of each of its timed windows. */
    private final Map<Report.Row, List<Integer>> connectionsPerWindow = new LinkedHashMap<>();
    private final Map<Report.Row, List<String>> loadPerWindow = new LinkedHashMap<>();
    private final LocalDateTime started;
    private final String loadBefore;
    private final String loadAfter;
    private final Map<String, Object> machine;
    private final List<Target> targets = new ArrayList<>();
    private final List<String> protocolFindings = new ArrayList<>();

    H2Report(LoadHarness.Options options, List<ClientSpec> specs, List<Slot> slots, NginxLog nginx,
            LocalDateTime started, String loadBefore, String loadAfter, Map<String, Object> machine) {
        this.options = options;
        this.specs = specs;
        this.started = started;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.machine = machine;
        Map<String, Report.Row> byKey = new LinkedHashMap<>();
        for (Slot s : slots) {
            ClientSpec spec = specs.stream().filter(x -> x.id().equals(s.client)).findFirst().orElseThrow();
            Report.Row row = byKey.computeIfAbsent(s.client + "|" + s.threads + "|" + s.path,
                    k -> new Report.Row(spec, s.threads, s.path));
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
            this.connectionsPerWindow.computeIfAbsent(row, r -> new ArrayList<>())
                    .add(nginx.tag(s.tag).connections.size());
            this.loadPerWindow.computeIfAbsent(row, r -> new ArrayList<>()).add(s.loadAverage);
        }
        for (Report.Row row : byKey.values()) {
            row.nginx = nginx.tags(row.tags);
            this.rows.add(row);
        }
        checkProtocols();
        judge();
    }

    // ---- what each client spoke ----------------------------------------------------------------------------------

    private static boolean mustSpeakH2(ClientSpec s) {
        return Clients.H2_SPEAKERS.contains(s.id());
    }

    private String expected(ClientSpec s) {
        return mustSpeakH2(s) ? "HTTP/2.0" : "HTTP/1.1";
    }

    private void checkProtocols() {
        for (ClientSpec s : this.specs) {
            List<Report.Row> mine = this.rows.stream().filter(r -> r.spec == s).toList();
            if (mine.isEmpty()) {
                continue;
            }
            java.util.Set<String> seen = new java.util.TreeSet<>();
            mine.forEach(r -> seen.addAll(r.nginx.protocols));
            long requests = mine.stream().mapToLong(r -> r.nginx.requests).sum();
            if (!seen.equals(java.util.Set.of(expected(s)))) {
                this.protocolFindings.add(s.label() + ": expected " + expected(s) + " only, nginx logged " + seen + " in "
                        + requests + " requests");
            }
        }
    }

    // ---- the targets --------------------------------------------------------------------------------------------

    private List<Report.Row> peers(Shape shape, int threads) {
        return this.rows.stream().filter(r -> r.spec.kind() == ClientSpec.Kind.PEER && mustSpeakH2(r.spec)
                && r.shape == shape && r.threads == threads).toList();
    }

    private Optional<Report.Row> row(String client, Shape shape, int threads) {
        return this.rows.stream().filter(r -> r.spec.id().equals(client) && r.shape == shape && r.threads == threads)
                .findFirst();
    }

    private void judge() {
        for (ClientSpec hp : this.specs) {
            if (hp.kind() != ClientSpec.Kind.HOTPOOL || !mustSpeakH2(hp)) {
                continue;
            }
            for (Shape shape : this.options.shapes) {
                for (int threads : this.options.threads) {
                    Optional<Report.Row> mine = row(hp.id(), shape, threads);
                    List<Report.Row> peers = peers(shape, threads);
                    if (mine.isEmpty() || peers.isEmpty()) {
                        continue;
                    }
                    Report.Row r = mine.get();
                    String where = hp.label() + ", " + shape.id + ", " + threads + " threads";
                    Report.Row fastest = peers.stream().max(Comparator.comparingDouble(Report.Row::rps)).orElseThrow();
                    this.targets.add(new Target(where + ": throughput ahead of every HTTP/2 peer",
                            fmt("%,.0f req/s vs best peer %s %,.0f (%.2f×)", r.rps(), fastest.spec.label(), fastest.rps(),
                                    r.rps() / fastest.rps()), r.errors == 0 && r.rps() > fastest.rps()));
                    Report.Row lowestP99 = peers.stream().min(Comparator.comparingDouble(p -> p.micros(99))).orElseThrow();
                    this.targets.add(new Target(where + ": p99 below every HTTP/2 peer's",
                            fmt("%,.0f µs vs best peer %s %,.0f µs", r.micros(99), lowestP99.spec.label(),
                                    lowestP99.micros(99)), r.errors == 0 && r.micros(99) < lowestP99.micros(99)));
                    Report.Row leanest = peers.stream().min(Comparator.comparingDouble(Report.Row::bytesPerRequest))
                            .orElseThrow();
                    this.targets.add(new Target(where + ": fewer bytes allocated per request than every HTTP/2 peer",
                            fmt("%,.0f B vs best peer %s %,.0f B", r.bytesPerRequest(), leanest.spec.label(),
                                    leanest.bytesPerRequest()), r.bytesPerRequest() < leanest.bytesPerRequest()));
                }
            }
            int most = this.options.threads.stream().max(Integer::compare).orElse(0);
            for (Shape shape : this.options.shapes) {
                row(hp.id(), shape, most).ifPresent(r -> {
                    int max = maxConnections(r);
                    String h1 = row("hotpool-h1", shape, most).map(x -> fmt("; hotpool/1.1 (bc): %d", maxConnections(x)))
                            .orElse("");
                    this.targets.add(new Target(hp.label() + ", " + shape.id + ", " + most
                            + " threads: one connection per host", fmt("%d connection%s (most in one window)%s", max,
                                    max == 1 ? "" : "s", h1), max == 1));
                });
            }
        }
    }

    private int maxConnections(Report.Row r) {
        return this.connectionsPerWindow.get(r).stream().max(Integer::compare).orElse(0);
    }

    // ---- JSON ---------------------------------------------------------------------------------------------------

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", this.options.name);
        root.put("started", this.started.toString());
        root.put("command", this.options.command);
        root.put("note", "One run on a 2-core shared machine; client and nginx share the cores. Closed-loop load: "
                + "latency is per request as seen by the calling thread.");
        root.put("machine", this.machine);
        root.put("loadAverage", Map.of("start", this.loadBefore, "end", this.loadAfter));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("threads", this.options.threads);
        settings.put("shapes", this.options.shapes.stream().map(x -> x.id).toList());
        settings.put("rounds", this.options.rounds);
        settings.put("warmupSecondsPerTurn", this.options.warmupSeconds);
        settings.put("windowSecondsPerTurn", this.options.windowSeconds);
        settings.put("prewarmSeconds", this.options.prewarmSeconds);
        settings.put("upstream", upstream());
        root.put("settings", settings);
        List<Object> clients = new ArrayList<>();
        for (ClientSpec s : this.specs) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", s.id());
            c.put("label", s.label());
            c.put("configuration", s.note());
            c.put("expectedProtocol", expected(s));
            clients.add(c);
        }
        root.put("clients", clients);
        List<Object> results = new ArrayList<>();
        for (Report.Row r : this.rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("client", r.spec.id());
            m.put("shape", r.shape.id);
            m.put("threads", r.threads);
            m.put("protocols", List.copyOf(r.nginx.protocols));
            m.put("tls", List.copyOf(r.nginx.tls));
            m.put("requests", r.requests);
            m.put("seconds", r.nanos / 1e9);
            m.put("requestsPerSecond", r.rps());
            m.put("mibPerSecond", r.mibPerSecond());
            m.put("requestsPerSecondPerRound", r.perRound);
            m.put("p50Micros", r.micros(50));
            m.put("p90Micros", r.micros(90));
            m.put("p99Micros", r.micros(99));
            m.put("p999Micros", r.micros(99.9));
            m.put("maxMicros", r.latency.getMaxValue() / 1e3);
            m.put("bytesAllocatedPerRequest", r.bytesPerRequest());
            m.put("bytesAllocatedPerRequestLoadThreads", r.callerBytesPerRequest());
            m.put("cpuMicrosPerRequest", r.cpuMicrosPerRequest());
            m.put("nginxCpuMicrosPerRequest", r.nginxCpuMicrosPerRequest());
            m.put("contextSwitchesPerRequest", r.contextSwitchesPerRequest());
            m.put("gcCount", r.gcCount);
            m.put("gcMillis", r.gcMillis);
            m.put("nginxRequests", r.nginx.requests);
            m.put("connectionsPerWindow", this.connectionsPerWindow.get(r));
            m.put("connectionsAllWindows", r.nginx.connections.size());
            m.put("newConnections", r.nginx.newConnections);
            m.put("loadAveragePerWindow", this.loadPerWindow.get(r));
            m.put("errors", r.errors);
            m.put("firstError", r.firstError);
            results.add(m);
        }
        root.put("results", results);
        List<Object> t = new ArrayList<>();
        for (Target x : this.targets) {
            t.add(Map.of("target", x.name(), "measured", x.measured(), "met", x.met()));
        }
        root.put("targets", t);
        root.put("protocolFindings", this.protocolFindings);
        return Json.write(root);
    }

    private String upstream() {
        return "nginx, worker_processes 1, HTTPS with http2 on the listen (ALPN h2, http/1.1) on " + this.options.host
                + ":" + this.options.port + ", TLS 1.2 and 1.3, EC P-256 certificate, keepalive_requests 10^9, "
                + "keepalive_timeout 300 s, http2_max_concurrent_streams 128; GET /1k (return 200, 1,024 bytes), "
                + "GET /1m (static file, 1 MiB of random bytes)";
    }

    // ---- Markdown -----------------------------------------------------------------------------------------------

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# hotpool over HTTP/2 against the HTTP/2 peers, ").append(this.started.toLocalDate()).append("\n\n");
        md.append("`").append(this.options.command).append("`, started ")
                .append(this.started.withNano(0)).append(". ").append(upstream()).append(". Every client makes the same ")
                .append("call, `restClient.get().uri(uri).retrieve().body(byte[].class)`; ").append(this.options.rounds)
                .append(" rounds per body and thread count, clients in forward then backward order, each turn ")
                .append(fmt("%.1f s warm-up and a %.1f s timed window", this.options.warmupSeconds,
                        this.options.windowSeconds))
                .append(".\n\n");
        md.append("Machine: ").append(this.machine.get("cpus")).append(" CPUs (").append(this.machine.get("cpuModel"))
                .append("), ").append(this.machine.get("java")).append(", ").append(this.machine.get("nginx"))
                .append(", JVM `").append(this.machine.get("jvmArgs")).append("`. Load average (1, 5, 15 min): ")
                .append(this.machine.get("loadAtScriptStart")).append(" when run.sh started, ").append(this.loadBefore)
                .append(" when the harness started, ").append(this.loadAfter).append(" at its end.\n\n");

        md.append("## What each client spoke (nginx's `$server_protocol`, timed windows)\n\n");
        md.append("| client | expected | nginx logged | requests logged | TLS |\n|---|---|---|--:|---|\n");
        for (ClientSpec s : this.specs) {
            List<Report.Row> mine = this.rows.stream().filter(r -> r.spec == s).toList();
            if (mine.isEmpty()) {
                continue;
            }
            NginxLog.Counts all = new NginxLog.Counts();
            mine.forEach(r -> all.add(r.nginx));
            md.append("| ").append(s.label()).append(" | ").append(expected(s)).append(" | ")
                    .append(String.join(", ", all.protocols)).append(fmt(" | %,d | ", all.requests))
                    .append(String.join(", ", all.tls)).append(" |\n");
        }
        md.append(this.protocolFindings.isEmpty() ? "\nEvery client spoke what it was set up to speak.\n"
                : "\n**Not as expected:** " + String.join("; ", this.protocolFindings) + ".\n");

        for (Shape shape : this.options.shapes) {
            md.append("\n## ").append(shape.title()).append("\n\n");
            md.append("Connections: the distinct connections nginx logged in each timed window (one per round), "
                    + "then the new ones over all windows. × best h2 peer: req/s against the fastest HTTP/2 peer at "
                    + "that thread count. Load: the 1-minute load average at the start of each window.\n\n");
            md.append("| client | threads | protocol | req/s | req/s per round |");
            if (shape.perMib()) {
                md.append(" MiB/s |");
            }
            md.append(" × best h2 peer | p50 µs | p99 µs | p99.9 µs | B/req | CPU µs/req | nginx CPU µs/req "
                    + "| connections per window | new conns | load | errors |\n");
            md.append("|---|--:|---|--:|---|").append(shape.perMib() ? "--:|" : "")
                    .append("--:|--:|--:|--:|--:|--:|--:|---|--:|---|--:|\n");
            for (int threads : this.options.threads) {
                List<Report.Row> peers = peers(shape, threads);
                Optional<Report.Row> fastest = peers.stream().max(Comparator.comparingDouble(Report.Row::rps));
                for (ClientSpec s : this.specs) {
                    Optional<Report.Row> maybe = row(s.id(), shape, threads);
                    if (maybe.isEmpty()) {
                        continue;
                    }
                    Report.Row r = maybe.get();
                    md.append("| ").append(s.kind() == ClientSpec.Kind.HOTPOOL ? "**" + s.label() + "**" : s.label())
                            .append(" | ").append(threads).append(" | ").append(String.join(", ", r.nginx.protocols))
                            .append(fmt(" | %,.0f | ", r.rps()))
                            .append(r.perRound.stream().map(x -> fmt("%,.0f", x)).collect(Collectors.joining(" / ")))
                            .append(" |");
                    if (shape.perMib()) {
                        md.append(fmt(" %,.1f |", r.mibPerSecond()));
                    }
                    md.append(" ").append(fastest.filter(b -> b != r).map(b -> fmt("%.2f", r.rps() / b.rps())).orElse("–"));
                    md.append(fmt(" | %,.0f | %,.0f | %,.0f | %,.0f | %.1f | %.1f | ", r.micros(50), r.micros(99),
                            r.micros(99.9), r.bytesPerRequest(), r.cpuMicrosPerRequest(), r.nginxCpuMicrosPerRequest()));
                    md.append(this.connectionsPerWindow.get(r).stream().map(String::valueOf)
                            .collect(Collectors.joining(" / ")));
                    md.append(fmt(" | %,d | ", r.nginx.newConnections));
                    md.append(this.loadPerWindow.get(r).stream().map(x -> x.split(" ")[0])
                            .collect(Collectors.joining(" / ")));
                    md.append(fmt(" | %d |\n", r.errors));
                }
            }
            String errors = this.rows.stream().filter(r -> r.shape == shape && r.firstError != null)
                    .map(r -> r.spec.label() + " (" + r.threads + " t): " + r.firstError).collect(Collectors.joining("; "));
            if (!errors.isEmpty()) {
                md.append("\nFirst errors: ").append(errors).append("\n");
            }
        }

        md.append("\n## Targets of issue 26\n\n| target | measured | met |\n|---|---|---|\n");
        for (Target t : this.targets) {
            md.append("| ").append(t.name()).append(" | ").append(t.measured()).append(" | ")
                    .append(t.met() ? "yes" : "**no**").append(" |\n");
        }

        md.append("\n## Clients\n\n| client | configuration |\n|---|---|\n");
        for (ClientSpec s : this.specs) {
            md.append("| ").append(s.label()).append(" | ").append(s.note()).append(" |\n");
        }
        return md.toString();
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
