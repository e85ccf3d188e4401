package dev.hotpool.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Prepares the embedded upstream before any bean exists, so {@code application.yml} can name it like any other
 * service: {@code sample.upstream.certificate} and {@code sample.upstream.private-key} (a fresh self-signed
 * certificate, read by the SSL bundles), and, unless {@code sample.upstream.url} names a real upstream,
 * {@code sample.upstream.url} = {@code https://localhost:<port>} with {@code sample.upstream.port} resolved
 * ({@code 0} picks a free port) and {@code sample.upstream.embedded=true}, which starts {@link EmbeddedUpstream}.
 * Runs after {@code application.yml} is loaded.
 */
class EmbeddedUpstreamEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "sampleEmbeddedUpstream";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> properties = new LinkedHashMap<>();
        SelfSignedCertificate certificate = SelfSignedCertificate.generate();
        properties.put("sample.upstream.certificate", certificate.certificatePem());
        properties.put("sample.upstream.private-key", certificate.privateKeyPem());
        if (!StringUtils.hasText(environment.getProperty("sample.upstream.url"))) {
            int port = environment.getProperty("sample.upstream.port", Integer.class, EmbeddedUpstream.DEFAULT_PORT);
            if (port == 0) {
                port = freeLoopbackPort();
            }
            properties.put("sample.upstream.port", port);
            properties.put("sample.upstream.url", "https://localhost:" + port);
            properties.put("sample.upstream.embedded", true);
        }
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("No free loopback port for the embedded upstream", ex);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
