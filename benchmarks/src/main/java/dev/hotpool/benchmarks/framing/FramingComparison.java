package dev.hotpool.benchmarks.framing;

import dev.hotpool.internal.http.FramingCorpus;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import dev.hotpool.CallTimeoutException;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.benchmarks.load.Args;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.util.VersionInfo;

/**
 * Every case of hotpool's framing corpus through hotpool, Apache HttpClient 5 classic and the JDK's HTTP client, on
 * raw loopback servers that send the case's bytes exactly (on demand, never run by {@code verify}).
 *
 * <p>For each case and each client: a fresh {@link CaseServer} and a fresh client with its defaults (timeouts set);
 * the client sends the case's request (its method) and reads the whole body, then, {@code --pause-ms} later, sends
 * {@code GET /next}. The server tells on which connection each request came, so the outcome is {@code reuse}
 * (delivered, {@code /next} on the same connection), {@code close} (delivered, {@code /next} on another), {@code error}
 * (the client threw) or {@code hang} (its own timeout fired, or the watchdog did), with whether the body delivered
 * is the corpus's.
 *
 * <p>Prints a Markdown report (summary per client, a row per case, the clients' messages) and writes it to
 * {@code --out}/{@code --name}.md. hotpool's outcome must be the corpus's verdict in every case (for an error: a
 * {@link MalformedResponseException} whose message starts with {@code hotpool:} and contains the corpus's part); if it
 * is not, the program says so on stderr and exits with 1.
 *
 * <pre>
 * benchmarks/run.sh --framing [--corpus=PATH] [--cases=REGEX] [--clients=hotpool,hc5,jdk] [--timeout-ms=2000]
 * </pre>
 */
public final class FramingComparison {

    static final String DEFAULT_CORPUS = "hotpool-core/src/test/resources/dev/hotpool/internal/http/framing-corpus.txt";

    private final Duration timeout;
    private final Duration watchdog;
    private final long pauseMillis;
    private final ExecutorService worker = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "framing-client");
        t.setDaemon(true);
        return t;
    });

    private FramingComparison(Duration timeout, Duration watchdog, long pauseMillis) {
        this.timeout = timeout;
        this.watchdog = watchdog;
        this.pauseMillis = pauseMillis;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("corpus", DEFAULT_CORPUS);
        options.put("out", "benchmarks/results");
        options.put("name", "framing-comparison-" + LocalDate.now());
        options.put("clients", "hotpool,hc5,jdk");
        options.put("cases", ".*");
        options.put("timeout-ms", "2000");
        options.put("watchdog-ms", "6000");
        options.put("pause-ms", "50");
        options.put("command", "benchmarks/run.sh --framing");
        List<String> named = new ArrayList<>();
        for (String a : argv) {
            if (a.startsWith("--")) {
                named.add(a);
            }
            else {
                options.put("corpus", a); // The corpus path may also be given bare.
            }
        }
        Args.forEach(named.toArray(String[]::new), (name, value) -> {
            if (options.replace(name, value) == null) {
                throw Args.unknown(name);
            }
        });
        Path corpusFile = Path.of(options.get("corpus"));
        Pattern only = Pattern.compile(options.get("cases"));
        List<FramingCorpus.Case> cases = Corpus.read(corpusFile).stream().filter(c -> only.matcher(c.name()).matches())
                .toList();
        List<FramingClient.Kind> kinds = new ArrayList<>();
        for (String k : options.get("clients").split(",")) {
            kinds.add(FramingClient.Kind.valueOf(k.trim().toUpperCase(Locale.ROOT)));
        }
        FramingComparison comparison = new FramingComparison(
                Duration.ofMillis(Long.parseLong(options.get("timeout-ms"))),
                Duration.ofMillis(Long.parseLong(options.get("watchdog-ms"))),
                Long.parseLong(options.get("pause-ms")));

        long started = System.nanoTime();
        Map<FramingCorpus.Case, Map<FramingClient.Kind, Outcome>> results = new LinkedHashMap<>();
        for (FramingCorpus.Case c : cases) {
            Map<FramingClient.Kind, Outcome> row = new EnumMap<>(FramingClient.Kind.class);
            for (FramingClient.Kind kind : kinds) {
                row.put(kind, comparison.run(c, kind));
            }
            results.put(c, row);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        comparison.worker.shutdownNow();

        FramingReport report = new FramingReport(kinds, results);
        String markdown = report.markdown(new FramingReport.Context(corpusFile.toString(), LocalDate.now().toString(),
                versions(), options.get("command"), comparison.timeout, comparison.watchdog, comparison.pauseMillis,
                seconds));
        System.out.print(markdown);
        Path out = Path.of(options.get("out"));
        Files.createDirectories(out);
        Path file = out.resolve(options.get("name") + ".md");
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println("written to " + file);

        if (kinds.contains(FramingClient.Kind.HOTPOOL)) {
            List<String> wrong = hotpoolMismatches(results);
            if (!wrong.isEmpty()) {
                System.err.println();
                System.err.println("!!! hotpool's outcome is NOT the corpus's verdict in " + wrong.size()
                        + " case(s):");
                wrong.forEach(w -> System.err.println("!!!   " + w));
                System.exit(1);
            }
            System.out.println("hotpool's outcome is the corpus's verdict in all " + results.size() + " cases");
        }
    }

    /** The cases where hotpool did not do what the corpus says, each with what it did instead. */
    static List<String> hotpoolMismatches(Map<FramingCorpus.Case, Map<FramingClient.Kind, Outcome>> results) {
        List<String> wrong = new ArrayList<>();
        results.forEach((c, row) -> {
            Outcome o = row.get(FramingClient.Kind.HOTPOOL);
            String why = null;
            if (!o.matches(c)) {
                why = "expected " + Corpus.expectText(c) + ", got " + FramingReport.cell(c, o, false)
                        + (o.error() == null ? "" : ": " + o.error());
            }
            else if (o.kind() == Outcome.Kind.ERROR && !(o.error().startsWith(MalformedResponseException.class
                    .getSimpleName() + ": hotpool: ") && o.error().contains(c.detail()))) {
                why = "expected a MalformedResponseException saying '" + c.detail() + "', got " + o.error();
            }
            else if (o.nextError() != null) {
                why = "/next failed: " + o.nextError();
            }
            if (why != null) {
                wrong.add(c.name() + ": " + why);
            }
        });
        return wrong;
    }

    /** One case through one client, on a server of its own. */
    Outcome run(FramingCorpus.Case c, FramingClient.Kind kind) throws InterruptedException, IOException {
        String target = "/case/" + c.name();
        try (CaseServer server = new CaseServer(c); FramingClient client = kind.open(this.timeout)) {
            byte[] body = null;
            String error = null;
            boolean hang = false;
            Future<byte[]> exchange = this.worker.submit(() -> client.exchange(c.method(), server.uri(target)));
            try {
                body = exchange.get(this.watchdog.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (ExecutionException e) {
                error = describe(e.getCause());
                hang = isTimeout(e.getCause());
            }
            catch (TimeoutException e) {
                error = "no outcome within the " + this.watchdog.toMillis() + " ms watchdog";
                hang = true;
                exchange.cancel(true);
            }
            String nextError = null;
            if (error == null || !error.startsWith("no outcome")) {
                Thread.sleep(this.pauseMillis);
                Future<byte[]> next = this.worker.submit(() -> client.exchange("GET", server.uri(CaseServer.NEXT)));
                try {
                    byte[] nextBody = next.get(this.watchdog.toMillis(), TimeUnit.MILLISECONDS);
                    if (!new String(nextBody, StandardCharsets.ISO_8859_1).equals("next")) {
                        nextError = "/next delivered '" + FramingReport.clean(new String(nextBody,
                                StandardCharsets.ISO_8859_1)) + "' instead of 'next'";
                    }
                }
                catch (ExecutionException e) {
                    nextError = describe(e.getCause());
                }
                catch (TimeoutException e) {
                    nextError = "no outcome within the " + this.watchdog.toMillis() + " ms watchdog";
                    next.cancel(true);
                }
            }
            server.close(); // Ends whatever a client is still stuck in before the client is closed.
            int caseConnection = -1;
            int nextConnection = -2;
            int tries = 0;
            for (CaseServer.Seen s : server.seen()) {
                if (s.target().equals(target)) {
                    tries++;
                    caseConnection = s.connection();
                }
                else if (s.target().equals(CaseServer.NEXT) && nextConnection < 0) {
                    nextConnection = s.connection();
                }
            }
            boolean same = caseConnection == nextConnection;
            Outcome.Kind outcome = hang ? Outcome.Kind.HANG
                    : error != null ? Outcome.Kind.ERROR
                    : same ? Outcome.Kind.REUSE : Outcome.Kind.CLOSE;
            return new Outcome(outcome, error == null ? body : null, error, same, tries, nextError);
        }
    }

    /** Whether a failure is a timeout: the client waited for bytes that never came. */
    static boolean isTimeout(Throwable t) {
        for (Throwable e = t; e != null; e = e.getCause()) {
            // SocketTimeoutException is an InterruptedIOException; so is a read the watchdog interrupted.
            if (e instanceof InterruptedIOException || e instanceof HttpTimeoutException
                    || e instanceof CallTimeoutException) {
                return true;
            }
            if (e.getCause() == e) {
                break;
            }
        }
        return false;
    }

    /** {@code Class: message}, and the cause's when it says something more; one line, controls escaped. */
    static String describe(Throwable t) {
        StringBuilder s = new StringBuilder(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        Throwable cause = t.getCause();
        if (cause != null && cause != t && cause.getMessage() != null
                && (t.getMessage() == null || !t.getMessage().contains(cause.getMessage()))) {
            s.append(" (cause ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage())
                    .append(')');
        }
        return FramingReport.clean(s.toString());
    }

    /** The clients' versions, and the JVM's. */
    private static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("hotpool", "0.1.0-SNAPSHOT, commit " + gitCommit());
        v.put("HttpClient 5", VersionInfo.getSoftwareInfo("Apache-HttpClient", "org.apache.hc.client5",
                HttpClients.class)
                + ", httpcore5 " + release("org.apache.hc.core5"));
        v.put("JDK client", "java.net.http of " + System.getProperty("java.vm.name") + " " + Runtime.version());
        return v;
    }

    private static String release(String pkg) {
        VersionInfo info = VersionInfo.loadVersionInfo(pkg, FramingComparison.class.getClassLoader());
        return info == null ? "?" : info.getRelease();
    }

    private static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true)
                    .start();
            String commit = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 ? commit : "?";
        }
        catch (IOException e) {
            return "?";
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
