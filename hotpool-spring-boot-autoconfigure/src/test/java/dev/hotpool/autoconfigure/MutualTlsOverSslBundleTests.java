package dev.hotpool.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import dev.hotpool.TlsHandshakeException;
import dev.hotpool.testsupport.LoopbackServer;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Mutual TLS with nothing but properties: an SSL bundle with a trust store and a key store, named by
 * {@code hotpool.tls.bundle}, makes the pool present the bundle's certificate to a server that requires one; a
 * bundle without a key gets a failure that says the server requires a client certificate.
 */
class MutualTlsOverSslBundleTests {

    private static final TestCertificates SERVER = TestCertificates.localhost(KeyType.RSA);

    private static final TestCertificates CLIENT = TestCertificates.forHosts(KeyType.EC, "client.hotpool.test");

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class, SslAutoConfiguration.class,
                HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
                RestClientAutoConfiguration.class));

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = { "TLSv1.3", "TLSv1.2" })
    void serverRequiringAClientCertificateGetsTheBundlesCertificate(String protocol) throws Exception {
        try (LoopbackServer server = peerEchoServer(SERVER.clientAuthServerSocket(InetAddress.getLoopbackAddress(),
                CLIENT, protocol))) {
            this.contextRunner.withPropertyValues(bundle(true)).run((context) -> {
                RestClient client = context.getBean(RestClient.Builder.class).build();
                String peer = client.get().uri("https://localhost:" + server.port() + "/").retrieve().body(String.class);
                assertThat(peer).isEqualTo(CLIENT.certificate().getSubjectX500Principal().getName());
            });
        }
    }

    /**
     * Over TLS 1.2 the handshake fails. (Over TLS 1.3 the server's verdict comes after the handshake, on the first
     * read: see the core's {@code MutualTlsTests}.)
     */
    @Test
    void bundleWithoutAKeyFailsSayingTheServerRequiresAClientCertificate() throws Exception {
        try (LoopbackServer server = peerEchoServer(SERVER.clientAuthServerSocket(InetAddress.getLoopbackAddress(),
                CLIENT, "TLSv1.2"))) {
            this.contextRunner.withPropertyValues(bundle(false)).run((context) -> {
                RestClient client = context.getBean(RestClient.Builder.class).build();
                assertThatExceptionOfType(ResourceAccessException.class)
                    .isThrownBy(() -> client.get().uri("https://localhost:" + server.port() + "/").retrieve()
                        .body(String.class))
                    .havingCause()
                    .isInstanceOf(TlsHandshakeException.class)
                    .withMessage("hotpool: TLS handshake with https://localhost:" + server.port() + " (127.0.0.1:"
                            + server.port() + ") using profile 'default' failed: server requires a client certificate");
            });
        }
    }

    private String[] bundle(boolean withKey) {
        String trust = SERVER.writeTrustStore(this.dir.resolve("trust.p12")).toUri().toString();
        String keys = CLIENT.writeKeyStore(this.dir.resolve("client.p12")).toUri().toString();
        String password = new String(TestCertificates.PASSWORD);
        String prefix = "spring.ssl.bundle.jks.client.";
        if (!withKey) {
            return new String[] { "hotpool.tls.bundle=client", prefix + "truststore.location=" + trust,
                    prefix + "truststore.password=" + password, prefix + "truststore.type=PKCS12" };
        }
        return new String[] { "hotpool.tls.bundle=client", prefix + "truststore.location=" + trust,
                prefix + "truststore.password=" + password, prefix + "truststore.type=PKCS12",
                prefix + "keystore.location=" + keys, prefix + "keystore.password=" + password,
                prefix + "keystore.type=PKCS12" };
    }

    /**
     * An HTTPS server on a socket that requires client certificates: answers every request with the client
     * certificate's subject and closes the connection.
     */
    private static LoopbackServer peerEchoServer(SSLServerSocket listener) {
        return LoopbackServer.over(listener).serve("peer-echo-server", (socket) -> {
            socket.setSoTimeout(10_000);
            answerWithThePeer((SSLSocket) socket);
        });
    }

    private static void answerWithThePeer(SSLSocket socket) throws IOException {
        InputStream in = socket.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                return;
            }
            matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        String peer;
        try {
            peer = socket.getSession().getPeerPrincipal().getName();
        }
        catch (SSLPeerUnverifiedException ex) {
            peer = "none";
        }
        byte[] body = peer.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }
}
