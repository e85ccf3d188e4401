package dev.hotpool.internal.tls;

import dev.hotpool.testsupport.TestCertificates;

import java.nio.file.Path;

/**
 * A real HTTPS server (embedded Tomcat or Jetty 12) on 127.0.0.1 with a {@link TestCertificates} key, limited to one
 * TLS protocol. {@code GET /} answers {@code 200} with the body {@code <server> <protocol> sni=<name>} (the SNI
 * name as the server saw it, {@code ?} where the server does not tell), kept alive. {@link #close()} stops it.
 */
interface HttpsTestServer extends AutoCloseable {

    /** The kind of server. */
    enum Kind {

        /** Embedded Tomcat (JSSE, NIO connector). */
        TOMCAT,

        /** Jetty 12 (JSSE via SslContextFactory). */
        JETTY;

        HttpsTestServer start(TestCertificates certs, String protocol, Path workDir) throws Exception {
            return this == TOMCAT ? TomcatHttpsServer.start(certs, protocol, workDir) : JettyHttpsServer.start(certs, protocol);
        }
    }

    int port();

    @Override
    void close() throws Exception;
}
