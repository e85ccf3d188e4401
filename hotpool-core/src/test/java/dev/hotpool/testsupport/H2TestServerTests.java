package dev.hotpool.testsupport;

import dev.hotpool.Header;
import dev.hotpool.internal.http2.FieldBlock;
import dev.hotpool.internal.http2.Frame;
import dev.hotpool.internal.http2.FrameReader;
import dev.hotpool.internal.http2.FrameType;
import dev.hotpool.internal.http2.FrameWriter;
import dev.hotpool.internal.http2.HpackDecoder;
import dev.hotpool.internal.http2.HpackEncoder;
import dev.hotpool.internal.http2.ResponseFields;
import dev.hotpool.internal.http2.Setting;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The raw HTTP/2 test server itself: the JDK's client gets a 200 over HTTP/2 from the default script over TLS; BCJSSE
 * and SunJSSE clients negotiate {@code h2} by ALPN and run an exchange with hotpool's codec, a body larger than the
 * initial window arriving as the client opens it; h2c by prior knowledge works; PING is answered; and {@code close()}
 * ends connection threads that a script left blocked.
 */
class H2TestServerTests {

    private static final TestCertificates CERTS = TestCertificates.localhost(TestCertificates.KeyType.EC);

    private static SSLContext clientContext(Provider provider) throws Exception {
        TrustManagerFactory tmf = provider != null ? TrustManagerFactory.getInstance("PKIX", provider)
                : TrustManagerFactory.getInstance("PKIX");
        tmf.init(CERTS.trustStore());
        SSLContext ctx = provider != null ? SSLContext.getInstance("TLS", provider) : SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }

    @Test
    void theJdkClientGetsA200OverHttp2FromTheDefaultScript() throws Exception {
        try (H2TestServer server = H2TestServer.tls(CERTS, H2TestServer.respond(200, "hello h2"))) {
            HttpClient client = HttpClient.newBuilder().sslContext(clientContext(null))
                    .version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello h2");
            HttpResponse<String> second = client.send(HttpRequest.newBuilder(server.uri("/again"))
                    .POST(HttpRequest.BodyPublishers.ofString("ping")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(server.connectionsAccepted()).isEqualTo(1);
            assertThat(server.tlsHandshakes()).isEqualTo(1);
            assertThat(server.requestsServed()).isEqualTo(2);
            List<H2TestServer.Request> log = server.requestLog();
            assertThat(log.get(0).field(":path")).isEqualTo("/hello");
            assertThat(log.get(0).field(":method")).isEqualTo("GET");
            assertThat(log.get(0).field(":scheme")).isEqualTo("https");
            assertThat(log.get(1).field(":method")).isEqualTo("POST");
            assertThat(new String(log.get(1).body(), StandardCharsets.UTF_8)).isEqualTo("ping");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "SunJSSE", "BCJSSE" })
    void bothTlsProvidersNegotiateH2AndReadABodyLargerThanTheWindow(String provider) throws Exception {
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        try (H2TestServer server = H2TestServer.tls(CERTS, H2TestServer.respond(
                (request) -> new H2TestServer.Response(200, List.of(new Header("x-path", request.field(":path"))),
                        big)))) {
            SSLContext ctx = clientContext(provider.equals("BCJSSE") ? new BouncyCastleJsseProvider() : null);
            // By host name (an IP literal): BCJSSE checks the endpoint against the name the socket was made for.
            try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.port())) {
                SSLParameters p = socket.getSSLParameters();
                p.setApplicationProtocols(new String[] { "h2", "http/1.1" });
                p.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(p);
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
                Client client = new Client(socket);
                client.start();
                client.get(1, "/big");
                Exchange answer = client.readResponse(1);
                assertThat(answer.head().status()).isEqualTo(200);
                assertThat(answer.head().fields()).contains(new Header("x-path", "/big"));
                assertThat(answer.head().contentLength()).isEqualTo(big.length);
                assertThat(answer.body()).isEqualTo(big);
                assertThat(answer.dataFrames()).isGreaterThan(big.length / 16384);
            }
            assertThat(server.tlsHandshakes()).isEqualTo(1);
        }
    }

    @Test
    void h2cByPriorKnowledgeAndPingAreServed() throws Exception {
        try (H2TestServer server = H2TestServer.h2c(H2TestServer.respond(204, ""));
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            Client client = new Client(socket);
            client.start();
            client.writer.ping(0x1122334455667788L);
            client.flush();
            Frame ack = client.next(FrameType.PING);
            assertThat(ack.isAck()).isTrue();
            assertThat(ack.pingData()).isEqualTo(0x1122334455667788L);
            client.get(1, "/a");
            client.get(3, "/b");
            assertThat(client.readResponse(1).head().status()).isEqualTo(204);
            assertThat(client.readResponse(3).head().status()).isEqualTo(204);
            assertThat(server.tlsHandshakes()).isZero();
            assertThat(server.requestLog()).extracting(r -> r.field(":path")).containsExactly("/a", "/b");
        }
    }

    @Test
    void closeEndsConnectionThreadsThatAScriptLeftBlocked() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        H2TestServer server = H2TestServer.h2c(peer -> {
            try {
                peer.readPreface();
                reading.countDown();
                peer.readFrame(); // Never comes: the client sends nothing more.
            }
            finally {
                ended.countDown();
            }
        });
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.getOutputStream().write(FrameWriter.CLIENT_PREFACE);
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
            server.close();
            assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), server.port()).close())
                .isInstanceOf(IOException.class);
    }

    /** A response as the test client read it. */
    private record Exchange(ResponseFields.Head head, byte[] body, int dataFrames) {
    }

    /** A minimal client on hotpool's codec: enough to drive the server. */
    private static final class Client {

        final OutputStream out;
        final FrameWriter writer;
        final FrameReader reader;
        final HpackEncoder encoder = new HpackEncoder(4096);
        final HpackDecoder decoder = new HpackDecoder(4096, 65536, "test server");
        final String authority;

        Client(Socket socket) throws IOException {
            this.out = new BufferedOutputStream(socket.getOutputStream());
            this.writer = new FrameWriter(this.out);
            this.reader = new FrameReader(socket.getInputStream(), 16384, "test server");
            this.authority = "localhost:" + socket.getPort();
        }

        void start() throws IOException {
            this.writer.preface();
            this.writer.settings(List.of(new Setting(Setting.ENABLE_PUSH, 0),
                    new Setting(Setting.INITIAL_WINDOW_SIZE, 65535)));
            flush();
            Frame settings = next(FrameType.SETTINGS);
            assertThat(settings.isAck()).isFalse();
            assertThat(settings.settings()).contains(new Setting(Setting.MAX_CONCURRENT_STREAMS, 100));
            this.writer.settingsAck();
            flush();
        }

        void get(int streamId, String path) throws IOException {
            this.writer.headers(streamId, this.encoder.encode(List.of(new Header(":method", "GET"),
                    new Header(":authority", this.authority), new Header(":scheme", "https"),
                    new Header(":path", path))), true);
            flush();
        }

        void flush() throws IOException {
            this.out.flush();
        }

        /** The next frame of the type, skipping SETTINGS acknowledgements and WINDOW_UPDATEs. */
        Frame next(int type) throws IOException {
            while (true) {
                Frame f = this.reader.read();
                if (f.type() == type) {
                    return f;
                }
            }
        }

        /** Reads one stream's response, opening the windows after each DATA frame. */
        Exchange readResponse(int streamId) throws IOException {
            Frame h = next(FrameType.HEADERS);
            assertThat(h.streamId()).isEqualTo(streamId);
            FieldBlock block = new FieldBlock(65536, "test server");
            Frame f = h;
            while (!block.add(f)) {
                f = this.reader.read();
            }
            ResponseFields.Head head = ResponseFields.check(this.decoder.decode(block.array(), block.offset(),
                    block.length(), streamId), false, streamId, "test server");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int frames = 0;
            boolean ended = h.isEndStream();
            while (!ended) {
                Frame d = next(FrameType.DATA);
                assertThat(d.streamId()).isEqualTo(streamId);
                body.write(d.payload(), d.payloadOffset(), d.payloadLength());
                frames++;
                ended = d.isEndStream();
                if (!ended && d.length() > 0) {
                    this.writer.windowUpdate(0, d.length());
                    this.writer.windowUpdate(streamId, d.length());
                    flush();
                }
            }
            return new Exchange(head, body.toByteArray(), frames);
        }
    }
}
