package dev.hotpool.benchmarks.load;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;

/**
 * The load harness: every client of {@link Clients#all()} against one nginx on loopback, through the same call, in
 * the same JVM and the same run.
 *
 * <p>Schedule: a short pre-warm of every client (JIT) on every shape; then for each {@link Shape} (default
 * {@code get1k} alone, today's run) and each thread count (1, 8, 32; 1 and 8 with other shapes) a number of rounds
 * in which every client gets one turn, in forward order on even rounds and backward on odd ones, so drift in the
 * machine hits every client alike. A turn is a warm-up (not measured) then a timed window. Every response body's
 * length is checked against the shape's; a wrong one counts as an error. With {@code get1k} among the shapes: a
 * short pass over the 204 endpoint at 8 threads, then first-request latency on fresh clients (hotpool with and
 * without its warm-up). Every request carries its window's tag in the query string, so nginx's access log tells the
 * connections, TLS handshakes and resumptions, and bytes received of each window.
 *
 * <p>Run it through {@code benchmarks/run.sh}, which starts and stops nginx; see benchmarks/README.md.
 */
public final class LoadHarness {

    /** The longest a turn's load threads may take to stop after their window before the run is abandoned. */
    private static final long STOP_TIMEOUT_SECONDS = 60;

    /** How long the machine idles before the "after idle" request of the first-request measurements. */
    static final long IDLE_MILLIS = 20;

    private final Options options;
    private final Setup setup;
    private final List<ClientSpec> specs;
    private final ExecutorService workers;
    private final List<Thread> workerThreads = new CopyOnWriteArrayList<>();
    private final Map<String, BenchClient> open = new LinkedHashMap<>();
    private final Map<String, BenchClient.Caller[]> callers = new HashMap<>();
    private final List<Slot> slots = new ArrayList<>();
    private final List<Report.First> firsts = new ArrayList<>();
    private volatile Phase phase;

    /** What the load threads do now; replaced as a whole so a thread sees a consistent URI and mode. */
    private record Phase(URI uri, byte[] body, long expect, boolean measure, boolean stop) {
    }

    /** Command-line settings (see {@code run.sh --help}). */
    static final class Options {
        String host = "127.0.0.1";
        int port;
        int closePort = -1;
        Path cert;
        Path accessLog;
        Path outDir = Path.of("benchmarks/results");
        Path jmhMarkdown;
        String name;
        boolean quick;
        List<Integer> threads = List.of(1, 8, 32);
        boolean threadsGiven;
        List<Shape> shapes = List.of(Shape.GET_1K);
        /** {@code --shape=h2}: the HTTP/2 comparison (see {@link H2Report}); run.sh points --port at nginx's h2 server. */
        boolean h2;
        List<String> clients = List.of();
        int nginxPid = -1;
        double prewarmSeconds = 3;
        double warmupSeconds = 2.5;
        double windowSeconds = 5;
        int rounds = 2;
        double bodilessWarmupSeconds = 1;
        double bodilessWindowSeconds = 3;
        int bodilessThreads = 8;
        int firstReps = 5;
        int hotRequests = 500;
        String command = "benchmarks/run.sh";
        String nginxVersion = "";
        String loadAtStart = "";

        /** nginx's worker processes: the master's children. */
        List<Integer> nginxWorkerPids() {
            return this.nginxPid > 0 ? Proc.children(this.nginxPid) : List.of();
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (String a : args) {
                if (a.equals("--quick")) {
                    o.quick = true;
                    o.threads = List.of(1, 8, 32);
                    o.prewarmSeconds = 1;
                    o.warmupSeconds = 1;
                    o.windowSeconds = 2;
                    o.rounds = 1;
                    o.bodilessWarmupSeconds = 0.5;
                    o.bodilessWindowSeconds = 1;
                    o.firstReps = 2;
                    o.hotRequests = 200;
                }
            }
            Args.forEach(args, (k, v) -> {
                switch (k) {
                    case "host" -> o.host = v;
                    case "port" -> o.port = Integer.parseInt(v);
                    case "cert" -> o.cert = Path.of(v);
                    case "access-log" -> o.accessLog = Path.of(v);
                    case "out" -> o.outDir = Path.of(v);
                    case "jmh-markdown" -> o.jmhMarkdown = Path.of(v);
                    case "name" -> o.name = v;
                    case "threads" -> {
                        o.threads = Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
                        o.threadsGiven = true;
                    }
                    case "shape", "shapes" -> {
                        // h2, or h2:get1k / h2:get1m / h2:get1k,get1m: the HTTP/2 comparison on those bodies.
                        o.h2 = v.equals("h2") || v.startsWith("h2:");
                        o.shapes = v.equals("h2") ? List.of(Shape.GET_1K, Shape.GET_1M)
                                : Shape.parse(o.h2 ? v.substring(3) : v);
                    }
                    case "close-port" -> o.closePort = Integer.parseInt(v);
                    case "clients" -> o.clients = List.of(v.split(","));
                    case "prewarm" -> o.prewarmSeconds = Double.parseDouble(v);
                    case "warmup" -> o.warmupSeconds = Double.parseDouble(v);
                    case "window" -> o.windowSeconds = Double.parseDouble(v);
                    case "rounds" -> o.rounds = Integer.parseInt(v);
                    case "bodiless-window" -> o.bodilessWindowSeconds = Double.parseDouble(v);
                    case "first-reps" -> o.firstReps = Integer.parseInt(v);
                    case "command" -> o.command = v;
                    case "nginx-version" -> o.nginxVersion = v;
                    case "load-at-start" -> o.loadAtStart = v;
                    case "nginx-pid" -> o.nginxPid = Integer.parseInt(v);
                    default -> throw Args.unknown(k);
                }
            }, "--quick");
            if (o.h2) {
                if (!o.threadsGiven) {
                    o.threads = List.of(8, 64);
                }
                if (o.clients.isEmpty()) {
                    o.clients = Clients.H2_CLIENTS;
                }
                o.bodilessWindowSeconds = 0;
                o.firstReps = 0;
            }
            else if (!o.shapes.equals(List.of(Shape.GET_1K))) {
                if (!o.threadsGiven) {
                    o.threads = List.of(1, 8);
                }
                if (o.clients.isEmpty()) {
                    o.clients = Clients.SHAPE_CLIENTS;
                }
            }
            if (o.port <= 0 || o.cert == null) {
                throw new IllegalArgumentException("benchmark: --port and --cert are required (run.sh passes them)");
            }
            return o;
        }
    }

    private LoadHarness(Options options, Setup setup, List<ClientSpec> specs) {
        this.options = options;
        this.setup = setup;
        this.specs = specs;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(Clients.MAX_WORKERS, r -> {
            Thread t = new Thread(r, "load-" + n.incrementAndGet());
            t.setDaemon(true);
            this.workerThreads.add(t);
            return t;
        });
    }

    public static void main(String[] args) throws Exception {
        // HttpsURLConnection keeps at most http.maxConnections idle connections per destination (default 5).
        System.setProperty("http.maxConnections", String.valueOf(Clients.POOL_SIZE));
        Options options = Options.parse(args);
        Setup setup = new Setup(options.host, options.port, options.closePort, BenchTls.trusting(options.cert));
        awaitUpstream(setup);
        List<ClientSpec> specs = Clients.all().stream()
                .filter(s -> options.clients.isEmpty() || options.clients.contains(s.id()))
                .toList();
        LoadHarness harness = new LoadHarness(options, setup, specs);
        try {
            harness.run();
        }
        finally {
            harness.workers.shutdownNow();
        }
        System.exit(0); // Client libraries leave non-daemon threads behind (Jetty, Reactor); the run is over.
    }

    private void run() throws Exception {
        LocalDateTime started = LocalDateTime.now();
        String loadBefore = loadAverage();
        log("load average at start: " + loadBefore + "; clients: "
                + this.specs.stream().map(s -> s.id() + (s.available() ? "" : " (n/a)")).collect(Collectors.joining(", ")));
        List<ClientSpec> runnable = this.specs.stream().filter(ClientSpec::available).toList();
        for (ClientSpec spec : runnable) {
            this.open.put(spec.id(), spec.opener().open(this.setup, ClientSpec.Warmup.OFF));
        }

        int prewarmThreads = Math.min(8, Collections.max(this.options.threads));
        double prewarmEach = Math.max(0.5, this.options.prewarmSeconds / this.options.shapes.size());
        for (ClientSpec spec : runnable) {
            for (Shape shape : this.options.shapes.stream().filter(x -> NoMarkFactory.applies(spec, x)).toList()) {
                turn(spec, prewarmThreads, shape, spec.id() + ".prewarm-" + shape.id, prewarmEach, 0, -1);
            }
        }
        for (Shape shape : this.options.shapes) {
            for (int threads : this.options.threads) {
                for (int round = 0; round < this.options.rounds; round++) {
                    List<ClientSpec> order = new ArrayList<>(runnable);
                    if (round % 2 == 1) {
                        Collections.reverse(order);
                    }
                    for (ClientSpec spec : order.stream().filter(x -> NoMarkFactory.applies(x, shape)).toList()) {
                        this.slots.add(turn(spec, threads, shape, tag(spec.id(), threads, shape.key().replace("/", ""),
                                round), this.options.warmupSeconds, this.options.windowSeconds, round));
                    }
                }
            }
        }
        boolean today = this.options.shapes.contains(Shape.GET_1K) && !this.options.h2;
        if (today && this.options.bodilessWindowSeconds > 0) {
            for (ClientSpec spec : runnable) {
                this.slots.add(turn(spec, this.options.bodilessThreads, null,
                        tag(spec.id(), this.options.bodilessThreads, "204", 0), this.options.bodilessWarmupSeconds,
                        this.options.bodilessWindowSeconds, 0));
            }
        }
        for (BenchClient c : this.open.values()) {
            c.close();
        }
        this.open.clear();

        for (ClientSpec spec : today && this.options.firstReps > 0 ? runnable : List.<ClientSpec>of()) {
            this.firsts.add(firstRequest(spec, ClientSpec.Warmup.OFF));
            if (spec.kind() == ClientSpec.Kind.HOTPOOL || spec.kind() == ClientSpec.Kind.HOTPOOL_CORE) {
                this.firsts.add(firstRequest(spec, ClientSpec.Warmup.CONNECT));
                this.firsts.add(firstRequest(spec, ClientSpec.Warmup.PROBE));
            }
        }
        String loadAfter = loadAverage();

        Thread.sleep(3_000); // nginx flushes its buffered access log every second.
        NginxLog nginx = NginxLog.read(this.options.accessLog);
        log("nginx access log: " + nginx.lines() + " lines");

        String name = this.options.name != null ? this.options.name
                : LocalDate.now() + (this.options.quick ? "-quick" : "") + (this.options.h2 ? "-h2" : "");
        if (this.options.h2) {
            H2Report h2 = new H2Report(this.options, this.specs, this.slots, nginx, started, loadBefore, loadAfter,
                    machine());
            Files.createDirectories(this.options.outDir);
            Path json = this.options.outDir.resolve(name + ".json");
            Path md = this.options.outDir.resolve(name + ".md");
            Files.writeString(json, h2.json());
            Files.writeString(md, h2.markdown());
            log("wrote " + json + ", " + md);
            System.out.println();
            System.out.println(Files.readString(md));
            return;
        }
        Report report = new Report(this.options, this.specs, this.slots, this.firsts, nginx, started, loadBefore,
                loadAfter, machine());
        Files.createDirectories(this.options.outDir);
        Path json = this.options.outDir.resolve(name + ".json");
        Path md = this.options.outDir.resolve(name + ".md");
        Path png = this.options.outDir.resolve(name + ".png");
        Files.writeString(json, report.json(png.getFileName().toString()));
        Files.writeString(md, report.markdown(png.getFileName().toString()));
        if (today) {
            report.chart(png);
        }
        log("wrote " + json + ", " + md + ", " + png);
        System.out.println();
        System.out.println(Files.readString(md));
    }

    private static String tag(String client, int threads, String path, int round) {
        return client + "." + threads + "t." + path + ".r" + round;
    }

    // ---- one turn: warm-up, then the timed window --------------------------------------------------------------

    /** One turn of {@code spec} on {@code shape}; a {@code null} shape is {@code GET /204} (no body). */
    private Slot turn(ClientSpec spec, int threads, Shape shape, String tag, double warmupSeconds,
            double windowSeconds, int round) throws Exception {
        String path = shape == null ? "/204" : shape.key();
        BenchClient.Caller[] calls = this.callers.computeIfAbsent(spec.id(),
                id -> new BenchClient.Caller[Clients.MAX_WORKERS]);
        BenchClient client = this.open.get(spec.id());
        for (int i = 0; i < threads; i++) {
            if (calls[i] == null) {
                calls[i] = client.caller(i);
            }
        }
        Histogram[] histograms = new Histogram[threads];
        long[] counts = new long[threads];
        long[] errors = new long[threads];
        String[] firstError = new String[1];
        CountDownLatch stopped = new CountDownLatch(threads);
        byte[] body = shape == null ? null : shape.body();
        long expect = shape == null ? 0 : shape.responseBytes;
        Phase warm = new Phase(shape == null ? this.setup.uri(path, tag + ".w") : this.setup.uri(shape, tag + ".w"),
                body, expect, false, false);
        Phase measured = new Phase(shape == null ? this.setup.uri(path, tag) : this.setup.uri(shape, tag), body, expect,
                true, false);
        this.phase = warm;
        for (int i = 0; i < threads; i++) {
            int w = i;
            histograms[w] = new Histogram(1_000L, 60_000_000_000L, 3);
            this.workers.execute(() -> {
                try {
                    loop(calls[w], histograms[w], counts, errors, w, firstError);
                }
                finally {
                    stopped.countDown();
                }
            });
        }
        sleep(warmupSeconds);
        Map<Long, Long> allocBefore = allocatedByThread();
        Map<String, Long> switchesBefore = Proc.contextSwitchesByThread();
        long sysBefore = Proc.selfSysNanos();
        long nginxBefore = Proc.cpuNanos(this.options.nginxWorkerPids());
        long cpuBefore = processCpuNanos();
        long[] gcBefore = gc();
        String loadAtWindow = loadAverage();
        long start = System.nanoTime();
        this.phase = measured;
        sleep(windowSeconds);
        this.phase = new Phase(null, null, 0, false, true);
        long nanos = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuBefore;
        long nginxAfter = Proc.cpuNanos(this.options.nginxWorkerPids());
        long sys = Proc.selfSysNanos() - sysBefore;
        Map<Long, Long> allocAfter = allocatedByThread();
        Map<String, Long> switchesAfter = Proc.contextSwitchesByThread();
        long[] gcAfter = gc();
        if (!stopped.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("benchmark: " + spec.id() + " did not stop within " + STOP_TIMEOUT_SECONDS
                    + " s after its window (a request hung)");
        }
        Slot slot = new Slot();
        slot.client = spec.id();
        slot.threads = threads;
        slot.path = path;
        slot.shape = shape;
        slot.round = round;
        slot.tag = tag;
        slot.loadAverage = loadAtWindow;
        slot.nanos = nanos;
        slot.latency = new Histogram(1_000L, 60_000_000_000L, 3);
        for (int i = 0; i < threads; i++) {
            slot.latency.add(histograms[i]);
            slot.requests += counts[i];
            slot.errors += errors[i];
        }
        slot.firstError = firstError[0];
        List<Long> callerIds = this.workerThreads.stream().map(Thread::getId).toList();
        for (Map.Entry<Long, Long> e : allocAfter.entrySet()) {
            long delta = e.getValue() - allocBefore.getOrDefault(e.getKey(), 0L);
            slot.allocatedAll += delta;
            if (callerIds.contains(e.getKey())) {
                slot.allocatedCallers += delta;
            }
        }
        slot.cpuNanos = cpu;
        slot.sysCpuNanos = sys;
        slot.nginxCpuNanos = nginxBefore < 0 || nginxAfter < 0 ? -1 : nginxAfter - nginxBefore;
        for (Map.Entry<String, Long> e : switchesAfter.entrySet()) {
            slot.contextSwitches += e.getValue() - switchesBefore.getOrDefault(e.getKey(), 0L);
        }
        slot.gcCount = gcAfter[0] - gcBefore[0];
        slot.gcMillis = gcAfter[1] - gcBefore[1];
        if (windowSeconds > 0) {
            double mib = shape == null ? 0 : slot.requests * (double) shape.bytesMoved() / Shape.MIB;
            log(String.format(Locale.ROOT, "%-12s %2d threads %-16s round %d: %,9.0f req/s%s  p50 %,7.1f µs  p99 %,8.1f µs"
                    + "  %s%s", spec.id(), threads, path, round, slot.throughput(),
                    shape != null && shape.perMib() ? String.format(Locale.ROOT, " %,7.1f MiB/s", mib / (nanos / 1e9)) : "",
                    slot.latency.getValueAtPercentile(50) / 1e3, slot.latency.getValueAtPercentile(99) / 1e3,
                    shape != null && shape.perMib() ? String.format(Locale.ROOT, "%,9.0f B/MiB", mib == 0 ? 0.0
                            : slot.allocatedAll / mib) : String.format(Locale.ROOT, "%,6.0f B/req", slot.requests == 0
                                    ? 0.0 : (double) slot.allocatedAll / slot.requests),
                    slot.errors > 0 ? "  ERRORS " + slot.errors + ": " + slot.firstError : ""));
        }
        return slot;
    }

    private void loop(BenchClient.Caller call, Histogram histogram, long[] counts, long[] errors, int w,
            String[] firstError) {
        while (true) {
            Phase p = this.phase;
            if (p.stop()) {
                return;
            }
            long t0 = System.nanoTime();
            try {
                long n = call.call(p.uri(), p.body());
                if (n != p.expect()) {
                    throw new IllegalStateException("benchmark: body of " + n + " bytes, expected " + p.expect());
                }
            }
            catch (Exception e) {
                errors[w]++;
                if (firstError[0] == null) {
                    firstError[0] = e.toString();
                }
                sleepQuietly(1);
                continue;
            }
            long t1 = System.nanoTime();
            if (p.measure()) {
                histogram.recordValue(Math.min(t1 - t0, 60_000_000_000L));
                counts[w]++;
            }
        }
    }

    // ---- first request on a fresh client -----------------------------------------------------------------------

    private Report.First firstRequest(ClientSpec spec, ClientSpec.Warmup warmup) throws Exception {
        Report.First first = new Report.First(spec.id(), warmup);
        for (int rep = 0; rep < this.options.firstReps; rep++) {
            BenchClient client = spec.opener().open(this.setup, warmup); // hotpool: returns once warm-up is done
            try {
                BenchClient.Caller call = client.caller(0);
                String tag = spec.id() + ".first-" + warmup.name().toLowerCase(Locale.ROOT) + ".r" + rep;
                URI uri = this.setup.uri("/1k", tag);
                long t0 = System.nanoTime();
                call.call(uri, null);
                first.firstNanos.add(System.nanoTime() - t0);
                URI hot = this.setup.uri("/1k", tag + ".hot");
                for (int i = 0; i < this.options.hotRequests; i++) {
                    long s = System.nanoTime();
                    call.call(hot, null);
                    first.hot.recordValue(System.nanoTime() - s);
                }
                // The same hot connection after the machine went idle for a moment: what any request pays for
                // waking the threads (and, in a VM, the halted vCPUs) on both sides. The floor for the first request.
                Thread.sleep(IDLE_MILLIS);
                long s = System.nanoTime();
                call.call(hot, null);
                first.afterIdleNanos.add(System.nanoTime() - s);
            }
            finally {
                client.close();
            }
        }
        log(String.format(Locale.ROOT, "%-12s first request%s: %s ms; hot median %.1f µs; after idle %.1f µs", spec.id(),
                warmup == ClientSpec.Warmup.OFF ? "" : " (warm-up " + warmup + ")", first.firstNanos.stream()
                        .map(n -> String.format(Locale.ROOT, "%.2f", n / 1e6)).collect(Collectors.joining(", ")),
                first.hot.getValueAtPercentile(50) / 1e3, first.afterIdleMedianMicros()));
        return first;
    }

    // ---- measuring the JVM and the machine ---------------------------------------------------------------------

    private static Map<Long, Long> allocatedByThread() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = mx.getAllThreadIds();
        long[] bytes = mx.getThreadAllocatedBytes(ids);
        Map<Long, Long> map = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                map.put(ids[i], bytes[i]);
            }
        }
        return map;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] { count, millis };
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        }
        catch (IOException e) {
            return "unknown";
        }
    }

    private Map<String, Object> machine() {
        Map<String, Object> m = Machine.describe();
        m.put("jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        m.put("nginx", this.options.nginxVersion);
        m.put("loadAtScriptStart", this.options.loadAtStart);
        return m;
    }

    private static void awaitUpstream(Setup setup) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(setup.host(), setup.port()), 1_000);
                return;
            }
            catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("benchmark: nothing listens on " + setup.host() + ":" + setup.port(), e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static void sleep(double seconds) throws InterruptedException {
        if (seconds > 0) {
            Thread.sleep((long) (seconds * 1000));
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void log(String message) {
        System.out.println("[" + LocalDateTime.now().toLocalTime().withNano(0) + "] " + message);
    }
}
