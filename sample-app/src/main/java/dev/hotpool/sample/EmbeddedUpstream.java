package dev.hotpool.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.hotpool.autoconfigure.HotPoolProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.ssl.SslBundles;

/**
 * The service this application calls when no real upstream is configured: an HTTPS server on loopback (the JDK's
 * {@code HttpsServer}, HTTP/1.1 keep-alive) whose key and certificate come from the SSL bundle
 * {@value #SERVER_BUNDLE}. It listens on {@code sample.upstream.port} at every address the pool uses for
 * {@code localhost} ({@code hotpool.addresses[localhost]}, else what {@code localhost} resolves to), so the status
 * page shows the pool spreading connections over them.
 *
 * <p>It starts when the bean is created, not with the context's lifecycle: it stands in for a service that is up
 * before the application, and the pool warms connections to it while the context is still starting
 * ({@link SampleApplication#upstreamBeforePool()} orders it first). Thread-safe.
 */
class EmbeddedUpstream implements InitializingBean, DisposableBean {

    static final int DEFAULT_PORT = 8443;

    static final String SERVER_BUNDLE = "sample-upstream-server";

    private static final Log logger = LogFactory.getLog(EmbeddedUpstream.class);

    /** Path → JSON answer; {@code /api/recommendations} also takes {@value #SLOW_PATH_MILLIS} ms, like a query. */
    private static final Map<String, String> ANSWERS = Map.of(
            "/api/profile", "{\"id\":42,\"name\":\"Ada Lovelace\",\"tier\":\"gold\"}",
            "/api/orders", "[{\"id\":\"o-1001\",\"total\":59.90},{\"id\":\"o-1002\",\"total\":12.50}]",
            "/api/recommendations", "{\"items\":[\"difference engine\",\"analytical engine\",\"punched cards\"]}",
            "/health", "{\"status\":\"UP\"}");

    private static final int SLOW_PATH_MILLIS = 20;

    private final SslBundles sslBundles;

    private final HotPoolProperties poolProperties;

    private final int port;

    private final AtomicLong connections = new AtomicLong();

    private final AtomicLong requests = new AtomicLong();

    private final List<HttpsServer> servers = new ArrayList<>();

    private ExecutorService executor;

    EmbeddedUpstream(SslBundles sslBundles, HotPoolProperties poolProperties, int port) {
        this.sslBundles = sslBundles;
        this.poolProperties = poolProperties;
        this.port = port;
    }

    @Override
    public void afterPropertiesSet() throws IOException {
        // The JDK server writes a response's head and body separately; without TCP_NODELAY the body waits for the
        // client's delayed ACK (about 40 ms here). Read once, when the JDK's server classes are first used.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        SSLContext tls = this.sslBundles.getBundle(SERVER_BUNDLE).createSslContext();
        this.executor = Executors.newFixedThreadPool(8, daemonThreads());
        List<InetAddress> addresses = addresses();
        for (InetAddress address : addresses) {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(address, this.port), 64);
            server.setHttpsConfigurator(new CountingConfigurator(tls));
            server.createContext("/", this::answer);
            server.setExecutor(this.executor);
            server.start();
            this.servers.add(server);
        }
        logger.info("Embedded upstream listening on https://localhost:" + this.port + " at "
                + addresses.stream().map(InetAddress::getHostAddress).toList() + " (certificate from SSL bundle '"
                + SERVER_BUNDLE + "')");
    }

    private List<InetAddress> addresses() throws IOException {
        List<String> configured = this.poolProperties.getAddresses().get("localhost");
        List<InetAddress> addresses = new ArrayList<>();
        if (configured == null || configured.isEmpty()) {
            addresses.addAll(List.of(InetAddress.getAllByName("localhost")));
        }
        else {
            for (String address : configured) {
                addresses.add(InetAddress.getByName(address));
            }
        }
        for (InetAddress address : addresses) {
            if (!address.isLoopbackAddress()) {
                throw new IllegalStateException("The embedded upstream only listens on loopback, but localhost is "
                        + address.getHostAddress() + " (hotpool.addresses[localhost])");
            }
        }
        return addresses;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            this.requests.incrementAndGet();
            String answer = ANSWERS.get(exchange.getRequestURI().getPath());
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            if (answer == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (exchange.getRequestURI().getPath().equals("/api/recommendations")) {
                pause();
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (head) {
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(SLOW_PATH_MILLIS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** TLS connections accepted since start: each one cost the client a full handshake. */
    long connectionsAccepted() {
        return this.connections.get();
    }

    /** Requests answered since start. */
    long requestsAnswered() {
        return this.requests.get();
    }

    int port() {
        return this.port;
    }

    @Override
    public void destroy() {
        for (HttpsServer server : this.servers) {
            server.stop(0);
        }
        if (this.executor != null) {
            this.executor.shutdownNow();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return (task) -> {
            Thread thread = new Thread(task, "sample-upstream-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The JDK server configures each new TLS connection once: that is where the handshakes are counted. */
    private final class CountingConfigurator extends HttpsConfigurator {

        CountingConfigurator(SSLContext context) {
            super(context);
        }

        @Override
        public void configure(HttpsParameters parameters) {
            EmbeddedUpstream.this.connections.incrementAndGet();
            super.configure(parameters);
        }
    }
}
