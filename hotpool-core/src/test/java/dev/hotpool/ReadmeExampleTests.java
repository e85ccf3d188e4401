package dev.hotpool;

import dev.hotpool.testsupport.StubServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plain-Java example of the README, run against a loopback server: the code between the markers in
 * {@link #example} is the README's, line for line (the server's address aside), so the example cannot rot.
 */
class ReadmeExampleTests {

    private static final String START = "// README example: start";

    private static final String END = "// README example: end";

    /** A line of the test logger (logback-test.xml), which writes to {@code System.out} too: {@code 05:23:15.046 INFO }. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} ");

    /** The line of the example that names the server: the README's names a real one, the test's the stub. */
    private static final String ADDRESS_LINE = "URI api = ";

    @Test
    void theExampleSendsAGetAndAPostOverOneKeptAliveConnection() throws IOException {
        List<String> bodies = new CopyOnWriteArrayList<>();
        StubServer.Handler orders = (request, exchange) -> {
            bodies.add(request.bodyText());
            if (request.method().equals("POST")) {
                exchange.respond(201, "", "Location: /orders/43");
            }
            else {
                exchange.respond(200, "{\"id\":42}", "Content-Type: application/json");
            }
        };
        try (StubServer server = StubServer.http(orders)) {
            List<String> printed = printedBy(() -> example(server));

            assertThat(printed).hasSize(3);
            assertThat(printed.get(0)).isEqualTo("200 {\"id\":42}");
            assertThat(printed.get(1)).isEqualTo("201 /orders/43 reused=true");
            assertThat(printed.get(2)).contains("[leased: 0][idle: 1]");
            assertThat(server.requestLog()).containsExactly("GET /orders/42", "POST /orders");
            assertThat(bodies).containsExactly("", "{\"item\":42}");
            assertThat(server.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void theReadmeShowsTheExampleThisTestRuns() throws IOException {
        List<String> readme = readmeExample();
        List<String> tested = testedExample();

        assertThat(readme).as("README.md's plain-Java example").isNotEmpty();
        assertThat(readme.get(0)).startsWith(ADDRESS_LINE + "URI.create(\"https://");
        assertThat(tested.get(0)).startsWith(ADDRESS_LINE);
        assertThat(readme.subList(1, readme.size()))
            .as("README.md's plain-Java example, against the code ReadmeExampleTests runs")
            .containsExactlyElementsOf(tested.subList(1, tested.size()));
    }

    /** The README's example; {@code api} is the stub server instead of a real one. */
    private static void example(StubServer server) throws IOException {
        // README example: start
        URI api = server.uri("");
        HotPoolConfig config = HotPoolConfig.builder()
                .maxConnsPerHost(10)                                  // hotpool.max-conns-per-host
                .acquireTimeout(Duration.ofSeconds(5))                // hotpool.acquire-timeout
                .build();
        try (HotPool pool = new HotPool(config)) {                    // one pool per application; thread-safe
            try (HotResponse response = pool.execute(HotRequest.get(api.resolve("/orders/42")))) {
                String order = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                System.out.println(response.status() + " " + order);
            }                                                         // the connection goes back to the pool
            HotRequest create = HotRequest.builder("POST", api.resolve("/orders"))
                    .header("Content-Type", "application/json")
                    .body("{\"item\":42}".getBytes(StandardCharsets.UTF_8))
                    .build();
            try (HotResponse response = pool.execute(create)) {       // the same kept-alive connection
                System.out.println(response.status() + " " + response.header("Location")
                        + " reused=" + response.reused());
            }
            System.out.println(pool.stats());                         // [leased: 0][idle: 1][connecting: 0]…
        }
        // README example: end
    }

    /** What a piece of code prints to {@code System.out}, line by line, without the test logger's lines. */
    private static List<String> printedBy(IoAction action) throws IOException {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        }
        finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter((l) -> !LOG_LINE.matcher(l).find()).toList();
    }

    /** The first {@code java} block of README.md that makes a {@code HotPool}, without its common indentation. */
    private static List<String> readmeExample() throws IOException {
        Path readme = Path.of("").toAbsolutePath().resolve("../README.md").normalize();
        List<String> block = new ArrayList<>();
        boolean inJava = false;
        for (String line : Files.readAllLines(readme)) {
            if (!inJava && line.strip().equals("```java")) {
                inJava = true;
                block.clear();
            }
            else if (inJava && line.strip().equals("```")) {
                inJava = false;
                if (block.stream().anyMatch((l) -> l.contains("new HotPool("))) {
                    return unindented(block);
                }
            }
            else if (inJava) {
                block.add(line);
            }
        }
        return List.of();
    }

    /** The lines between the markers in this class's source, without their common indentation. */
    private static List<String> testedExample() throws IOException {
        Path source = Path.of("src/test/java/dev/hotpool/ReadmeExampleTests.java").toAbsolutePath();
        List<String> lines = Files.readAllLines(source);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(START)) {
                start = i + 1;
            }
            else if (start >= 0 && lines.get(i).strip().equals(END)) {
                return unindented(lines.subList(start, i));
            }
        }
        throw new AssertionError("no example between the markers in " + source);
    }

    private static List<String> unindented(List<String> lines) {
        int indent = lines.stream()
            .filter((l) -> !l.isBlank())
            .mapToInt((l) -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
        return lines.stream().map((l) -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}
