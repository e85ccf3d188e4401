package dev.hotpool.sample;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The sample as Spring AOT processed it ({@code spring-boot:process-aot} in this module's build, what every native
 * image build runs), started in a JVM of its own with {@code -Dspring.aot.enabled=true} on its runtime class path:
 * its beans come from the generated code, not from reading the configuration classes. It answers real requests over
 * the pool, on kept-alive connections to its embedded HTTPS upstream. On Spring Boot 4.1 ({@code -Pboot41}) Boot's
 * {@code InetAddressFilter} is on in that run ({@code sample.outbound.deny}) and refuses a request to a denied
 * address. The test stops the application (and with it the embedded upstream) when it is done.
 */
class AotModeTests {

    private static final Path TARGET = Path.of("target");

    private static final Path LOG = TARGET.resolve("aot-mode-app.log");

    /** Where the HTTP interface group "upstream" is sent in this run: an address Boot's filter denies on 4.1. */
    private static final String DENIED = "127.0.0.2";

    private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

    private static final HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    private static Process application;

    private static String app;

    @BeforeAll
    static void startTheAotProcessedApplication() throws Exception {
        assertThat(TARGET.resolve("classes/dev/hotpool/sample/SampleApplication__ApplicationContextInitializer.class"))
            .as("process-aot ran in this build").exists();
        String classPath = TARGET.resolve("classes") + File.pathSeparator
                + Files.readString(TARGET.resolve("aot-runtime-classpath.txt")).trim();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dspring.aot.enabled=true",
                "-XX:TieredStopAtLevel=1", "-cp", classPath, SampleApplication.class.getName()));
        command.addAll(List.of("--server.port=0", "--sample.upstream.port=0", "--hotpool.health-check-interval=1h",
                "--sample.outbound.deny=" + DENIED + "/32",
                "--spring.http.serviceclient.upstream.base-url=https://" + DENIED + ":9"));
        application = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(LOG.toFile()).start();
        app = "http://localhost:" + awaitPort(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopTheApplication() throws InterruptedException {
        if (application == null) {
            return;
        }
        application.destroy(); // SIGTERM: Boot shuts down gracefully, the embedded upstream with it.
        if (!application.waitFor(30, TimeUnit.SECONDS)) {
            application.destroyForcibly();
            assertThat(application.waitFor(10, TimeUnit.SECONDS)).as("the application stopped").isTrue();
        }
    }

    @Test
    void theApplicationRunsFromTheAotGeneratedCode() throws IOException {
        assertThat(Files.readString(LOG)).contains("Starting AOT-processed SampleApplication");
    }

    @Test
    void itServesRequestsOverThePoolOnKeptAliveConnections() throws Exception {
        Map<String, Object> demo = getJson("/demo");
        assertThat(map(map(demo.get("hot")).get("counts"))).containsEntry("newConnections", 0)
            .containsEntry("handshakes", 0);
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> page = get("/aggregate");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Ada Lovelace", "o-1001", "analytical engine");
        }

        Map<String, Object> pool = getJson("/actuator/hotpool");
        Map<String, Object> requests = map(pool.get("requests"));
        Map<String, Object> connections = map(pool.get("connections"));
        long sent = ((Number) requests.get("total")).longValue();
        long opened = ((Number) connections.get("created")).longValue();
        System.out.println("AOT run on Spring Boot " + SpringBootVersion.getVersion() + ": " + sent
                + " requests over " + opened + " connections opened, reuse ratio " + requests.get("reuseRatio"));
        assertThat(sent).as("the demo's calls and 30 pages of 3 calls each").isGreaterThanOrEqualTo(90);
        // Warm-up, the demo's cold call and the pages' three parallel calls open a few; a connection per request
        // would be 90 and more.
        assertThat(opened).as("connections opened for %d requests", sent).isPositive().isLessThanOrEqualTo(10);
        assertThat(((Number) requests.get("reuseRatio")).doubleValue()).isGreaterThan(0.85);
        assertThat(map(pool.get("hosts"))).containsKey(demo.get("called").toString()
            .replaceAll("^https://([^/]+)/.*$", "$1"));
    }

    @Test
    void onBoot41ItsInetAddressFilterRefusesADeniedAddress() throws Exception {
        assumeThat(SpringBootVersion.getVersion()).as("InetAddressFilter is Spring Boot 4.1's").doesNotStartWith("4.0.");

        HttpResponse<String> profile = get("/profile"); // The "upstream" group calls https://127.0.0.2:9.

        assertThat(profile.statusCode()).isEqualTo(500);
        String log = awaitLog("is refused by the address filter");
        assertThat(log).contains("org.springframework.boot.http.client.FilteredHostException")
            .contains("hotpool: connecting to " + DENIED + " at " + DENIED + " is refused by the address filter "
                    + "Spring Boot's InetAddressFilter; nothing was sent");
        assertThat(get("/aggregate").statusCode()).as("an allowed upstream still answers").isEqualTo(200);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app + path))
            .header("Accept", "application/json")
            .timeout(Duration.ofSeconds(30))
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JsonParserFactory.getJsonParser().parseMap(response.body());
    }

    /** The port Tomcat reports in the log; fails with the log when the application exits or takes too long. */
    private static int awaitPort(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String log = Files.exists(LOG) ? Files.readString(LOG) : "";
            Matcher port = PORT.matcher(log);
            if (port.find() && log.contains("Started SampleApplication")) {
                return Integer.parseInt(port.group(1));
            }
            if (!application.isAlive()) {
                fail("The AOT-processed application exited with " + application.exitValue() + ":\n" + log);
            }
            Thread.sleep(100);
        }
        return fail("The AOT-processed application did not start within " + timeout + ":\n" + Files.readString(LOG));
    }

    /** The log once it contains {@code text} (the server logs a failed request after answering it). */
    private static String awaitLog(String text) throws IOException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            String log = Files.readString(LOG);
            if (log.contains(text)) {
                return log;
            }
            Thread.sleep(100);
        }
        return Files.readString(LOG);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
