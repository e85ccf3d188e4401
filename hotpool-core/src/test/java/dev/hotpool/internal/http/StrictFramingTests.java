package dev.hotpool.internal.http;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.testsupport.LogCapture;
import dev.hotpool.testsupport.StubServer;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every response of the framing corpus ({@code framing-corpus.txt}) over a real loopback connection: it gets the
 * verdict hotpool's rule gives it (delivered with its body, or a {@link MalformedResponseException} naming the origin
 * and what was wrong), and the server sees the next request on the same connection exactly when the verdict is
 * "reuse".
 */
class StrictFramingTests {

    private static final Map<String, FramingCorpus.Case> CASES = FramingCorpus.cases().stream()
            .collect(Collectors.toMap(FramingCorpus.Case::name, c -> c));

    /** The connection (as the server counts them) each request target came on. */
    private static final Map<String, Integer> connectionOf = new ConcurrentHashMap<>();

    private static StubServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = StubServer.http((req, ex) -> {
            connectionOf.put(req.target(), req.connection());
            if (req.target().startsWith("/case/")) {
                FramingCorpus.Case c = CASES.get(req.target().substring(6));
                ex.raw(c.send());
                if (c.serverCloses()) {
                    ex.close();
                }
            }
            else {
                ex.respond(200, "next");
            }
        });
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static List<FramingCorpus.Case> corpus() {
        return FramingCorpus.cases();
    }

    @Test
    void theCorpusHasCasesOfEveryVerdictAndEveryRealServer() {
        assertThat(corpus()).extracting(FramingCorpus.Case::verdict).contains(FramingCorpus.Verdict.values());
        assertThat(corpus()).extracting(FramingCorpus.Case::real).contains("nginx", "Tomcat", "Jetty", "Netty", "Node",
                "Go", "Python");
        assertThat(corpus()).filteredOn(c -> c.real() != null)
                .allMatch(c -> c.verdict() != FramingCorpus.Verdict.ERROR);
    }

    /**
     * The corpus's verdicts against the grammar read independently ({@link ReferenceFraming}): a response is reused
     * exactly when the grammar frames it exactly, lets its connection live, and nothing follows it; an error is never
     * something the grammar frames exactly.
     */
    @Test
    void theIndependentGrammarAgreesWithEveryVerdict() {
        for (FramingCorpus.Case c : corpus()) {
            ReferenceFraming.Result ref = ReferenceFraming.read(c.send(), c.method().equals("HEAD"));
            boolean exactAndReusable = ref != null && ref.reusable() && ref.end() == c.send().length && !c.serverCloses();
            assertThat(exactAndReusable).as(c.name()).isEqualTo(c.verdict() == FramingCorpus.Verdict.REUSE);
            if (c.verdict() == FramingCorpus.Verdict.ERROR) {
                assertThat(ref).as(c.name()).isNull();
            }
            if (ref != null && c.verdict() != FramingCorpus.Verdict.ERROR) {
                assertThat(ref.body()).as(c.name()).isEqualTo(c.body());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachResponseGetsItsVerdictAndItsConnectionItsFate(FramingCorpus.Case c) throws Exception {
        Logger http = (Logger) LoggerFactory.getLogger(Http1Client.class);
        Level level = http.getLevel();
        http.setLevel(Level.DEBUG);
        try (HotPool pool = new HotPool(HotPoolConfig.builder().retryEnabled(false).build());
                LogCapture log = new LogCapture(Http1Client.class)) {
            String origin = "http://localhost:" + server.port();
            String target = "/case/" + c.name();
            HotRequest request = HotRequest.builder(c.method(), server.uri(target)).build();
            if (c.verdict() == FramingCorpus.Verdict.ERROR) {
                assertThatThrownBy(() -> {
                    try (HotResponse response = pool.execute(request)) {
                        response.body().readAllBytes();
                    }
                })
                        .isInstanceOf(MalformedResponseException.class)
                        .hasMessageStartingWith("hotpool: ")
                        .hasMessageContaining(origin)
                        .hasMessageContaining(c.detail());
            }
            else {
                try (HotResponse response = pool.execute(request)) {
                    assertThat(response.body().readAllBytes()).as("body").isEqualTo(c.body());
                }
                if (c.verdict() == FramingCorpus.Verdict.CLOSE && !c.detail().isEmpty()) {
                    assertThat(log.messages()).as("why it was read leniently")
                            .anyMatch(m -> m.contains("was read leniently") && m.contains(c.detail()));
                }
            }
            try (HotResponse next = pool.execute(HotRequest.get(server.uri("/next/" + c.name())))) {
                assertThat(next.body().readAllBytes()).asString().isEqualTo("next");
            }
            boolean sameConnection = connectionOf.get(target).equals(connectionOf.get("/next/" + c.name()));
            assertThat(sameConnection).as("the next request on the same connection")
                    .isEqualTo(c.verdict() == FramingCorpus.Verdict.REUSE);
            assertThat(pool.stats().leased()).isZero();
        }
        finally {
            http.setLevel(level);
        }
    }
}
