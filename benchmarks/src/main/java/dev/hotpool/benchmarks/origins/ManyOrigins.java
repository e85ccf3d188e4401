package dev.hotpool.benchmarks.origins;

import dev.hotpool.benchmarks.load.Args;
import dev.hotpool.benchmarks.load.Machine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The many-origins benchmark: hotpool's core API and HttpClient 5 against one nginx, over N host names that all
 * resolve to 127.0.0.1, for each N, in the same run. Every (client, N) measurement is an {@link OriginRun} in a JVM
 * of its own, all with {@link #CHILD_JVM}; this parent only schedules them, collects their JSON lines and writes
 * the results ({@link OriginsReport}).
 *
 * <p>Schedule: rounds; in each, the values of N in turn and for each N both clients one after the other; forward
 * order on even rounds (N ascending, hotpool first), backward on odd ones, so drift in the machine hits both alike.
 *
 * <p>Run it through {@code benchmarks/run.sh --many-origins}, which starts and stops nginx. Not thread-safe: the
 * main class, one measurement at a time.
 */
public final class ManyOrigins {

    /** The same for every measurement, so heap figures compare. */
    static final List<String> CHILD_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    /** What a child may take beyond its timed run's cap (start, warm-up, forced collections, the sweep). */
    private static final long CHILD_SLACK_SECONDS = 180;

    /** Command-line settings (see {@code run.sh --help}); later values of an option override earlier ones. */
    static final class Options {
        int port;
        String scheme = "http";
        Path ca;
        List<Integer> origins = List.of(100, 1_000, 10_000, 100_000);
        List<ClientKind> clients = List.of(ClientKind.HOTPOOL, ClientKind.HC5);
        int rounds = 2;
        int threads = 8;
        double minSeconds = 15;
        /** A safety cap, not a target: a run cut short by it is flagged as not one full pass. */
        double maxSeconds = 900;
        double warmupSeconds = 4;
        /** Whether each child also diffs class histograms (see {@link ClassHistogram}). */
        boolean histogram;
        Path outDir = Path.of("benchmarks/results");
        String name;
        String command = "benchmarks/run.sh --many-origins";
        String nginxVersion = "";
        String loadAtStart = "";

        static Options parse(String[] args) {
            Options o = new Options();
            Args.forEach(args, (k, v) -> {
                switch (k) {
                    case "port" -> o.port = Integer.parseInt(v);
                    case "scheme" -> o.scheme = v;
                    case "ca" -> o.ca = Path.of(v);
                    case "origins" -> o.origins = Arrays.stream(v.split(",")).map(String::trim)
                            .map(s -> Integer.valueOf(s.replace("_", ""))).toList();
                    case "clients" -> o.clients = Arrays.stream(v.split(",")).map(ClientKind::of).toList();
                    case "rounds" -> o.rounds = Integer.parseInt(v);
                    case "threads" -> o.threads = Integer.parseInt(v);
                    case "min-seconds" -> o.minSeconds = Double.parseDouble(v);
                    case "max-seconds" -> o.maxSeconds = Double.parseDouble(v);
                    case "warmup-seconds" -> o.warmupSeconds = Double.parseDouble(v);
                    case "histogram" -> o.histogram = Boolean.parseBoolean(v);
                    case "out" -> o.outDir = Path.of(v);
                    case "name" -> o.name = v;
                    case "command" -> o.command = v;
                    case "nginx-version" -> o.nginxVersion = v;
                    case "load-at-start" -> o.loadAtStart = v;
                    default -> throw Args.unknown(k);
                }
            });
            if (o.port <= 0) {
                throw new IllegalArgumentException("benchmark: --port is required (run.sh passes it)");
            }
            if (o.maxSeconds < o.minSeconds) {
                throw new IllegalArgumentException("benchmark: --max-seconds (" + o.maxSeconds
                        + ") must not be below --min-seconds (" + o.minSeconds + ")");
            }
            return o;
        }

        /** The arguments of one child. */
        List<String> childArgs(ClientKind client, int n, int round) {
            List<String> args = new ArrayList<>(List.of("--client=" + client.id(), "--origins=" + n,
                    "--scheme=" + this.scheme, "--port=" + this.port, "--threads=" + this.threads,
                    "--min-seconds=" + this.minSeconds, "--max-seconds=" + this.maxSeconds,
                    "--warmup-seconds=" + this.warmupSeconds, "--round=" + round, "--histogram=" + this.histogram));
            if (this.ca != null) {
                args.add("--ca=" + this.ca);
            }
            return args;
        }
    }

    private ManyOrigins() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        LocalDateTime started = LocalDateTime.now();
        String loadBefore = loadAverage();
        log("load average: " + loadBefore + "; origins " + options.origins + ", clients " + options.clients + ", "
                + options.rounds + " round(s), " + options.scheme + " on 127.0.0.1:" + options.port);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int round = 0; round < options.rounds; round++) {
            List<Integer> ns = new ArrayList<>(options.origins);
            List<ClientKind> clients = new ArrayList<>(options.clients);
            if (round % 2 == 1) {
                Collections.reverse(ns);
                Collections.reverse(clients);
            }
            for (int n : ns) {
                for (ClientKind client : clients) {
                    runs.add(runChild(options, client, n, round));
                }
            }
        }
        String loadAfter = loadAverage();

        OriginsReport report = new OriginsReport(options, runs, started, loadBefore, loadAfter, machine(options));
        String name = options.name != null ? options.name
                : LocalDate.now() + "-many-origins" + (options.scheme.equals("https") ? "-tls" : "");
        Files.createDirectories(options.outDir);
        Path json = options.outDir.resolve(name + ".json");
        Path md = options.outDir.resolve(name + ".md");
        Files.writeString(json, report.json());
        Files.writeString(md, report.markdown());
        log("wrote " + json + " and " + md);
        System.out.println();
        System.out.println(Files.readString(md));
    }

    /** One measurement in a fresh JVM: its JSON line as a map, or a map with an {@code error} when it gave none. */
    private static Map<String, Object> runChild(Options options, ClientKind client, int n, int round)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(CHILD_JVM);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(OriginRun.class.getName());
        command.addAll(options.childArgs(client, n, round));
        Path stdout = Files.createTempFile("many-origins-", ".out");
        try {
            log(client.id() + " N=" + n + " round " + round + ": starting its JVM");
            Process child = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            // Stopped ourselves (Ctrl-C, run.sh's timeout or watchdog): the child goes too, not on against nginx.
            Thread reaper = new Thread(child::destroyForcibly, "many-origins-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            long limit = (long) (options.maxSeconds + options.warmupSeconds) + CHILD_SLACK_SECONDS;
            String error = null;
            if (!child.waitFor(limit, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                error = "did not finish within " + limit + " s; stopped";
            }
            else if (child.exitValue() != 0) {
                error = "its JVM exited with " + child.exitValue() + " (its output is above)";
            }
            Runtime.getRuntime().removeShutdownHook(reaper);
            List<String> lines = Files.readAllLines(stdout);
            String last = lines.stream().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
            if (error == null && last != null) {
                return FlatJson.parse(last);
            }
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("client", client.id());
            failed.put("origins", (long) n);
            failed.put("round", (long) round);
            failed.put("error", error != null ? error : "printed no result line");
            log(client.id() + " N=" + n + " round " + round + ": FAILED: " + failed.get("error"));
            lines.forEach(System.out::println);
            return failed;
        }
        finally {
            Files.deleteIfExists(stdout);
        }
    }

    private static Map<String, Object> machine(Options options) {
        Map<String, Object> m = Machine.describe();
        m.put("childJvmArgs", String.join(" ", CHILD_JVM));
        m.put("parentJvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        m.put("nginx", options.nginxVersion);
        m.put("loadAtScriptStart", options.loadAtStart);
        m.put("tcpTwReuse", Machine.firstLine(Path.of("/proc/sys/net/ipv4/tcp_tw_reuse")));
        m.put("localPortRange", Machine.firstLine(Path.of("/proc/sys/net/ipv4/ip_local_port_range")));
        return m;
    }

    static String loadAverage() {
        String line = Machine.firstLine(Path.of("/proc/loadavg"));
        String[] f = line.split(" ");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : line;
    }

    static void log(String message) {
        System.out.println("[" + LocalDateTime.now().toLocalTime().withNano(0) + "] " + message);
    }
}
