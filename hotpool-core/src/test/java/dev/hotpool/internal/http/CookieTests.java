package dev.hotpool.internal.http;

import dev.hotpool.HotPool;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.StubServer;

import java.io.IOException;
import java.net.CookieManager;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A request's cookie store: cookies taken from responses (redirects included) and sent back, one store per caller. */
class CookieTests {

    private final List<String> cookiesReceived = new CopyOnWriteArrayList<>();

    private final StubServer server = StubServer.http((req, ex) -> {
        this.cookiesReceived.add(req.target() + " " + req.header("Cookie"));
        switch (req.target()) {
            case "/login" -> ex.respond(200, "in", "Set-Cookie: sid=abc; Path=/");
            case "/hop" -> ex.respond(302, "", "Set-Cookie: hop=1; Path=/", "Location: /landing");
            default -> ex.respond(200, "ok");
        }
    });

    private final HotPool pool = new HotPool();

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.server);

    CookieTests() throws IOException {
    }

    private void get(String path, CookieManager cookies, String... headers) throws IOException {
        HotRequest.Builder b = HotRequest.builder("GET", this.server.uri(path)).cookies(cookies);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try (HotResponse response = this.pool.execute(b.build())) {
            response.body().readAllBytes();
        }
    }

    @Test
    void aStoreKeepsTheCookiesOfResponsesAndSendsThemBackInOneHeader() throws IOException {
        CookieManager store = new CookieManager();
        get("/login", store);
        get("/page", store);
        get("/page2", store, "Cookie", "mine=1");

        assertThat(this.cookiesReceived).containsExactly("/login null", "/page sid=abc", "/page2 mine=1; sid=abc");
    }

    @Test
    void withoutAStoreOrWithAnotherNoCookieIsSent() throws IOException {
        get("/login", new CookieManager());
        get("/page", null);
        get("/page", new CookieManager());

        assertThat(this.cookiesReceived).containsExactly("/login null", "/page null", "/page null");
    }

    @Test
    void everyHopOfARedirectTakesAndGivesItsCookies() throws IOException {
        CookieManager store = new CookieManager();
        get("/hop", store);

        assertThat(this.cookiesReceived).containsExactly("/hop null", "/landing hop=1");
    }
}
