package dev.hotpool.internal.tls;

import dev.hotpool.Origin;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Using hotpool's TLS leaves the JVM's security setup as the application had it. */
class GlobalSecurityStateTests {

    @Test
    void handshakesRegisterNoBouncyCastleProviderAndKeepSunJsseAsTheDefault() throws Exception {
        List<String> before = providerNames();
        TestCertificates certs = TestCertificates.localhost(KeyType.RSA);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (HandshakeServer server = HandshakeServer.tls(certs.serverSocket(loopback, "TLSv1.3"))) {
            InetSocketAddress address = new InetSocketAddress(loopback, server.port());
            Socket raw = new Socket();
            raw.connect(address, 10_000);
            // TLS 1.3 with an RSA certificate needs RSA-PSS, which only the private BC fallback provides.
            try (SSLSocket socket = new TlsConnector().handshake(raw, Origin.of("https", "localhost", server.port()),
                    address, certs.clientSettings(), 10_000)) {
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
                assertThat(socket.getClass().getName()).startsWith("org.bouncycastle.jsse.");
            }
        }
        assertThat(Security.getProvider("BCJSSE")).isNull();
        assertThat(Security.getProvider("BC")).isNull();
        assertThat(providerNames()).isEqualTo(before);
        assertThat(SSLContext.getDefault().getProvider().getName()).isEqualTo("SunJSSE");
    }

    @Test
    void bouncyCastlesLoggersAreQuietedAndHeld() {
        BcJsse.provider();
        assertThat(Logger.getLogger("org.bouncycastle.jsse").getLevel()).isEqualTo(Level.WARNING);
        assertThat(Logger.getLogger("org.bouncycastle.jsse.provider.ProvTlsClient").getLevel()).isEqualTo(Level.SEVERE);
    }

    private static List<String> providerNames() {
        return Arrays.stream(Security.getProviders()).map(Provider::getName).toList();
    }
}
