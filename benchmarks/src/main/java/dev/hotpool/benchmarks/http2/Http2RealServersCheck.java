package dev.hotpool.benchmarks.http2;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.hotpool.HostSettings;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.ProxySettings;
import dev.hotpool.benchmarks.load.Args;
import dev.hotpool.tls.TlsProfiles;
import dev.hotpool.tls.TlsProvider;
import dev.hotpool.tls.TlsSettings;

/**
 * hotpool's HTTP/2 against real HTTP/2 servers from Debian's packages (on demand, never run by {@code verify}): nginx
 * 1.22 with {@code http2} over TLS and in cleartext by prior knowledge, and nghttpd (nghttp2's server) over TLS. Each
 * runs on 127.0.0.1 from a scratch directory with a throw-away EC certificate; each TLS one is checked with both
 * providers. Per server: three GETs in turn (HTTP/2, the second and third on the first's connection), a 1 MiB GET
 * (past every default window), a HEAD, a 404, fifty GETs at once from fifty threads, and the connections the server
 * saw (nginx's access log: {@code $connection} and {@code $server_protocol}; nghttpd's {@code -v} log: its connection
 * ids). A request that fails, a response not over HTTP/2, a wrong length, or more than one connection is a finding.
 *
 * <pre>
 * benchmarks/run.sh --real-servers-h2
 * </pre>
 */
public final class Http2RealServersCheck {

    private static final int ONE_MIB = 1 << 20;

    private static final int CONCURRENT = 50;

    private Http2RealServersCheck() {
    }

    public static void main(String[] args) throws Exception {
        String[] out = {"benchmarks/results"};
        String[] name = {"real-servers-h2-" + LocalDate.now()};
        String[] command = {"benchmarks/run.sh --real-servers-h2"};
        Args.forEach(args, (k, v) -> {
            switch (k) {
                case "out" -> out[0] = v;
                case "name" -> name[0] = v;
                case "command" -> command[0] = v;
                default -> throw new IllegalArgumentException("unknown option --" + k);
            }
        });
        Path dir = Files.createTempDirectory("hotpool-h2-servers");
        List<String> rows = new ArrayList<>();
        List<String> findings = new ArrayList<>();
        try {
            Files.createDirectories(dir.resolve("html"));
            Files.createDirectories(dir.resolve("logs"));
            Files.createDirectories(dir.resolve("tmp"));
            Files.writeString(dir.resolve("html/1k"), "x".repeat(1024));
            Files.write(dir.resolve("html/1m"), new byte[ONE_MIB]);
            run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", "ec.key", "-out", "ec.crt");
            TlsSettings trust = trust(dir.resolve("ec.crt"));
            int tlsPort = freePort();
            int clearPort = freePort();
            Files.writeString(dir.resolve("nginx.conf"), """
                    daemon off; worker_processes 1; user root; pid logs/nginx.pid; error_log logs/error.log warn;
                    events { worker_connections 512; }
                    http {
                      client_body_temp_path tmp/body; proxy_temp_path tmp/proxy; fastcgi_temp_path tmp/fcgi;
                      uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;
                      log_format h2 '$connection $server_protocol $request_method $status';
                      access_log logs/access.log h2;
                      keepalive_requests 100000;
                      server { listen 127.0.0.1:%d ssl http2; ssl_certificate %s; ssl_certificate_key %s;
                               ssl_protocols TLSv1.2 TLSv1.3; root %s; }
                      server { listen 127.0.0.1:%d http2; root %s; }
                    }
                    """.formatted(tlsPort, dir.resolve("ec.crt"), dir.resolve("ec.key"), dir.resolve("html"), clearPort,
                    dir.resolve("html")));
            Process nginx = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("logs/nginx.out").toFile()).start();
            try {
                awaitPort(tlsPort);
                awaitPort(clearPort);
                for (TlsProvider provider : TlsProvider.values()) {
                    check("nginx h2 (TLS, " + provider.name().toLowerCase() + ")", tlsPort, true, provider, trust, rows,
                            findings, () -> nginxConnections(dir));
                }
                check("nginx h2c", clearPort, false, TlsProvider.BC, trust, rows, findings, () -> nginxConnections(dir));
            }
            finally {
                nginx.destroy();
                nginx.waitFor(10, TimeUnit.SECONDS);
            }
            int nghttpdPort = freePort();
            Process nghttpd = new ProcessBuilder("nghttpd", "-v", "-a", "127.0.0.1", "-d", dir.resolve("html").toString(),
                    Integer.toString(nghttpdPort), dir.resolve("ec.key").toString(), dir.resolve("ec.crt").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("logs/nghttpd.log").toFile()).start();
            try {
                awaitPort(nghttpdPort);
                for (TlsProvider provider : TlsProvider.values()) {
                    check("nghttpd (TLS, " + provider.name().toLowerCase() + ")", nghttpdPort, true, provider, trust,
                            rows, findings, () -> nghttpdConnections(dir));
                }
            }
            finally {
                nghttpd.destroy();
                nghttpd.waitFor(10, TimeUnit.SECONDS);
            }
        }
        finally {
            deleteQuietly(dir);
        }
        StringBuilder md = new StringBuilder(2048);
        md.append("# hotpool's HTTP/2 against real servers, ").append(LocalDate.now()).append("\n\n`").append(command[0])
                .append("`; ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append(". Per server: 3 GETs in turn, a 1 MiB GET, a HEAD, ")
                .append("a 404, ").append(CONCURRENT).append(" GETs at once; connections as the server counted them ")
                .append("(those the check opened since the previous row).\n\n")
                .append("| server | protocol | 3 GETs (reused) | 1 MiB | HEAD | 404 | ").append(CONCURRENT)
                .append(" at once | connections (server) | findings |\n|---|---|---|---|---|---|---|---|---|\n");
        rows.forEach(md::append);
        md.append('\n').append(findings.isEmpty() ? "No finding.\n" : "Findings:\n\n- " + String.join("\n- ", findings)
                + "\n");
        Path report = Path.of(out[0]).resolve(name[0] + ".md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, md);
        System.out.print(md);
        System.out.println("\nreport: " + report);
        System.exit(findings.isEmpty() ? 0 : 1);
    }

    private interface Connections {
        Set<String> seen() throws IOException;
    }

    private static void check(String server, int port, boolean tls, TlsProvider provider, TlsSettings trust,
            List<String> rows, List<String> findings, Connections connections) throws Exception {
        Set<String> before = connections.seen();
        String scheme = tls ? "https" : "http";
        HotPoolConfig.Builder b = HotPoolConfig.builder().tls(trust)
                .tlsProfiles(TlsProfiles.builder().provider(provider).build())
                .staticAddresses(Map.of("localhost", List.of("127.0.0.1"))).proxy(ProxySettings.NONE)
                .maxConnsPerHost(CONCURRENT).readTimeout(Duration.ofSeconds(10));
        b = tls ? b.protocols(List.of("h2", "http/1.1"))
                : b.host("localhost", HostSettings.builder().protocols(List.of("h2c")).build());
        List<String> problems = new ArrayList<>();
        String protocol = "?";
        String gets = "";
        String big = "";
        String head = "";
        String missing = "";
        String many = "";
        try (HotPool pool = new HotPool(b.build())) {
            URI small = URI.create(scheme + "://localhost:" + port + "/1k");
            int reused = 0;
            for (int i = 0; i < 3; i++) {
                try (HotResponse r = pool.execute(HotRequest.get(small))) {
                    protocol = r.protocol();
                    int length = r.body().readAllBytes().length;
                    expect(problems, "GET /1k", r.status() == 200 && length == 1024 && "HTTP/2.0".equals(protocol),
                            r.status() + " " + length + " bytes " + protocol);
                    reused += r.reused() ? 1 : 0;
                }
            }
            gets = "200 ×3 (" + reused + ")";
            expect(problems, "reuse", reused == 2, reused + " of the last 2 reused");
            try (HotResponse r = pool.execute(HotRequest.get(URI.create(scheme + "://localhost:" + port + "/1m")))) {
                int length = r.body().readAllBytes().length;
                big = r.status() + ", " + length + " B";
                expect(problems, "GET /1m", r.status() == 200 && length == ONE_MIB, big);
            }
            try (HotResponse r = pool.execute(HotRequest.builder("HEAD", small).build())) {
                int length = r.body().readAllBytes().length;
                head = r.status() + ", " + length + " B";
                expect(problems, "HEAD", r.status() == 200 && length == 0, head);
            }
            try (HotResponse r = pool.execute(HotRequest.get(URI.create(scheme + "://localhost:" + port
                    + "/missing")))) {
                r.body().readAllBytes();
                missing = Integer.toString(r.status());
                expect(problems, "GET /missing", r.status() == 404, missing);
            }
            ExecutorService threads = Executors.newFixedThreadPool(CONCURRENT);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < CONCURRENT; i++) {
                    answers.add(threads.submit(() -> {
                        try (HotResponse r = pool.execute(HotRequest.get(small))) {
                            return r.body().readAllBytes().length == 1024 ? r.status() : -r.status();
                        }
                    }));
                }
                int ok = 0;
                for (Future<Integer> f : answers) {
                    ok += f.get(60, TimeUnit.SECONDS) == 200 ? 1 : 0;
                }
                many = ok + " × 200";
                expect(problems, CONCURRENT + " at once", ok == CONCURRENT, many);
            }
            finally {
                threads.shutdownNow();
            }
            expect(problems, "client connections", pool.stats().created() == 1, pool.stats().created()
                    + " opened");
        }
        catch (IOException | RuntimeException e) {
            problems.add(e.toString());
        }
        Thread.sleep(300); // nginx writes its log line after the response.
        Set<String> after = new HashSet<>(connections.seen());
        after.removeAll(before);
        expect(problems, "server connections", after.size() == 1, after.size() + " seen by the server");
        rows.add("| " + server + " | " + protocol + " | " + gets + " | " + big + " | " + head + " | " + missing + " | "
                + many + " | " + after.size() + " | " + (problems.isEmpty() ? "none" : String.join("; ", problems))
                + " |\n");
        for (String p : problems) {
            findings.add(server + ": " + p);
        }
    }

    private static void expect(List<String> problems, String what, boolean ok, String seen) {
        if (!ok) {
            problems.add(what + ": " + seen);
        }
    }

    /** nginx's HTTP/2 connections so far, by serial, from the access log. */
    private static Set<String> nginxConnections(Path dir) throws IOException {
        Set<String> seen = new HashSet<>();
        Path log = dir.resolve("logs/access.log");
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                String[] f = line.split(" ");
                if (f.length > 1 && f[1].equals("HTTP/2.0")) {
                    seen.add(f[0]);
                }
            }
        }
        return seen;
    }

    private static final Pattern NGHTTPD_ID = Pattern.compile("^\\[id=(\\d+)\\]");

    /** nghttpd's connections so far, by the id its {@code -v} log gives each. */
    private static Set<String> nghttpdConnections(Path dir) throws IOException {
        Set<String> seen = new HashSet<>();
        Path log = dir.resolve("logs/nghttpd.log");
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
                Matcher m = NGHTTPD_ID.matcher(line);
                if (m.find()) {
                    seen.add(m.group(1));
                }
            }
        }
        return seen;
    }

    private static TlsSettings trust(Path certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(certificate))) {
            store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        return TlsSettings.of("real-servers-h2", store, null, null);
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs/" + command[0] + ".out").toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: "
                    + Files.readString(dir.resolve("logs/" + command[0] + ".out")));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            }
            catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("nothing listens on 127.0.0.1:" + port + " after 10 s", e);
                }
                Thread.sleep(50);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
        }
        catch (IOException e) {
            // A scratch directory under /tmp.
        }
    }
}
