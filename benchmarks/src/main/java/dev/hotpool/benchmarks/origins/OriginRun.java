package dev.hotpool.benchmarks.origins;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.hotpool.benchmarks.load.Args;
import dev.hotpool.benchmarks.load.BenchTls;

/**
 * One measurement, alone in its JVM (the main class of each child; not thread-safe, run once): one client at one number of origins. {@link ManyOrigins} starts one JVM per
 * measurement with the same options, so no measurement's heap figures carry another's garbage, classes or caches.
 *
 * <ol>
 * <li>JIT warm-up on a twin: a second client of the same kind over other names ({@code w<i>.many.test}), first
 * over 100 names (kept-alive reuse), then over 1,000 (a new connection per request, evicting at the global limit);
 * then closed. The measured client never sees a warm-up name, so no warm-up route can linger in it.</li>
 * <li>The measured client is built; one idle sweep and one stats read run on it (so whatever they build lazily
 * is in both heap readings); no request yet. <b>Heap before</b> = heap used after a forced GC now.</li>
 * <li>The timed run: 8 threads, request k to {@code o<k mod N>.many.test}, until at least {@code min-seconds}
 * have passed and every name got at least one request (one full pass), or {@code max-seconds}.</li>
 * <li>Heap used after a forced GC (end of run; for the record), then a wait until the idle timeout plus 0.5 s
 * has passed since the run's last request, then the <b>idle sweep</b> ({@link OriginClient#sweep()}).</li>
 * <li><b>Routes held</b> = routes the pool still keeps an entry for after the sweep. <b>Heap after</b> = heap used
 * after a forced GC now, the measured client still open. <b>Retained</b> = heap after − heap before.</li>
 * </ol>
 *
 * <p>Prints progress to stderr and, last, one JSON line to stdout (see {@link FlatJson}).
 */
public final class OriginRun {

    /** The warm-up's names: the twin client resolves these and no others. */
    private static final OriginNames WARMUP_NAMES = new OriginNames("w", 1_000);

    /** Classes listed by {@code --histogram=true}. */
    private static final int HISTOGRAM_ROWS = 12;

    /** Slack past the idle timeout before the sweep, so every connection is idle longer than the timeout. */
    private static final long SWEEP_SLACK_MILLIS = 500;

    private final Options options;

    private OriginRun(Options options) {
        this.options = options;
    }

    /** Command-line settings; {@link ManyOrigins} passes all of them. */
    static final class Options {
        ClientKind client;
        int origins;
        String scheme = "http";
        int port;
        Path ca;
        String path = "/1k";
        int threads = 8;
        double minSeconds = 15;
        double maxSeconds = 900;
        double warmupSeconds = 4;
        int round;
        boolean histogram;

        static Options parse(String[] args) {
            Options o = new Options();
            Args.forEach(args, (k, v) -> {
                switch (k) {
                    case "client" -> o.client = ClientKind.of(v);
                    case "origins" -> o.origins = Integer.parseInt(v);
                    case "scheme" -> o.scheme = v;
                    case "port" -> o.port = Integer.parseInt(v);
                    case "ca" -> o.ca = Path.of(v);
                    case "path" -> o.path = v;
                    case "threads" -> o.threads = Integer.parseInt(v);
                    case "min-seconds" -> o.minSeconds = Double.parseDouble(v);
                    case "max-seconds" -> o.maxSeconds = Double.parseDouble(v);
                    case "warmup-seconds" -> o.warmupSeconds = Double.parseDouble(v);
                    case "round" -> o.round = Integer.parseInt(v);
                    case "histogram" -> o.histogram = Boolean.parseBoolean(v);
                    default -> throw Args.unknown(k);
                }
            });
            if (o.client == null || o.origins <= 0 || o.port <= 0) {
                throw new IllegalArgumentException("benchmark: --client, --origins and --port are required");
            }
            if (o.scheme.equals("https") != (o.ca != null)) {
                throw new IllegalArgumentException("benchmark: --scheme=https needs --ca (and http none)");
            }
            return o;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> result = new OriginRun(Options.parse(args)).run();
        System.out.println(FlatJson.line(result));
        System.out.flush();
        System.exit(0); // No client thread may keep the JVM: the measurement is over.
    }

    private Map<String, Object> run() throws Exception {
        Options o = this.options;
        BenchTls tls = o.ca == null ? null : BenchTls.trusting(o.ca);
        OriginNames names = new OriginNames("o", o.origins);
        Limits limits = Limits.ISSUE;

        LoadLoop.Result warm = warmUp(tls, limits);
        if (o.histogram) {
            // The first histogram starts the platform MBean server and its beans: before the baseline, not after.
            ClassHistogram.take();
        }
        log("warm-up on a twin over " + WARMUP_NAMES + ": " + warm.requests() + " requests, " + warm.failures()
                + " failures");

        try (OriginClient client = o.client.open(names, limits, tls)) {
            client.sweep();
            client.held();
            long before = HeapProbe.usedAfterGc();
            long beforeAgain = HeapProbe.usedAfterGc(); // The reading's own noise, nothing having run in between.
            log(String.format("heap before: %,d B (again: %,d B)", before, beforeAgain));
            Path histogramBefore = o.histogram ? ClassHistogram.save(ClassHistogram.take()) : null;

            long maxNanos = seconds(o.maxSeconds);
            LoadLoop.Result run = new LoadLoop(client, names, o.scheme, o.port, o.path, o.threads)
                    .run(new LoadLoop.Stop(seconds(o.minSeconds), o.origins, maxNanos));
            long runEnded = System.nanoTime();
            OriginClient.Held atEnd = client.held();
            log(String.format("timed run: %,d requests in %.1f s = %,.0f req/s, %,d failures%s; %,d connections "
                    + "opened, %,d routes; %s", run.requests(), run.nanos() / 1e9, run.perSecond(), run.failures(),
                    run.covered(o.origins) ? "" : " (NOT one full pass: stopped at max-seconds)", atEnd.opened(),
                    atEnd.routes(), atEnd.detail()));
            long endOfRun = HeapProbe.usedAfterGc();

            long sweepAt = runEnded + TimeUnit.MILLISECONDS.toNanos(limits.idleTimeout().toMillis() + SWEEP_SLACK_MILLIS);
            long wait = sweepAt - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String sweep = client.sweep();
            OriginClient.Held after = client.held();
            long heapAfter = HeapProbe.usedAfterGc();
            log(String.format("after the sweep (%s): %,d routes (%,d without a connection), %,d connections; heap "
                    + "after %,d B, retained %,d B", sweep, after.routes(), after.routesWithoutConnection(),
                    after.connections(), heapAfter, heapAfter - before));
            List<String> growth = List.of();
            if (histogramBefore != null) {
                growth = ClassHistogram.growth(histogramBefore, ClassHistogram.take(), HISTOGRAM_ROWS);
                Files.delete(histogramBefore);
                log("grew most from before to after: " + String.join("; ", growth));
            }

            Map<String, Object> r = new LinkedHashMap<>();
            r.put("client", o.client.id());
            r.put("origins", o.origins);
            r.put("scheme", o.scheme);
            r.put("round", o.round);
            r.put("threads", o.threads);
            r.put("requests", run.requests());
            r.put("failures", run.failures());
            r.put("seconds", run.nanos() / 1e9);
            r.put("reqPerSec", run.perSecond());
            r.put("fullPass", run.covered(o.origins));
            r.put("heapBeforeBytes", before);
            r.put("heapNoiseBytes", Math.abs(beforeAgain - before));
            r.put("heapEndOfRunBytes", endOfRun);
            r.put("heapAfterBytes", heapAfter);
            r.put("retainedBytes", heapAfter - before);
            r.put("routesEndOfRun", atEnd.routes());
            r.put("routesAfter", after.routes());
            r.put("routesWithoutConnectionAfter", after.routesWithoutConnection());
            r.put("connectionsAfter", after.connections());
            r.put("connectionsOpened", after.opened());
            r.put("poolEndOfRun", atEnd.detail());
            r.put("poolAfter", after.detail());
            r.put("sweep", sweep);
            r.put("failureSamples", run.failureSamples());
            r.put("warmupRequests", warm.requests());
            r.put("warmupFailures", warm.failures());
            if (o.histogram) {
                r.put("retainedByClass", growth);
            }
            return r;
        }
    }

    /** JIT warm-up on a twin client, closed before it returns; first reuse, then churn at the global limit. */
    private LoadLoop.Result warmUp(BenchTls tls, Limits limits) throws InterruptedException {
        Options o = this.options;
        long half = seconds(o.warmupSeconds / 2);
        try (OriginClient twin = o.client.open(WARMUP_NAMES, limits, tls)) {
            LoadLoop.Result reuse = new LoadLoop(twin, new OriginNames("w", 100), o.scheme, o.port, o.path, o.threads)
                    .run(new LoadLoop.Stop(half, 0, half));
            LoadLoop.Result churn = new LoadLoop(twin, WARMUP_NAMES, o.scheme, o.port, o.path, o.threads)
                    .run(new LoadLoop.Stop(half, 0, half));
            return new LoadLoop.Result(reuse.requests() + churn.requests(), reuse.failures() + churn.failures(),
                    reuse.nanos() + churn.nanos(), churn.failureSamples());
        }
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    private void log(String message) {
        System.err.println("[" + LocalDateTime.now().toLocalTime().withNano(0) + "] " + this.options.client.id()
                + " N=" + this.options.origins + ": " + message);
    }
}
