package dev.hotpool.spring;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.hotpool.HotPool;
import dev.hotpool.HotRequest;
import dev.hotpool.RedirectPolicy;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.tls.TlsSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.StreamUtils;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link HotPoolClientHttpRequestFactory} and its requests and responses, against a loopback server.
 */
class HotPoolClientHttpRequestFactoryTests {

    private final HotPool pool = new HotPool();

    private final HotPoolClientHttpRequestFactory factory = new HotPoolClientHttpRequestFactory(this.pool);

    private final List<StubServer.Request> received = new CopyOnWriteArrayList<>();

    private StubServer server;

    @AfterEach
    void close() {
        this.pool.close();
        if (this.server != null) {
            this.server.close();
        }
    }

    @Test
    void headersGoInTheCallersOrderWithEveryValue() throws IOException {
        startServer((request, exchange) -> exchange.respond(200, "ok"));
        ClientHttpRequest request = this.factory.createRequest(this.server.uri("/headers"), HttpMethod.GET);
        request.getHeaders().add("X-Second", "b");
        request.getHeaders().add("X-First", "a1");
        request.getHeaders().add("X-First", "a2");
        request.getHeaders().add("X-Third", "c");
        try (ClientHttpResponse response = request.execute()) {
            assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        }
        List<String> sent = new ArrayList<>();
        for (String[] header : this.received.get(0).headers()) {
            if (header[0].startsWith("X-")) {
                sent.add(header[0] + ": " + header[1]);
            }
        }
        assertThat(sent).containsExactly("X-Second: b", "X-First: a1", "X-First: a2", "X-Third: c");
    }

    @Test
    void bodyWrittenToTheOutputStreamGoesWithTheCallersContentLength() throws IOException {
        startServer((request, exchange) -> exchange.respond(200, request.bodyText()));
        ClientHttpRequest request = this.factory.createRequest(this.server.uri("/post"), HttpMethod.POST);
        byte[] body = "hello, pool".getBytes(StandardCharsets.UTF_8);
        request.getHeaders().setContentLength(body.length);
        request.getBody().write(body);
        try (ClientHttpResponse response = request.execute()) {
            assertThat(StreamUtils.copyToString(response.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello, pool");
        }
        StubServer.Request sent = this.received.get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.header("Content-Length")).isEqualTo(Integer.toString(body.length));
        assertThat(sent.header("Transfer-Encoding")).isNull();
    }

    @Test
    void streamingBodyOfUnknownLengthIsSentChunked() throws IOException {
        startServer((request, exchange) -> exchange.respond(200, request.bodyText()));
        ClientHttpRequest request = this.factory.createRequest(this.server.uri("/stream"), HttpMethod.PUT);
        ((StreamingHttpOutputMessage) request).setBody((out) -> {
            out.write("part one, ".getBytes(StandardCharsets.UTF_8));
            out.flush();
            out.write("part two".getBytes(StandardCharsets.UTF_8));
            out.close(); // Closing what Spring handed out must not close the connection.
        });
        try (ClientHttpResponse response = request.execute()) {
            assertThat(StreamUtils.copyToString(response.getBody(), StandardCharsets.UTF_8))
                .isEqualTo("part one, part two");
        }
        assertThat(this.received.get(0).header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(this.received.get(0).header("Content-Length")).isNull();
    }

    @Test
    void responseCarriesStatusReasonHeadersAndBody() throws IOException {
        startServer((request, exchange) -> exchange.respond(404, "nothing here", "X-Reply: one", "X-Reply: two"));
        try (ClientHttpResponse response = this.factory.createRequest(this.server.uri("/missing"), HttpMethod.GET)
            .execute()) {
            assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(response.getStatusText()).isEqualTo("Not Found");
            assertThat(response.getHeaders().get("X-Reply")).containsExactly("one", "two");
            assertThat(response.getHeaders().getContentLength()).isEqualTo(12);
            try (InputStream body = response.getBody()) {
                assertThat(StreamUtils.copyToString(body, StandardCharsets.UTF_8)).isEqualTo("nothing here");
            }
        }
    }

    @Test
    void closedResponsesGiveTheirConnectionBackForTheNextRequest() throws IOException {
        startServer(StubServer.ECHO_PATH);
        RestClient restClient = RestClient.builder().requestFactory(this.factory).build();
        for (int i = 0; i < 5; i++) {
            assertThat(restClient.get().uri(this.server.uri("/" + i)).retrieve().body(String.class)).isEqualTo("/" + i);
        }
        assertThat(this.server.connectionsAccepted()).isEqualTo(1);
        assertThat(this.pool.stats().reusedLeases()).isEqualTo(4);
    }

    @Test
    void headerValueWithCrLfFailsBeforeAnythingIsSent() throws IOException {
        startServer(StubServer.ECHO_PATH);
        ClientHttpRequest request = this.factory.createRequest(this.server.uri("/evil"), HttpMethod.GET);
        request.getHeaders().add("X-Evil", "a\r\nInjected: yes");
        assertThatIllegalArgumentException().isThrownBy(request::execute)
            .withMessageContaining("X-Evil")
            .withMessageContaining("nothing was sent");
        assertThat(this.server.connectionsAccepted()).isZero();
        assertThat(this.server.requestsServed()).isZero();
    }

    @Test
    void factorySettingsReachTheRequests() {
        TlsSettings tls = TlsSettings.of("custom", null, null, null);
        HotPoolClientHttpRequestFactory configured = this.factory.withConnectTimeout(Duration.ofSeconds(2))
            .withReadTimeout(Duration.ofSeconds(3))
            .withRedirects(RedirectPolicy.DONT_FOLLOW)
            .withTls(tls);
        HotPoolClientHttpRequest request = (HotPoolClientHttpRequest) configured
            .createRequest(URI.create("https://localhost:8443/a?b=c"), HttpMethod.DELETE);
        HotRequest hotRequest = request.toHotRequest(new HttpHeaders(), null);
        assertThat(hotRequest.method()).isEqualTo("DELETE");
        assertThat(hotRequest.target()).isEqualTo("/a?b=c");
        assertThat(hotRequest.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(hotRequest.readTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(hotRequest.redirects()).isEqualTo(RedirectPolicy.DONT_FOLLOW);
        assertThat(hotRequest.tls()).isSameAs(tls);
        assertThat(hotRequest.body()).isNull();
    }

    @Test
    void defaultFactoryLeavesTimeoutsAndTlsToThePool() {
        HotPoolClientHttpRequest request = (HotPoolClientHttpRequest) this.factory
            .createRequest(URI.create("http://localhost:8080/"), HttpMethod.GET);
        HotRequest hotRequest = request.toHotRequest(new HttpHeaders(), null);
        assertThat(hotRequest.connectTimeout()).isNull();
        assertThat(hotRequest.readTimeout()).isNull();
        assertThat(hotRequest.tls()).isNull();
        assertThat(hotRequest.redirects()).isEqualTo(RedirectPolicy.FOLLOW);
    }

    @Test
    void bodyKeepsSpringsRepeatabilityAndTheCallersLength() {
        HotPoolClientHttpRequest request = (HotPoolClientHttpRequest) this.factory
            .createRequest(URI.create("http://localhost:8080/"), HttpMethod.POST);
        HttpHeaders headers = new HttpHeaders();
        headers.setContentLength(3);
        HotRequest repeatable = request.toHotRequest(headers, new StreamingHttpOutputMessage.Body() {
            @Override
            public void writeTo(java.io.OutputStream out) throws IOException {
                out.write(new byte[] { 1, 2, 3 });
            }

            @Override
            public boolean repeatable() {
                return true;
            }
        });
        assertThat(repeatable.body().contentLength()).isEqualTo(3);
        assertThat(repeatable.body().repeatable()).isTrue();
        HotRequest oneShot = request.toHotRequest(new HttpHeaders(), (out) -> out.write(1));
        assertThat(oneShot.body().contentLength()).isEqualTo(-1);
        assertThat(oneShot.body().repeatable()).isFalse();
    }

    private void startServer(StubServer.Handler handler) throws IOException {
        this.server = StubServer.http((request, exchange) -> {
            this.received.add(request);
            handler.handle(request, exchange);
        });
    }
}
