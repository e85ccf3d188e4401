package dev.hotpool.internal.tls;

import dev.hotpool.testsupport.TestCertificates;

import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSession;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12 serving HTTPS from {@link TestCertificates#serverKeyStore()}. Its {@link SecureRequestCustomizer}
 * requires SNI and checks it against the certificate, so a client that sends no SNI (or a wrong one) gets 400.
 */
final class JettyHttpsServer implements HttpsTestServer {

    private final Server server;
    private final int port;

    private JettyHttpsServer(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    static JettyHttpsServer start(TestCertificates certs, String protocol) throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(certs.serverKeyStore());
        tls.setKeyStorePassword(new String(TestCertificates.PASSWORD));
        tls.setIncludeProtocols(protocol);

        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniRequired(true);
        secure.setSniHostCheck(true);
        http.addCustomizer(secure);

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Hello());
        server.start();
        return new JettyHttpsServer(server, connector.getLocalPort());
    }

    @Override
    public int port() {
        return this.port;
    }

    @Override
    public void close() throws Exception {
        this.server.stop();
    }

    private static final class Hello extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            EndPoint.SslSessionData data = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
            SSLSession session = data.sslSession();
            String sni = session instanceof ExtendedSSLSession ext ? names(ext) : "?";
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            Content.Sink.write(response, true, "jetty " + session.getProtocol() + " sni=" + sni, callback);
            return true;
        }

        private static String names(ExtendedSSLSession session) {
            List<String> names = session.getRequestedServerNames().stream()
                    .map((n) -> n instanceof SNIHostName host ? host.getAsciiName() : n.toString())
                    .collect(Collectors.toList());
            return String.join(",", names);
        }
    }
}
