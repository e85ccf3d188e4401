package dev.hotpool.internal.tls;

import dev.hotpool.testsupport.TestCertificates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/** Embedded Tomcat serving HTTPS from a PKCS12 file written by {@link TestCertificates#writeKeyStore}. */
final class TomcatHttpsServer implements HttpsTestServer {

    /** Tomcat logs its start and stop through JUL at INFO; held strongly so the level sticks. */
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

    /** Warns on every stop that leak detection needs --add-opens, which these tests do not care about. */
    private static final Logger TOMCAT_LOADER_LOG = Logger.getLogger("org.apache.catalina.loader");

    private final Tomcat tomcat;
    private final int port;

    private TomcatHttpsServer(Tomcat tomcat, int port) {
        this.tomcat = tomcat;
        this.port = port;
    }

    static TomcatHttpsServer start(TestCertificates certs, String protocol, Path workDir) throws Exception {
        TOMCAT_LOG.setLevel(Level.WARNING);
        TOMCAT_LOADER_LOG.setLevel(Level.SEVERE);
        Path base = Files.createTempDirectory(workDir, "tomcat");
        Path keyStore = certs.writeKeyStore(base.resolve("server.p12"));

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("SSLEnabled", "true");
        SSLHostConfig host = new SSLHostConfig();
        host.setProtocols(protocol);
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setCertificateKeystoreFile(keyStore.toAbsolutePath().toString());
        certificate.setCertificateKeystoreType("PKCS12");
        certificate.setCertificateKeystorePassword(new String(TestCertificates.PASSWORD));
        certificate.setCertificateKeyAlias(TestCertificates.SERVER_ALIAS);
        host.addCertificate(certificate);
        connector.addSslHostConfig(host);
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);

        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "hello", new HelloServlet());
        context.addServletMappingDecoded("/", "hello");
        tomcat.start();
        return new TomcatHttpsServer(tomcat, connector.getLocalPort());
    }

    @Override
    public int port() {
        return this.port;
    }

    @Override
    public void close() throws Exception {
        this.tomcat.stop();
        this.tomcat.destroy();
    }

    private static final class HelloServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Object protocol = request.getAttribute("org.apache.tomcat.util.net.secure_protocol_version");
            byte[] body = ("tomcat " + protocol + " sni=?").getBytes(StandardCharsets.UTF_8);
            response.setContentType("text/plain");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
