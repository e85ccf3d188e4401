package dev.hotpool.internal.http;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.RequestBody;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redirects of every method, followed as HttpClient 5 follows them. The server answers {@code /from/<status>} with
 * that status and {@code Location: /to}, and records what reached {@code /to}.
 */
class RedirectTests {

    private final List<String> arrived = new CopyOnWriteArrayList<>();

    private final StubServer other = StubServer.http((req, ex) -> {
        this.arrived.add("other " + req.method() + " auth=" + req.header("Authorization") + " cookie="
                + req.header("Cookie"));
        ex.respond(200, "other");
    });

    private final StubServer server = StubServer.http((req, ex) -> {
        String target = req.target();
        if (target.startsWith("/from/")) {
            ex.respond(Integer.parseInt(target.substring(6)), "", "Location: /to");
        }
        else if (target.equals("/away")) {
            ex.respond(302, "", "Location: " + this.other.uri("/landing"));
        }
        else {
            this.arrived.add(req.method() + " " + target + " body=" + req.bodyText() + " auth="
                    + req.header("Authorization"));
            ex.respond(200, "landed");
        }
    });

    private final HotPool pool = new HotPool(HotPoolConfig.builder().build());

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server, () -> this.other);

    RedirectTests() throws IOException {
    }

    private HotResponse send(String method, String path, RequestBody body) throws IOException {
        HotRequest.Builder b = HotRequest.builder(method, this.server.uri(path)).header("Authorization", "Bearer t");
        if (body != null) {
            b.body(body);
        }
        return this.pool.execute(b.build());
    }

    @ParameterizedTest(name = "{0} answered {1}")
    @CsvSource({ "POST, 301, GET /to body= auth=Bearer t", "POST, 302, GET /to body= auth=Bearer t",
            "POST, 303, GET /to body= auth=Bearer t", "PUT, 303, GET /to body= auth=Bearer t",
            "DELETE, 303, GET /to body= auth=Bearer t", "PUT, 302, PUT /to body=data auth=Bearer t",
            "PATCH, 301, PATCH /to body=data auth=Bearer t", "POST, 307, POST /to body=data auth=Bearer t",
            "POST, 308, POST /to body=data auth=Bearer t", "DELETE, 307, DELETE /to body=data auth=Bearer t" })
    void aReplayableBodyFollowsAsHttpClient5Does(String method, int status, String expected) throws IOException {
        try (HotResponse response = send(method, "/from/" + status, RequestBody.of("data".getBytes()))) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("landed");
        }
        assertThat(this.arrived).containsExactly(expected);
    }

    @Test
    void headStaysHeadOn303() throws IOException {
        try (HotResponse response = send("HEAD", "/from/303", null)) {
            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(this.arrived).containsExactly("HEAD /to body= auth=Bearer t");
    }

    @ParameterizedTest(name = "307/308 and 301/302 that keep the method return the redirect: {0}")
    @CsvSource({ "POST, 307", "POST, 308", "PUT, 302", "PATCH, 301" })
    void aBodyThatCannotBeReplayedIsNotSentAgainAndTheCallerGetsTheRedirect(String method, int status)
            throws IOException {
        try (HotResponse response = send(method, "/from/" + status, new OnceBody())) {
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("Location")).isEqualTo("/to");
        }
        assertThat(this.arrived).isEmpty();
    }

    @Test
    void aPostTurnedIntoAGetFollowsEvenWhenItsBodyCannotBeReplayed() throws IOException {
        try (HotResponse response = send("POST", "/from/302", new OnceBody())) {
            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(this.arrived).containsExactly("GET /to body= auth=Bearer t");
    }

    @Test
    void credentialsAndCookiesDoNotTravelToAnotherOrigin() throws IOException {
        HotRequest request = HotRequest.builder("GET", this.server.uri("/away")).header("Authorization", "Bearer t")
                .header("Cookie", "sid=1").build();
        try (HotResponse response = this.pool.execute(request)) {
            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(this.arrived).containsExactly("other GET auth=null cookie=null");
    }

    /** A body that can be written once. */
    private static final class OnceBody implements RequestBody {

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write("data".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public long contentLength() {
            return 4;
        }

        @Override
        public boolean repeatable() {
            return false;
        }
    }
}
