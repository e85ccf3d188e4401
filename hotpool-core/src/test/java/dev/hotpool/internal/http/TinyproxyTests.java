package dev.hotpool.internal.http;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.HttpProxy;
import dev.hotpool.ProxyException;
import dev.hotpool.ProxySettings;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TaskThreads;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Requests through a real proxy nobody here wrote: Debian's {@code tinyproxy}, run in the foreground with its own
 * configuration on a loopback port, in front of a local {@link StubServer}. {@code https} goes through its
 * {@code CONNECT} tunnels (one handshake at the server for many requests), {@code http} in absolute form, and a
 * {@code CONNECT} it refuses is a {@link ProxyException}. When tinyproxy is missing, {@code .ci/install-tinyproxy}
 * installs it; if that cannot work here (no root, no apt), the test fails under CI ({@code CI=true}) and is skipped
 * elsewhere, saying why.
 */
class TinyproxyTests {

    private static final Path INSTALLER = Path.of("..", ".ci", "install-tinyproxy");

    private static final TestCertificates certificates = TestCertificates.localhost(KeyType.EC);

    @TempDir
    Path dir;

    private Tinyproxy proxy;
    private StubServer server;
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.proxy, () -> this.server);

    private String get(URI uri) throws IOException {
        try (HotResponse response = this.pool.execute(HotRequest.get(uri))) {
            return response.status() + " " + new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private HotPool pool(Tinyproxy proxy) {
        return new HotPool(HotPoolConfig.builder().tls(certificates.clientSettings())
                .proxy(ProxySettings.of(HttpProxy.of("127.0.0.1", proxy.port()), List.of())).build());
    }

    @Test
    void httpsGoesThroughTinyproxysConnectTunnelsAndTheyAreReused() throws Exception {
        this.server = StubServer.https(certificates.serverContext());
        this.proxy = Tinyproxy.start(this.dir, "");
        this.pool = pool(this.proxy);

        for (int i = 0; i < 5; i++) {
            assertThat(get(this.server.uri("/tls/" + i))).isEqualTo("200 /tls/" + i);
        }

        assertThat(this.server.requestsServed()).isEqualTo(5);
        assertThat(this.server.connectionsAccepted()).as("TLS handshakes at the server").isEqualTo(1);
        assertThat(this.pool.stats().created()).isEqualTo(1);
        assertThat(this.pool.stats().hosts().get(0).proxy()).isEqualTo("127.0.0.1:" + this.proxy.port());
        assertThat(this.proxy.log()).contains("CONNECT localhost:" + this.server.port());
    }

    @Test
    void plainHttpGoesToTinyproxyInAbsoluteForm() throws Exception {
        this.server = StubServer.http();
        this.proxy = Tinyproxy.start(this.dir, "");
        this.pool = pool(this.proxy);

        for (int i = 0; i < 3; i++) {
            assertThat(get(this.server.uri("/plain?n=" + i))).isEqualTo("200 /plain?n=" + i);
        }

        assertThat(this.server.requestLog()).containsExactly("GET /plain?n=0", "GET /plain?n=1", "GET /plain?n=2");
        // tinyproxy 1.11 closes its client connection after each plain-http response without saying so
        // (HTTP/1.1, no Connection: close): the next GET finds it closed and is retried on a new connection, as for
        // any server that does this; each request still reached the server exactly once (above).
        assertThat(this.pool.traffic().succeeded()).isEqualTo(3);
        assertThat(this.pool.traffic().failed()).isZero();
        assertThat(this.proxy.log()).contains("GET http://localhost:" + this.server.port() + "/plain?n=0");
    }

    @Test
    void aConnectTinyproxyRefusesIsAProxyExceptionWithItsStatus() throws Exception {
        this.server = StubServer.https(certificates.serverContext());
        int other = this.server.port() == 65535 ? 65534 : this.server.port() + 1;
        this.proxy = Tinyproxy.start(this.dir, "ConnectPort " + other + "\n");
        this.pool = pool(this.proxy);

        assertThatThrownBy(() -> get(this.server.uri("/")))
                .isInstanceOfSatisfying(ProxyException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.proxy()).isEqualTo("127.0.0.1:" + this.proxy.port());
                })
                .hasMessageStartingWith("hotpool: the proxy 127.0.0.1:" + this.proxy.port() + " refused CONNECT "
                        + "localhost:" + this.server.port() + " (403 ");
        assertThat(this.server.connectionsAccepted()).isZero();
        assertThat(this.pool.stats().total()).isZero();
    }

    /** One tinyproxy process in the foreground, with its config, log and pid file in a temp dir. */
    private static final class Tinyproxy implements AutoCloseable {

        private final Process process;
        private final int port;
        private final Path logFile;
        /** Reads the process's output. */
        private final TaskThreads reader;
        private final CompletableFuture<String> output;

        private Tinyproxy(Process process, int port, Path logFile, TaskThreads reader) {
            this.process = process;
            this.port = port;
            this.logFile = logFile;
            this.reader = reader;
            this.output = readAsync(process.getInputStream(), reader);
        }

        static Tinyproxy start(Path dir, String extraConfig) throws Exception {
            String executable = installed();
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path log = dir.resolve("tinyproxy.log");
            Path config = dir.resolve("tinyproxy.conf");
            Files.writeString(config, "Port " + port + "\n"
                    + "Listen 127.0.0.1\n"
                    + "Timeout 60\n"
                    + "MaxClients 20\n"
                    + "Allow 127.0.0.1\n"
                    + "LogLevel Connect\n"
                    + "LogFile \"" + log + "\"\n"
                    + "PidFile \"" + dir.resolve("tinyproxy.pid") + "\"\n"
                    + extraConfig);
            Process process = new ProcessBuilder(executable, "-d", "-c", config.toString())
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            Tinyproxy proxy = new Tinyproxy(process, port, log, new TaskThreads("tinyproxy-output"));
            // Another process tells no one it listens: poll its port until it accepts, or it died, or 10 s passed.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return proxy;
                }
                catch (IOException notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        proxy.close();
                        throw new IllegalStateException("tinyproxy did not start on port " + port + " (alive: "
                                + process.isAlive() + "): " + proxy.output.getNow("") + proxy.log());
                    }
                    Thread.sleep(20);
                }
            }
        }

        int port() {
            return this.port;
        }

        /** What tinyproxy logged so far. */
        String log() throws IOException {
            return Files.exists(this.logFile) ? Files.readString(this.logFile) : "";
        }

        @Override
        public void close() throws InterruptedException {
            try {
                this.process.destroy();
                if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
                    this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            finally {
                this.reader.close(); // Its read ended with the process.
            }
        }

        /** The path of the tinyproxy binary, installing it first when missing. */
        private static String installed() throws IOException, InterruptedException {
            String found = find();
            if (found != null) {
                return found;
            }
            Process install = new ProcessBuilder("bash", INSTALLER.toString()).redirectErrorStream(true).start();
            install.getOutputStream().close();
            boolean done;
            CompletableFuture<String> output;
            try (TaskThreads reader = new TaskThreads("tinyproxy-installer-output")) {
                output = readAsync(install.getInputStream(), reader);
                done = install.waitFor(300, TimeUnit.SECONDS);
                if (!done) {
                    install.destroyForcibly().waitFor();
                }
            }
            found = find();
            if (found == null) {
                String reason = "No tinyproxy, and " + INSTALLER + " could not install it (" + (done
                        ? "exit " + install.exitValue() : "timed out") + "): " + output.getNow("");
                if ("true".equals(System.getenv("CI"))) {
                    throw new IllegalStateException(reason);
                }
                Assumptions.abort(reason);
            }
            return found;
        }

        private static String find() {
            for (String candidate : List.of("/usr/bin/tinyproxy", "/usr/sbin/tinyproxy", "/usr/local/bin/tinyproxy")) {
                if (Files.isExecutable(Path.of(candidate))) {
                    return candidate;
                }
            }
            return null;
        }

        private static CompletableFuture<String> readAsync(InputStream in, TaskThreads reader) {
            return CompletableFuture.supplyAsync(() -> {
                try (in) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    in.transferTo(bytes);
                    return bytes.toString(StandardCharsets.UTF_8);
                }
                catch (IOException e) {
                    return "";
                }
            }, reader);
        }
    }
}
