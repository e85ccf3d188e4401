package dev.hotpool.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium}, run headless to load a page served on loopback and return the DOM its scripts
 * rendered. When no browser is installed, {@code .ci/install-chromium} installs it; if that cannot work here (no
 * root, no apt), the test fails under CI ({@code CI=true}) and is skipped elsewhere, saying why.
 */
final class HeadlessChromium {

    private static final Path INSTALLER = Path.of("..", ".ci", "install-chromium");

    private static final long TIMEOUT_SECONDS = 90;

    private final String executable;

    private HeadlessChromium(String executable) {
        this.executable = executable;
    }

    /** The installed browser, installing it first when missing. */
    static HeadlessChromium installed() throws IOException, InterruptedException {
        String found = find();
        if (found == null) {
            Run install = run(List.of("bash", INSTALLER.toString()));
            found = find();
            if (found == null) {
                String reason = "No chromium, and " + INSTALLER + " could not install it (exit " + install.exit()
                        + "): " + install.errors() + install.output();
                if ("true".equals(System.getenv("CI"))) {
                    throw new IllegalStateException(reason);
                }
                Assumptions.abort(reason);
            }
        }
        return new HeadlessChromium(found);
    }

    private static String find() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Loads {@code url} and returns the DOM after its scripts ran for {@code virtualMillis} of virtual time (the
     * page's own timers and fetches complete within it).
     */
    String dumpDom(String url, Path userDataDir, int virtualMillis) throws IOException, InterruptedException {
        Run run = run(List.of(this.executable, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + userDataDir, "--virtual-time-budget=" + virtualMillis, "--dump-dom", url));
        if (run.exit() != 0) {
            throw new IllegalStateException("chromium exited with " + run.exit() + ": " + run.errors());
        }
        return run.output();
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        // A thread per stream: each read blocks until the process ends, and the browser must not block on a full pipe
        // meanwhile. (CompletableFuture's default executor would not do: on Java 25 on a 2-CPU machine it is the
        // common ForkJoinPool at parallelism 1, which runs the two reads one after the other.)
        ExecutorService readers = Executors.newFixedThreadPool(2, (task) -> {
            Thread t = new Thread(task, "chromium-output");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture<String> output = readAsync(process.getInputStream(), readers);
            CompletableFuture<String> errors = readAsync(process.getErrorStream(), readers);
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(command.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Run(process.exitValue(), output.join(), errors.join());
        }
        finally {
            readers.shutdownNow();
        }
    }

    private static CompletableFuture<String> readAsync(InputStream in, Executor readers) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                in.transferTo(bytes);
                return bytes.toString(StandardCharsets.UTF_8);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }, readers);
    }

    private record Run(int exit, String output, String errors) {
    }
}
