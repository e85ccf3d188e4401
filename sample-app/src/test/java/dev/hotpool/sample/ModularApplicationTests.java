package dev.hotpool.sample;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * hotpool as a modular application sees it: an application module that {@code requires dev.hotpool.core} compiles and
 * runs on the module path (the packaged jar's {@code module-info}, its dependencies' module names, TLS profiles
 * verified at start), its requests reuse a connection, and a module that names an internal package does not compile.
 * The application is compiled with the JDK's compiler and run in a JVM of its own, against the jars this build made.
 */
class ModularApplicationTests {

    private static final String APP = """
            package demo;

            import com.sun.net.httpserver.HttpServer;
            import dev.hotpool.HotPool;
            import dev.hotpool.HotRequest;
            import dev.hotpool.HotResponse;
            import java.net.InetAddress;
            import java.net.InetSocketAddress;
            import java.net.URI;

            public class Main {
                public static void main(String[] args) throws Exception {
                    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                    server.createContext("/", (ex) -> {
                        byte[] b = "hello".getBytes();
                        ex.sendResponseHeaders(200, b.length);
                        ex.getResponseBody().write(b);
                        ex.close();
                    });
                    server.start();
                    try (HotPool pool = new HotPool()) {
                        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
                        for (int i = 0; i < 3; i++) {
                            try (HotResponse r = pool.execute(HotRequest.get(uri))) {
                                System.out.println(r.status() + " " + new String(r.body().readAllBytes())
                                        + " reused=" + r.reused());
                            }
                        }
                        System.out.println("module " + HotPool.class.getModule().getName() + " profiles "
                                + pool.tlsFingerprints().keySet() + " total " + pool.stats().total());
                    }
                    finally {
                        server.stop(0);
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void anApplicationModuleRequiringTheCoreRunsOnTheModulePath() throws Exception {
        String modulePath = modulePath();
        Path out = this.dir.resolve("out");
        assertThat(compile(module("demo.app", "module demo.app { requires dev.hotpool.core; requires jdk.httpserver; }",
                "Main", APP), modulePath, out)).as("javac output").isEmpty();

        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath + File.pathSeparator + out, "-m", "demo.app/demo.Main")
                .redirectErrorStream(true).start();
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).as("the application ended").isTrue();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output).contains("200 hello reused=false", "200 hello reused=true")
                .contains("module dev.hotpool.core profiles [default] total 1");
    }

    @Test
    void aModuleThatNamesAnInternalPackageDoesNotCompile() throws Exception {
        String errors = compile(module("demo.bad", "module demo.bad { requires dev.hotpool.core; }", "Bad",
                "package demo;\npublic class Bad { dev.hotpool.internal.pool.Engine engine; }\n"), modulePath(),
                this.dir.resolve("bad"));

        assertThat(errors).contains("package dev.hotpool.internal.pool is not visible");
    }

    /** Writes a module's descriptor and one class; returns its source root. */
    private Path module(String name, String descriptor, String className, String source) throws IOException {
        Path root = this.dir.resolve("src").resolve(name);
        Files.createDirectories(root.resolve("demo"));
        Files.writeString(root.resolve("module-info.java"), descriptor);
        Files.writeString(root.resolve("demo").resolve(className + ".java"), source);
        return root;
    }

    /** Compiles a module; returns what javac said (empty when it compiled cleanly). */
    private static String compile(Path root, String modulePath, Path out) throws IOException {
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--module-path", modulePath));
        try (var files = Files.walk(root)) {
            files.filter((p) -> p.toString().endsWith(".java")).forEach((p) -> args.add(p.toString()));
        }
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        ToolProvider.getSystemJavaCompiler().run(null, said, said, args.toArray(new String[0]));
        return said.toString(StandardCharsets.UTF_8);
    }

    /**
     * The packaged hotpool-core jar (its module descriptor is compiled after the tests, into the jar) and the jars of
     * its dependencies, from this test's class path.
     */
    private static String modulePath() {
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.matches("(httpcore5|bctls-jdk18on|bcutil-jdk18on|bcprov-jdk18on|slf4j-api)-.*\\.jar")) {
                jars.add(entry);
            }
        }
        Path core = Path.of("").toAbsolutePath().resolve("../hotpool-core/target").normalize();
        try (var files = Files.list(core)) {
            files.filter((p) -> p.getFileName().toString().matches("hotpool-core-[^-]+(-SNAPSHOT)?\\.jar"))
                    .forEach((p) -> jars.add(p.toString()));
        }
        catch (IOException e) {
            throw new IllegalStateException("hotpool-core is packaged before the sample app's tests run", e);
        }
        assertThat(jars).hasSize(6);
        return String.join(File.pathSeparator, jars);
    }
}
