package dev.hotpool.benchmarks.framing;

import dev.hotpool.internal.http.FramingCorpus;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.benchmarks.load.Args;

/**
 * What real servers send, and whether hotpool accepts and reuses it (on demand, never run by {@code verify}).
 *
 * <p>Starts each server on 127.0.0.1 in turn: nginx (the Debian package), embedded Tomcat and Jetty, Netty (Reactor
 * Netty's {@code HttpServer}), Node's {@code http}, Python's {@code http.server} (as {@code python3 -m http.server},
 * HTTP/1.0 and {@code --protocol HTTP/1.1}, and a {@code BaseHTTPRequestHandler} speaking HTTP/1.1) and Go's
 * {@code net/http} (built with the {@code go} command when it is installed). For each of the server's requests (a body
 * of known length, one it sends chunked, a 204, a 304 for If-None-Match and for If-Modified-Since, a HEAD):
 * <ol>
 * <li>a raw socket sends the request hotpool sends, on a fresh connection, captures the response byte for byte and
 * sends a second request on the connection: answered = the server keeps it open;</li>
 * <li>then one {@link HotPool} (defaults, timeouts set) sends all the requests in turn, and one more: whether each
 * response was delivered, and whether the next request came on the same connection, as hotpool says
 * ({@link HotResponse#reused()}) and as the server's log says (the client port of each request) where it keeps
 * one.</li>
 * </ol>
 * A response hotpool refuses, or does not reuse although the server keeps the connection open, is a finding.
 *
 * <p>Writes the captures to {@code --out}/real-servers/&lt;server&gt;.txt (in the corpus's escapes) and a report to
 * {@code --out}/{@code --name}.md, which also compares the corpus's {@code real-*} cases with the captures. Exits
 * with 1 when there is a finding, with 2 when a server could not be started.
 *
 * <pre>
 * benchmarks/run.sh --real-servers [--servers=nginx,tomcat,jetty,netty,node,python,python-http11,python-handler,go]
 * </pre>
 */
public final class RealServersCheck {

    static final List<String> ALL = List.of("nginx", "tomcat", "jetty", "netty", "node", "python", "python-http11",
            "python-handler", "go");

    /** Which capture each real-* case of the corpus stands for: server id and probe name. */
    static final Map<String, String[]> CORPUS_CASES = new LinkedHashMap<>();

    static {
        CORPUS_CASES.put("real-nginx-static", new String[] {"nginx", "file"});
        CORPUS_CASES.put("real-tomcat", new String[] {"tomcat", "text"});
        CORPUS_CASES.put("real-tomcat-chunked", new String[] {"tomcat", "chunked"});
        CORPUS_CASES.put("real-jetty", new String[] {"jetty", "text"});
        CORPUS_CASES.put("real-netty", new String[] {"netty", "text"});
        CORPUS_CASES.put("real-node-chunked", new String[] {"node", "chunked"});
        CORPUS_CASES.put("real-go", new String[] {"go", "text"});
        CORPUS_CASES.put("real-python-http-server", new String[] {"python", "file"});
    }

    /**
     * One request of one server.
     *
     * @param raw the raw capture, or {@code null} when the probe could not be sent (see {@code skipped})
     * @param hotpool hotpool's outcome: {@code reuse}, {@code close} or {@code error}
     * @param hotpoolDetail status and body length, or the exception
     * @param reusedNext whether hotpool's next request came on a connection that had served before
     * @param serverSameConnection whether the server saw this request and the next on the same client port, or
     *     {@code null} when it keeps no such log
     */
    record ProbeResult(RealServer.Probe probe, RawExchange.Response raw, String rawError, String skipped,
            String hotpool, String hotpoolDetail, boolean reusedNext, Boolean serverSameConnection,
            List<String> findings) {
    }

    /** One server: its results, or why it did not run. */
    record ServerResult(String id, String name, List<ProbeResult> probes, String notRun) {
    }

    private final Path work;
    private final Path www;
    private final Duration timeout;

    private RealServersCheck(Path work, Duration timeout) throws IOException {
        this.work = work;
        this.timeout = timeout;
        this.www = Files.createDirectories(work.resolve("www"));
        Files.writeString(this.www.resolve("file.txt"), "ok");
        Files.writeString(this.www.resolve("chunked.txt"), "ok");
        // nginx's worker (not root) reads the files: the temporary directory is private.
        for (Path p : List.of(work, this.www)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (Path p : List.of(this.www.resolve("file.txt"), this.www.resolve("chunked.txt"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    public static void main(String[] argv) throws Exception {
        LenientReadLog.enable();
        Map<String, String> options = new LinkedHashMap<>();
        options.put("servers", String.join(",", ALL));
        options.put("out", "benchmarks/results");
        options.put("name", "real-servers-" + LocalDate.now());
        options.put("corpus", FramingComparison.DEFAULT_CORPUS);
        options.put("timeout-ms", "3000");
        options.put("command", "benchmarks/run.sh --real-servers");
        Args.forEach(argv, (name, value) -> {
            if (options.replace(name, value) == null) {
                throw Args.unknown(name);
            }
        });
        Path work = Files.createTempDirectory("hotpool-real-servers");
        Path out = Path.of(options.get("out"));
        Path captures = Files.createDirectories(out.resolve("real-servers"));
        List<ServerResult> results = new ArrayList<>();
        try {
            RealServersCheck check = new RealServersCheck(work,
                    Duration.ofMillis(Long.parseLong(options.get("timeout-ms"))));
            for (String id : options.get("servers").split(",")) {
                ServerResult r = check.run(id.trim());
                results.add(r);
                if (r.notRun() == null) {
                    Files.writeString(captures.resolve(r.id() + ".txt"), RealServersReport.captures(r),
                            StandardCharsets.UTF_8);
                }
                System.out.println(r.id() + ": " + (r.notRun() != null ? "not run: " + r.notRun()
                        : r.probes().size() + " requests, " + r.probes().stream().mapToInt(p -> p.findings().size())
                        .sum() + " finding(s)"));
            }
        }
        finally {
            deleteTree(work);
        }
        List<FramingCorpus.Case> corpus = Corpus.read(Path.of(options.get("corpus")));
        String markdown = new RealServersReport(results, corpus).markdown(LocalDate.now().toString(),
                options.get("command"));
        Path file = out.resolve(options.get("name") + ".md");
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
        System.out.println();
        System.out.print(markdown);
        System.out.println();
        System.out.println("written to " + file + " and " + captures + "/");
        long findings = results.stream().filter(r -> r.notRun() == null).flatMap(r -> r.probes().stream())
                .mapToLong(p -> p.findings().size()).sum();
        long notRun = results.stream().filter(r -> r.notRun() != null).count();
        if (findings > 0) {
            System.err.println("!!! " + findings + " finding(s): real responses hotpool refused or did not reuse");
            System.exit(1);
        }
        if (notRun > 0) {
            System.err.println("!!! " + notRun + " server(s) not run");
            System.exit(2);
        }
    }

    private ServerResult run(String id) {
        RealServer server;
        try {
            server = start(id);
        }
        catch (Exception e) {
            return new ServerResult(id, id, List.of(), FramingComparison.describe(e));
        }
        try (server) {
            return new ServerResult(id, server.name(), check(server), null);
        }
        catch (Exception e) {
            return new ServerResult(id, server.name(), List.of(), "failed: " + FramingComparison.describe(e));
        }
    }

    private RealServer start(String id) throws Exception {
        return switch (id) {
            case "nginx" -> nginx();
            case "tomcat" -> new TomcatServer(this.work, this.www);
            case "jetty" -> new JettyServer(this.www);
            case "netty" -> new NettyServer();
            case "node" -> new ProcessServer("Node " + output("node", "--version") + " (http module)", "node",
                    List.of("node", script("node-server.js").toString()), this.work, -1,
                    ProcessServer.LogSource.OUTPUT, null, appProbes("res.end('ok')", "res.write, then res.end"));
            case "python", "python-http11" -> {
                boolean http11 = id.equals("python-http11");
                int port = ProcessServer.freePort();
                List<String> command = new ArrayList<>(List.of("python3", "-m", "http.server", "--bind", "127.0.0.1",
                        "--directory", this.www.toString()));
                if (http11) {
                    command.addAll(List.of("--protocol", "HTTP/1.1"));
                }
                command.add(Integer.toString(port));
                yield new ProcessServer(output("python3", "--version") + " `python3 -m http.server"
                        + (http11 ? " --protocol HTTP/1.1" : "") + "`", id, command, this.work, port,
                        ProcessServer.LogSource.NONE, null, List.of(
                                RealServer.Probe.file("SimpleHTTPRequestHandler, static file"),
                                RealServer.Probe.ifModifiedSince(), RealServer.Probe.head()));
            }
            case "python-handler" -> new ProcessServer(output("python3", "--version")
                    + " (http.server BaseHTTPRequestHandler, protocol_version HTTP/1.1)", id,
                    List.of("python3", script("python-server.py").toString()), this.work, -1,
                    ProcessServer.LogSource.OUTPUT, null,
                    appProbes("send_header Content-Length", "Transfer-Encoding: chunked written by the handler"));
            case "go" -> go();
            default -> throw new IllegalArgumentException("real servers: unknown server " + id + "; known: " + ALL);
        };
    }

    /** The probes of a server whose every answer is the application's code (Node, the Python handler, Go). */
    private static List<RealServer.Probe> appProbes(String text, String chunked) {
        return List.of(RealServer.Probe.file("handler, ETag and Last-Modified, 304 when they match"),
                RealServer.Probe.text(text), RealServer.Probe.chunked("/chunked", chunked),
                RealServer.Probe.noContent("handler, status 204"), RealServer.Probe.ifNoneMatch(),
                RealServer.Probe.ifModifiedSince(), RealServer.Probe.head());
    }

    private RealServer nginx() throws Exception {
        String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
        String version = output(nginx, "-v").replace("nginx version: nginx/", "nginx ");
        int port = ProcessServer.freePort();
        Path dir = Files.createDirectories(this.work.resolve("nginx"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.createDirectories(dir.resolve("www"));
        Files.copy(this.www.resolve("file.txt"), dir.resolve("www/file.txt"));
        Files.copy(this.www.resolve("chunked.txt"), dir.resolve("www/chunked.txt"));
        for (Path p : List.of(dir, dir.resolve("www"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        String conf = resource("nginx.conf").replace("@WORK@", dir.toString()).replace("@PORT@",
                Integer.toString(port));
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        return new ProcessServer(version + " (Debian package)", "nginx",
                List.of(nginx, "-p", dir.toString(), "-c", confFile.toString(), "-g", "daemon off;"), dir, port,
                ProcessServer.LogSource.NGINX_ACCESS_LOG, dir.resolve("access.log"), List.of(
                        RealServer.Probe.file("static file"), RealServer.Probe.text("return 200 \"ok\""),
                        RealServer.Probe.chunked("/chunked.txt", "static file through sub_filter"),
                        RealServer.Probe.noContent("return 204"), RealServer.Probe.ifNoneMatch(),
                        RealServer.Probe.ifModifiedSince(), RealServer.Probe.head()));
    }

    private RealServer go() throws Exception {
        String version;
        try {
            version = output("go", "version");
        }
        catch (IOException e) {
            throw new IOException("the go command is not installed (Debian: apt-get install golang-go)", e);
        }
        Path source = script("go-server.go");
        Path binary = this.work.resolve("go-server");
        Process build = new ProcessBuilder("go", "build", "-o", binary.toString(), source.toString())
                .directory(this.work.toFile()).redirectErrorStream(true).start();
        String log = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!build.waitFor(300, TimeUnit.SECONDS) || build.exitValue() != 0) {
            throw new IOException("go build failed: " + log);
        }
        return new ProcessServer(version.replace("go version ", "Go ") + " (net/http)", "go",
                List.of(binary.toString()), this.work, -1, ProcessServer.LogSource.OUTPUT, null,
                appProbes("w.Write", "w.Write, Flush, w.Write"));
    }

    private List<ProbeResult> check(RealServer server) throws IOException {
        int timeoutMillis = (int) this.timeout.toMillis();
        List<RealServer.Probe> probes = server.probes();
        Map<String, RawExchange.Response> raws = new LinkedHashMap<>();
        Map<String, String> rawErrors = new LinkedHashMap<>();
        Map<String, Map<String, String>> extras = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (RealServer.Probe probe : probes) {
            Map<String, String> extra = new LinkedHashMap<>();
            RawExchange.Response file = raws.get("file");
            if (probe.conditional() == RealServer.Conditional.IF_NONE_MATCH) {
                String etag = file == null ? null : file.header("ETag");
                if (etag == null) {
                    skipped.put(probe.name(), "the server sent no ETag for /file.txt");
                    continue;
                }
                extra.put("If-None-Match", etag);
            }
            else if (probe.conditional() == RealServer.Conditional.IF_MODIFIED_SINCE) {
                String modified = file == null ? null : file.header("Last-Modified");
                if (modified == null) {
                    skipped.put(probe.name(), "the server sent no Last-Modified for /file.txt");
                    continue;
                }
                extra.put("If-Modified-Since", modified);
            }
            extras.put(probe.name(), extra);
            try {
                raws.put(probe.name(), RawExchange.exchange(server.port(), probe.method(), probe.path(), extra,
                        "/file.txt", timeoutMillis));
            }
            catch (IOException | RuntimeException e) {
                rawErrors.put(probe.name(), FramingComparison.describe(e));
            }
        }

        // hotpool: one pool, every probe in turn, then one more request; the server's log from here on, once every
        // request the raw socket had answered is in it (a child process's log line may come after its response).
        List<RealServer.Probe> sent = probes.stream().filter(p -> extras.containsKey(p.name())).toList();
        int rawAnswered = raws.values().stream().mapToInt(r -> r.keptAlive() ? 2 : 1).sum();
        List<RealServer.Hit> before = server.hits() == null ? null : awaitHits(server, 0, rawAnswered);
        int mark = before == null ? 0 : before.size();
        List<String> outcomes = new ArrayList<>();
        List<String> details = new ArrayList<>();
        List<Boolean> reused = new ArrayList<>();
        URI base = URI.create("http://127.0.0.1:" + server.port());
        try (LenientReadLog log = new LenientReadLog();
                HotPool pool = new HotPool(HotPoolConfig.builder().name("real-servers").connectTimeout(this.timeout)
                        .readTimeout(this.timeout).build())) {
            for (int i = 0; i <= sent.size(); i++) {
                RealServer.Probe probe = i < sent.size() ? sent.get(i) : RealServer.Probe.file("the last request");
                HotRequest.Builder request = HotRequest.builder(probe.method(), base.resolve(probe.path()));
                extras.getOrDefault(probe.name(), Map.of()).forEach(request::header);
                try (HotResponse response = pool.execute(request.build())) {
                    byte[] body = response.body().readAllBytes();
                    reused.add(response.reused());
                    outcomes.add("delivered");
                    response.close();
                    String lenient = log.takeReason();
                    details.add(response.status() + ", " + body.length + " body bytes"
                            + (body.length == 0 || Arrays.equals(body, "ok".getBytes(StandardCharsets.US_ASCII))
                                    ? "" : " (not 'ok')")
                            + (lenient == null ? "" : "; hotpool: read leniently (" + lenient + ")"));
                }
                catch (IOException e) {
                    log.takeReason();
                    reused.add(false);
                    outcomes.add("error");
                    details.add(FramingComparison.describe(e));
                }
            }
        }
        List<RealServer.Hit> served = before == null ? null : awaitHits(server, mark, sent.size() + 1);

        List<ProbeResult> results = new ArrayList<>();
        int s = 0;
        for (RealServer.Probe probe : probes) {
            if (skipped.containsKey(probe.name())) {
                results.add(new ProbeResult(probe, null, null, skipped.get(probe.name()), "-", "", false, null,
                        List.of()));
                continue;
            }
            int i = s++;
            RawExchange.Response raw = raws.get(probe.name());
            boolean reusedNext = reused.get(i + 1);
            String hotpool = outcomes.get(i).equals("error") ? "error" : reusedNext ? "reuse" : "close";
            Boolean sameConnection = null;
            if (served != null && served.size() == sent.size() + 1) {
                sameConnection = served.get(i).clientPort() == served.get(i + 1).clientPort();
            }
            List<String> findings = new ArrayList<>();
            if (raw == null) {
                findings.add("the raw capture failed: " + rawErrors.get(probe.name()));
            }
            if (hotpool.equals("error")) {
                findings.add("hotpool refused it: " + details.get(i));
            }
            else if (outcomes.get(i + 1).equals("error")) {
                findings.add("the request after it failed: " + details.get(i + 1));
            }
            else if (raw != null && raw.keptAlive() && !reusedNext) {
                findings.add("hotpool did not reuse the connection, which the server keeps open");
            }
            else if (raw != null && !raw.keptAlive() && reusedNext) {
                findings.add("hotpool reused a connection the server does not keep open");
            }
            if (sameConnection != null && !hotpool.equals("error") && sameConnection != reusedNext) {
                findings.add("hotpool says the next request " + (reusedNext ? "reused" : "did not reuse")
                        + " the connection, the server's log says the opposite");
            }
            if (served != null && served.size() != sent.size() + 1) {
                findings.add("the server logged " + served.size() + " requests for hotpool's " + (sent.size() + 1));
            }
            results.add(new ProbeResult(probe, raw, rawErrors.get(probe.name()), null, hotpool, details.get(i),
                    reusedNext, sameConnection, findings));
        }
        return results;
    }

    /** The requests logged since {@code mark}; waits a little for a log written after the response. */
    private static List<RealServer.Hit> awaitHits(RealServer server, int mark, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        List<RealServer.Hit> all = server.hits();
        while (all.size() - mark < expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            all = server.hits();
        }
        return all.subList(mark, all.size());
    }

    private Path script(String name) throws IOException {
        Path file = this.work.resolve(name);
        Files.writeString(file, resource(name));
        return file;
    }

    private static String resource(String name) throws IOException {
        try (var in = RealServersCheck.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("real servers: no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The first line a command prints (stdout and stderr). */
    static String output(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return text.lines().findFirst().orElse("?");
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
