package dev.hotpool.testsupport;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
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
 * Jetty 12 speaking HTTP/2 on 127.0.0.1: a TLS connector that negotiates {@code h2} or {@code http/1.1} by ALPN (the
 * JDK's own ALPN, {@code jetty-alpn-java-server}), with {@code http/1.1} for clients that offer no ALPN, and a
 * cleartext connector that speaks HTTP/2 by prior knowledge ({@code h2c}). Every request is answered {@code 200} with
 * the body {@code jetty <protocol>} ({@code jetty HTTP/2.0}). {@link #close()} stops it.
 */
public final class JettyH2Server implements AutoCloseable {

    private final Server server;
    private final int tlsPort;
    private final int h2cPort;

    private JettyH2Server(Server server, int tlsPort, int h2cPort) {
        this.server = server;
        this.tlsPort = tlsPort;
        this.h2cPort = h2cPort;
    }

    /** Starts both connectors with the certificates' server key (use an EC key: see notes on BCJSSE and RSA-PSS). */
    public static JettyH2Server start(TestCertificates certs) throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(certs.serverKeyStore());
        tls.setKeyStorePassword(new String(TestCertificates.PASSWORD));

        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new SecureRequestCustomizer());
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        // Without arguments it offers the protocols of the connector's factories after it: h2, then http/1.1.
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(h1.getProtocol());

        Server server = new Server();
        ServerConnector secure = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2,
                h1);
        secure.setHost("127.0.0.1");
        secure.setPort(0);
        server.addConnector(secure);
        ServerConnector cleartext = new ServerConnector(server, new HTTP2CServerConnectionFactory(new HttpConfiguration()));
        cleartext.setHost("127.0.0.1");
        cleartext.setPort(0);
        server.addConnector(cleartext);
        server.setHandler(new Answer());
        try {
            server.start();
        }
        catch (Exception ex) {
            server.stop();
            throw ex;
        }
        return new JettyH2Server(server, secure.getLocalPort(), cleartext.getLocalPort());
    }

    /** The port of the TLS connector (ALPN: h2, http/1.1). */
    public int tlsPort() {
        return this.tlsPort;
    }

    /** The port of the cleartext HTTP/2 (prior knowledge) connector. */
    public int h2cPort() {
        return this.h2cPort;
    }

    @Override
    public void close() throws Exception {
        this.server.stop();
    }

    private static final class Answer extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            Content.Sink.write(response, true, "jetty " + request.getConnectionMetaData().getProtocol(), callback);
            return true;
        }
    }
}
