package dev.hotpool.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.spring.HotPoolClientHttpRequestFactory;
import dev.hotpool.tls.TlsSettings;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.JettyClientHttpRequestFactory;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Every client the harness measures, each opened with a pool large enough for the heaviest load (32 threads) and
 * otherwise the library's defaults. All RestClient rows make the very same call,
 * {@code restClient.get().uri(uri).retrieve().body(byte[].class)} (uploads:
 * {@code restClient.post().uri(uri).contentType(APPLICATION_OCTET_STREAM).body(bytes).retrieve().toBodilessEntity()});
 * only the request factory differs.
 *
 * <p>Thread-safe: stateless.
 */
final class Clients {

    /** Connections each pool may hold for the one origin: more than the 32 threads of the heaviest run. */
    static final int POOL_SIZE = 64;

    static final int MAX_WORKERS = 64;

    /** The clients of a run with {@code --shape=} other than {@code get1k} alone, when {@code --clients=} is not given. */
    static final List<String> SHAPE_CLIENTS = List.of("hotpool-bc", "hotpool-jdk", "hc5", "jetty", "reactor", "jdk",
            "raw-bc", "raw-sun");

    /**
     * The clients of {@code --shape=h2} when {@code --clients=} is not given: hotpool over HTTP/2 on both TLS providers,
     * hotpool over HTTP/1.1, and the HTTP/2 peers, all against nginx's HTTP/2 server (ALPN {@code h2, http/1.1}).
     */
    static final List<String> H2_CLIENTS = List.of("hotpool-h2", "hotpool-h2-jdk", "hotpool-h1", "jdk-h2", "jetty-h2",
            "reactor-h2");

    /** The clients of {@code --shape=h2} that must speak HTTP/2 (nginx's {@code $server_protocol} says whether they do). */
    static final List<String> H2_SPEAKERS = List.of("hotpool-h2", "hotpool-h2-jdk", "jdk-h2", "jetty-h2", "reactor-h2");

    private Clients() {
    }

    static List<ClientSpec> all() {
        List<ClientSpec> specs = new ArrayList<>();
        specs.add(new ClientSpec("hotpool-bc", "hotpool (bc)", "hotpool bc", ClientSpec.Kind.HOTPOOL,
                "HotPoolClientHttpRequestFactory over one HotPool, hotpool.tls.provider=bc (the default, BCJSSE), "
                        + "profile default, max-conns-per-host " + POOL_SIZE, null, (s, warmup) -> hotpool(s, warmup, false, true)));
        specs.add(new ClientSpec("hotpool-jdk", "hotpool (jdk)", "hotpool jdk", ClientSpec.Kind.HOTPOOL,
                "as hotpool (bc) with hotpool.tls.provider=jdk (SunJSSE): " + JdkProviderSwitch.how(),
                null, (s, warmup) -> hotpool(s, warmup, true, true)));
        specs.add(new ClientSpec("hotpool-bc-nomark", "hotpool (bc), body without mark", "hotpool bc nomark",
                ClientSpec.Kind.HOTPOOL, "as hotpool (bc), its response body's mark support hidden (NoMarkFactory): "
                        + "RestClient reads it through PushbackInputStream and InputStream.readNBytes, as before "
                        + "ResponseBody supported mark/reset and sized readNBytes (GET only)", null,
                (s, warmup) -> hotpoolNoMark(s)));
        specs.add(new ClientSpec("hc5", "HttpComponents 5", "HC5", ClientSpec.Kind.PEER,
                "HttpComponentsClientHttpRequestFactory, httpclient5 classic, PoolingHttpClientConnectionManager "
                        + "max " + POOL_SIZE + " total / per route, SunJSSE", null, (s, warmup) -> hc5(s)));
        specs.add(new ClientSpec("jdk", "JDK HttpClient", "JDK", ClientSpec.Kind.PEER,
                "JdkClientHttpRequestFactory, java.net.http.HttpClient HTTP/1.1 (unbounded pool), SunJSSE", null,
                (s, warmup) -> jdk(s)));
        specs.add(new ClientSpec("jetty", "Jetty 12", "Jetty", ClientSpec.Kind.PEER,
                "JettyClientHttpRequestFactory, jetty-client HTTP/1.1, max " + POOL_SIZE
                        + " connections per destination, SunJSSE", null, (s, warmup) -> jetty(s)));
        specs.add(new ClientSpec("reactor", "Reactor Netty", "Reactor", ClientSpec.Kind.PEER,
                "ReactorClientHttpRequestFactory, reactor-netty HttpClient, ConnectionProvider max " + POOL_SIZE
                        + ", Netty SslContext (JDK provider), global event loops", null, (s, warmup) -> reactor(s)));
        specs.add(new ClientSpec("simple", "Simple (HttpURLConnection)", "Simple", ClientSpec.Kind.PEER,
                "SimpleClientHttpRequestFactory, HttpsURLConnection keep-alive cache with http.maxConnections="
                        + POOL_SIZE + ", SunJSSE", null, (s, warmup) -> simple(s)));
        specs.add(new ClientSpec("thin-sun", "ceiling: thin factory (SunJSSE)", "thin Sun", ClientSpec.Kind.CEILING_RESTCLIENT,
                "the thinnest ClientHttpRequestFactory: one kept-alive SunJSSE socket per thread, head parsed into "
                        + "HttpHeaders, body by Content-Length", null,
                (s, warmup) -> thin(s, BenchTls.Jsse.SUN)));
        specs.add(new ClientSpec("thin-bc", "ceiling: thin factory (BCJSSE)", "thin BC", ClientSpec.Kind.CEILING_RESTCLIENT,
                "as above over BCJSSE with JDK crypto, hotpool (bc)'s TLS stack", null,
                (s, warmup) -> thin(s, BenchTls.Jsse.BC)));
        specs.add(new ClientSpec("core-bc", "hotpool (bc) core API", "core bc", ClientSpec.Kind.HOTPOOL_CORE,
                "HotPool.execute(HotRequest.get(uri)), body read to the end, no RestClient", null,
                (s, warmup) -> hotpool(s, warmup, false, false)));
        specs.add(new ClientSpec("core-jdk", "hotpool (jdk) core API", "core jdk", ClientSpec.Kind.HOTPOOL_CORE,
                "as above with the jdk TLS provider", null, (s, warmup) -> hotpool(s, warmup, true, false)));
        specs.add(new ClientSpec("raw-sun", "ceiling: raw socket (SunJSSE)", "raw Sun", ClientSpec.Kind.CEILING_RAW,
                "a kept-alive SunJSSE socket per thread writing pre-encoded request bytes, reading by "
                        + "Content-Length, no RestClient", null, (s, warmup) -> raw(s, BenchTls.Jsse.SUN)));
        // HTTP/2 (run.sh --shape=h2): each with a pool big enough for 64 threads, otherwise the library's defaults.
        specs.add(new ClientSpec("hotpool-h2", "hotpool/h2 (bc)", "hotpool h2 bc", ClientSpec.Kind.HOTPOOL,
                "as hotpool (bc) with hotpool.protocols=h2,http/1.1 (ALPN h2 first; a connection's streams up to the "
                        + "server's SETTINGS_MAX_CONCURRENT_STREAMS)", null,
                (s, warmup) -> hotpool(s, warmup, false, true, List.of("h2", "http/1.1"))));
        specs.add(new ClientSpec("hotpool-h2-jdk", "hotpool/h2 (jdk)", "hotpool h2 jdk", ClientSpec.Kind.HOTPOOL,
                "as hotpool/h2 (bc) with hotpool.tls.provider=jdk (SunJSSE)", null,
                (s, warmup) -> hotpool(s, warmup, true, true, List.of("h2", "http/1.1"))));
        specs.add(new ClientSpec("hotpool-h1", "hotpool/1.1 (bc)", "hotpool h1 bc", ClientSpec.Kind.HOTPOOL,
                "hotpool (bc) as today: hotpool.protocols=http/1.1 (the default), max-conns-per-host "
                        + POOL_SIZE, null, (s, warmup) -> hotpool(s, warmup, false, true)));
        specs.add(new ClientSpec("jdk-h2", "JDK HttpClient/h2", "JDK h2", ClientSpec.Kind.PEER,
                "JdkClientHttpRequestFactory, java.net.http.HttpClient with its default version HTTP_2 (ALPN h2, "
                        + "one connection per origin), SunJSSE", null, (s, warmup) -> jdkH2(s)));
        specs.add(new ClientSpec("jetty-h2", "Jetty 12/h2", "Jetty h2", ClientSpec.Kind.PEER,
                "JettyClientHttpRequestFactory, jetty-client over HttpClientTransportOverHTTP2 (HTTP2Client, ALPN h2 "
                        + "by jetty-alpn-java-client), max " + POOL_SIZE + " connections per destination, SunJSSE", null,
                (s, warmup) -> jettyH2(s)));
        specs.add(new ClientSpec("reactor-h2", "Reactor Netty/h2", "Reactor h2", ClientSpec.Kind.PEER,
                "ReactorClientHttpRequestFactory, reactor-netty HttpClient.protocol(HttpProtocol.H2), "
                        + "Http2SslContextSpec (JDK provider, ALPN h2), ConnectionProvider max " + POOL_SIZE
                        + ", global event loops", null, (s, warmup) -> reactorH2(s)));
        specs.add(new ClientSpec("raw-bc", "ceiling: raw socket (BCJSSE)", "raw BC", ClientSpec.Kind.CEILING_RAW,
                "as above over BCJSSE with JDK crypto", null, (s, warmup) -> raw(s, BenchTls.Jsse.BC)));
        return specs;
    }

    // ---- the RestClient call, identical for every factory ---------------------------------------------------

    private static BenchClient overRestClient(ClientHttpRequestFactory factory, AutoCloseable resources) {
        RestClient restClient = RestClient.builder().requestFactory(factory).build();
        BenchClient.Caller call = (uri, upload) -> {
            if (upload != null) {
                restClient.post().uri(uri).contentType(MediaType.APPLICATION_OCTET_STREAM).body(upload).retrieve()
                        .toBodilessEntity();
                return 0;
            }
            byte[] body = restClient.get().uri(uri).retrieve().body(byte[].class);
            return body == null ? 0 : body.length;
        };
        return new BenchClient() {
            @Override
            public Caller caller(int worker) {
                return call;
            }

            @Override
            public void close() {
                try {
                    resources.close();
                }
                catch (Exception e) {
                    System.err.println("benchmark: closing " + factory + " failed: " + e);
                }
            }
        };
    }

    // ---- hotpool ---------------------------------------------------------------------------------------------

    private static BenchClient hotpool(Setup s, ClientSpec.Warmup warmup, boolean jdkProvider, boolean viaRestClient)
            throws InterruptedException {
        return hotpool(s, warmup, jdkProvider, viaRestClient, null);
    }

    /** @param protocols {@code hotpool.protocols}, or {@code null} for the default ({@code http/1.1}) */
    private static BenchClient hotpool(Setup s, ClientSpec.Warmup warmup, boolean jdkProvider, boolean viaRestClient,
            List<String> protocols) throws InterruptedException {
        TlsSettings tls = TlsSettings.of("nginx", s.tls().trustStore(), null, null);
        HotPoolConfig.Builder config = HotPoolConfig.builder()
                .name(jdkProvider ? "bench-jdk" : "bench-bc")
                .maxConnections(POOL_SIZE)
                .maxConnsPerHost(POOL_SIZE)
                .maxIdleConns(POOL_SIZE)
                .tls(tls);
        if (jdkProvider) {
            config = JdkProviderSwitch.apply(config, tls);
        }
        if (protocols != null) {
            config.protocols(protocols);
        }
        if (warmup != ClientSpec.Warmup.OFF) {
            config.warmupHosts(List.of(s.origin())).warmupMinIdlePerHost(2);
        }
        if (warmup == ClientSpec.Warmup.PROBE) {
            config.healthCheckProbePath("/204");
        }
        HotPool pool = new HotPool(config.build());
        if (warmup != ClientSpec.Warmup.OFF && !pool.awaitWarmup(Duration.ofSeconds(10))) {
            System.err.println("benchmark: hotpool's warm-up did not finish within 10 s");
        }
        if (viaRestClient) {
            return overRestClient(new HotPoolClientHttpRequestFactory(pool), pool);
        }
        return new BenchClient() {
            @Override
            public Caller caller(int worker) {
                byte[] buf = new byte[8192];
                return (uri, upload) -> {
                    HotRequest request = upload == null ? HotRequest.get(uri)
                            : HotRequest.builder("POST", uri).header("Content-Type", "application/octet-stream")
                                    .body(upload).build();
                    try (HotResponse response = pool.execute(request)) {
                        InputStream in = response.body();
                        long n = 0;
                        int k;
                        while ((k = in.read(buf)) >= 0) {
                            n += k;
                        }
                        return n;
                    }
                };
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }

    private static BenchClient hotpoolNoMark(Setup s) {
        TlsSettings tls = TlsSettings.of("nginx", s.tls().trustStore(), null, null);
        HotPool pool = new HotPool(HotPoolConfig.builder().name("bench-bc-nomark").maxConnections(POOL_SIZE)
                .maxConnsPerHost(POOL_SIZE).maxIdleConns(POOL_SIZE).tls(tls).build());
        return overRestClient(new NoMarkFactory(new HotPoolClientHttpRequestFactory(pool)), pool);
    }

    // ---- the peers -------------------------------------------------------------------------------------------

    private static BenchClient hc5(Setup s) {
        PoolingHttpClientConnectionManager manager = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(POOL_SIZE)
                .setMaxConnPerRoute(POOL_SIZE)
                .setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(s.tls().sslContext()).buildClassic())
                .build();
        CloseableHttpClient client = HttpClients.custom().setConnectionManager(manager).build();
        return overRestClient(new HttpComponentsClientHttpRequestFactory(client), client);
    }

    private static BenchClient jdk(Setup s) {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .sslContext(s.tls().sslContext())
                .build();
        return overRestClient(new JdkClientHttpRequestFactory(client), () -> {
            // java.net.http.HttpClient has no close() before Java 21: its connections go with the client.
        });
    }

    private static BenchClient jetty(Setup s) throws Exception {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setSslContext(s.tls().sslContext());
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient();
        client.setSslContextFactory(ssl);
        client.setMaxConnectionsPerDestination(POOL_SIZE);
        client.start();
        return overRestClient(new JettyClientHttpRequestFactory(client), client::stop);
    }

    private static BenchClient reactor(Setup s) throws IOException {
        ConnectionProvider provider = ConnectionProvider.builder("bench").maxConnections(POOL_SIZE).build();
        SslContext ssl = SslContextBuilder.forClient().trustManager((X509Certificate) s.tls().certificate()).build();
        reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create(provider)
                .secure(spec -> spec.sslContext(ssl));
        return overRestClient(new ReactorClientHttpRequestFactory(client), () -> provider.disposeLater().block());
    }

    // ---- the HTTP/2 peers ------------------------------------------------------------------------------------

    private static BenchClient jdkH2(Setup s) {
        // No version(...): HTTP_2 is the client's default (ALPN h2, http/1.1 over TLS).
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .sslContext(s.tls().sslContext())
                .build();
        if (client.version() != java.net.http.HttpClient.Version.HTTP_2) {
            throw new IllegalStateException("benchmark: the JDK client's default version is " + client.version());
        }
        return overRestClient(new JdkClientHttpRequestFactory(client), () -> {
            // No close() before Java 21 (see jdk()).
        });
    }

    private static BenchClient jettyH2(Setup s) throws Exception {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setSslContext(s.tls().sslContext());
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        HTTP2Client http2 = new HTTP2Client(connector);
        org.eclipse.jetty.client.HttpClient client =
                new org.eclipse.jetty.client.HttpClient(new HttpClientTransportOverHTTP2(http2));
        client.setMaxConnectionsPerDestination(POOL_SIZE);
        client.start();
        return overRestClient(new JettyClientHttpRequestFactory(client), client::stop);
    }

    private static BenchClient reactorH2(Setup s) {
        ConnectionProvider provider = ConnectionProvider.builder("bench-h2").maxConnections(POOL_SIZE).build();
        Http2SslContextSpec ssl = Http2SslContextSpec.forClient()
                .configure(b -> b.trustManager((X509Certificate) s.tls().certificate()));
        reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create(provider)
                .protocol(HttpProtocol.H2)
                .secure(spec -> spec.sslContext(ssl));
        return overRestClient(new ReactorClientHttpRequestFactory(client), () -> provider.disposeLater().block());
    }

    private static BenchClient simple(Setup s) {
        // One factory object: HttpsURLConnection's keep-alive cache keys connections by it.
        SSLSocketFactory sockets = s.tls().sslContext().getSocketFactory();
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory() {
            @Override
            protected void prepareConnection(HttpURLConnection connection, String httpMethod) throws IOException {
                if (connection instanceof HttpsURLConnection https) {
                    https.setSSLSocketFactory(sockets);
                }
                super.prepareConnection(connection, httpMethod);
            }
        };
        return overRestClient(factory, () -> {
            // Idle connections stay in the JDK's keep-alive cache until it times them out.
        });
    }

    // ---- the ceilings ----------------------------------------------------------------------------------------

    private static BenchClient thin(Setup s, BenchTls.Jsse jsse) {
        ThinFactory factory = new ThinFactory(s.tls().sslContext(jsse), s.host(), s.port());
        return overRestClient(factory, factory);
    }

    private static BenchClient raw(Setup s, BenchTls.Jsse jsse) {
        SSLContext context = s.tls().sslContext(jsse);
        // Per worker: one connection to the keep-alive port, one to the port that closes after each response.
        RawHttpsConnection[] connections = new RawHttpsConnection[MAX_WORKERS * 2];
        return new BenchClient() {
            @Override
            public Caller caller(int worker) {
                RawHttpsConnection kept = new RawHttpsConnection(context, s.host(), s.port());
                RawHttpsConnection closing = new RawHttpsConnection(context, s.host(), s.closePort());
                connections[2 * worker] = kept;
                connections[2 * worker + 1] = closing;
                // Request bytes are encoded once per URI (the URI changes only between windows).
                URI[] lastUri = new URI[1];
                byte[][] lastBytes = new byte[1][];
                return (uri, upload) -> {
                    if (uri != lastUri[0]) {
                        lastBytes[0] = requestBytes(uri, upload);
                        lastUri[0] = uri;
                    }
                    return (uri.getPort() == s.port() ? kept : closing).exchange(lastBytes[0]);
                };
            }

            @Override
            public void close() {
                for (RawHttpsConnection c : connections) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        };
    }

    /** A whole request as bytes: head, and for an upload {@code Content-Length} and the body, for one write. */
    static byte[] requestBytes(URI uri, byte[] upload) {
        String head = (upload == null ? "GET " : "POST ") + uri.getRawPath() + "?" + uri.getRawQuery()
                + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + (upload == null ? "" : "Content-Type: application/octet-stream\r\nContent-Length: " + upload.length
                        + "\r\n") + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        if (upload == null) {
            return h;
        }
        byte[] all = java.util.Arrays.copyOf(h, h.length + upload.length);
        System.arraycopy(upload, 0, all, h.length, upload.length);
        return all;
    }
}
