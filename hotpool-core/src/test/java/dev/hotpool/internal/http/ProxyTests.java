package dev.hotpool.internal.http;

import dev.hotpool.AccessDeniedException;
import dev.hotpool.CloseReason;
import dev.hotpool.ConnectionInfo;
import dev.hotpool.FilteredAddressException;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.ProxyException;
import dev.hotpool.ProxySettings;
import dev.hotpool.net.AccessPolicy;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.Closer;
import dev.hotpool.testsupport.LogCapture;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.testsupport.TestProxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Requests through an HTTP proxy ({@link TestProxy}): {@code https} through {@code CONNECT} tunnels pooled per origin
 * and proxy, {@code http} in absolute form, credentials sent and never shown, refusals as {@link ProxyException}s,
 * non-proxy hosts, the JVM's settings, and the access policy and address filters applied to the origin before the
 * proxy hears of it.
 */
class ProxyTests {

    private static final TestCertificates certificates = TestCertificates.localhost(KeyType.EC);

    private static final String PASSWORD = "s3cret-Pa55";

    private TestProxy proxy;
    private StubServer server;
    private StubServer other;
    private HotPool pool;

    @RegisterExtension
    final Closer closer = Closer.of(() -> this.pool, () -> this.proxy, () -> this.server, () -> this.other);

    private HotPoolConfig.Builder config() {
        return HotPoolConfig.builder().tls(certificates.clientSettings());
    }

    private ProxySettings through(TestProxy proxy, List<String> nonProxyHosts) {
        return ProxySettings.of(HttpProxy.parse(proxy.url(), null, null), nonProxyHosts);
    }

    private String get(URI uri) throws IOException {
        try (HotResponse response = this.pool.execute(HotRequest.get(uri))) {
            return response.status() + " " + new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void httpsGoesThroughOneConnectTunnelThatIsReusedAcrossRequests() throws Exception {
        this.proxy = TestProxy.start();
        this.server = StubServer.https(certificates.serverContext());
        this.pool = new HotPool(config().proxy(through(this.proxy, List.of())).build());

        for (int i = 0; i < 5; i++) {
            assertThat(get(this.server.uri("/" + i))).isEqualTo("200 /" + i);
        }

        assertThat(this.proxy.connects()).isEqualTo(1);
        assertThat(this.proxy.requestLines()).containsExactly("CONNECT localhost:" + this.server.port() + " HTTP/1.1");
        assertThat(this.server.connectionsAccepted()).as("TLS handshakes at the origin").isEqualTo(1);
        assertThat(this.server.requestsServed()).isEqualTo(5);
        PoolStats.HostStats route = this.pool.stats().hosts().get(0);
        assertThat(route.proxy()).isEqualTo("127.0.0.1:" + this.proxy.port());
        assertThat(route.route()).endsWith(" via 127.0.0.1:" + this.proxy.port());
        ConnectionInfo row = this.pool.connections(Origin.of(this.server.uri("/"))).get(0);
        assertThat(row.protocol()).startsWith("TLSv1.");
    }

    @Test
    void warmHostsAreWarmedThroughTheProxyAndTheirTunnelsServeTheFirstRequests() throws Exception {
        this.proxy = TestProxy.start();
        this.server = StubServer.https(certificates.serverContext());
        this.pool = new HotPool(config().proxy(through(this.proxy, List.of()))
                .warmupHosts(List.of(Origin.of(this.server.uri("/")))).warmupMinIdlePerHost(2).build());
        assertThat(this.pool.awaitWarmup(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(this.proxy.connects()).isEqualTo(2);

        assertThat(get(this.server.uri("/w"))).isEqualTo("200 /w");

        assertThat(this.proxy.connects()).as("the warm tunnels were reused").isEqualTo(2);
        // The server counts a connection once its side of the handshake is done, on its own thread.
        Await.until(() -> this.server.connectionsAccepted() >= 2);
        assertThat(this.server.connectionsAccepted()).isEqualTo(2);
        assertThat(this.pool.stats().hosts()).singleElement()
                .satisfies(h -> assertThat(h.proxy()).isEqualTo("127.0.0.1:" + this.proxy.port()));
    }

    @Test
    void theHealthChecksProbeOnAPlainHttpConnectionThroughTheProxyIsInAbsoluteForm() throws Exception {
        this.proxy = TestProxy.start();
        this.server = StubServer.http();
        this.pool = new HotPool(config().proxy(through(this.proxy, List.of())).healthCheckProbePath("/health")
                .healthCheckProbeMethod("GET").build()); // GET: the stub server answers HEAD with a body.
        assertThat(get(this.server.uri("/first"))).isEqualTo("200 /first");

        this.pool.runHealthCheck();

        assertThat(this.proxy.requestLines()).contains("GET http://localhost:" + this.server.port()
                + "/health HTTP/1.1");
        assertThat(this.server.requestLog()).containsExactly("GET /first", "GET /health");
        assertThat(this.pool.stats().idle()).as("the probe passed").isEqualTo(1);
    }

    @Test
    void insideTheTunnelTheOriginsCertificateIsVerifiedAsWithoutAProxy() throws Exception {
        TestCertificates elsewhere = TestCertificates.forHosts(KeyType.EC, "elsewhere.example");
        this.proxy = TestProxy.start();
        this.server = StubServer.https(elsewhere.serverContext());
        this.pool = new HotPool(config().tls(elsewhere.clientSettings()).proxy(through(this.proxy, List.of()))
                .build());

        assertThatThrownBy(() -> get(this.server.uri("/")))
                .isInstanceOf(dev.hotpool.TlsHandshakeException.class)
                .hasMessageContaining("certificate does not match the host name localhost");
        assertThat(this.proxy.connects()).as("the tunnel was opened; TLS failed inside it").isEqualTo(1);
        assertThat(this.pool.stats().total()).isZero();
    }

    @Test
    void aTunnelIsNeverReusedForAnotherOrigin() throws Exception {
        this.proxy = TestProxy.start();
        this.server = StubServer.https(certificates.serverContext());
        this.other = StubServer.https(certificates.serverContext());
        this.pool = new HotPool(config().proxy(through(this.proxy, List.of())).build());

        for (int i = 0; i < 3; i++) {
            assertThat(get(this.server.uri("/a"))).isEqualTo("200 /a");
            assertThat(get(this.other.uri("/b"))).isEqualTo("200 /b");
        }

        assertThat(this.proxy.connects()).isEqualTo(2);
        assertThat(this.proxy.requestLines()).containsExactlyInAnyOrder(
                "CONNECT localhost:" + this.server.port() + " HTTP/1.1",
                "CONNECT localhost:" + this.other.port() + " HTTP/1.1");
        assertThat(this.server.connectionsAccepted()).isEqualTo(1);
        assertThat(this.other.connectionsAccepted()).isEqualTo(1);
        assertThat(this.server.requestsServed()).isEqualTo(3);
        assertThat(this.other.requestsServed()).isEqualTo(3);
        assertThat(this.pool.stats().hosts()).hasSize(2);
    }

    @Test
    void connectCarriesProxyAuthorizationWhenCredentialsAreSet() throws Exception {
        this.proxy = TestProxy.start().requireCredentials("svc", PASSWORD);
        this.server = StubServer.https(certificates.serverContext());
        this.pool = new HotPool(config().proxy(ProxySettings.of(HttpProxy.parse(this.proxy.url(), "svc", PASSWORD),
                List.of())).build());

        assertThat(get(this.server.uri("/x"))).isEqualTo("200 /x");
        assertThat(get(this.server.uri("/y"))).isEqualTo("200 /y");

        assertThat(this.proxy.connects()).isEqualTo(1);
        assertThat(this.proxy.authorizations()).containsExactly(basic("svc", PASSWORD));
        assertThat(this.server.requestsServed()).isEqualTo(2);
    }

    @Test
    void plainHttpIsSentInAbsoluteFormWithProxyAuthorizationOnAKeptAliveConnection() throws Exception {
        this.proxy = TestProxy.start().requireCredentials("svc", PASSWORD);
        this.server = StubServer.http();
        this.pool = new HotPool(config().proxy(ProxySettings.of(HttpProxy.parse(this.proxy.url(), "svc", PASSWORD),
                List.of())).build());

        for (int i = 0; i < 3; i++) {
            assertThat(get(this.server.uri("/p?q=" + i))).isEqualTo("200 /p?q=" + i);
        }

        assertThat(this.proxy.connects()).isZero();
        assertThat(this.proxy.forwardedRequests()).isEqualTo(3);
        assertThat(this.proxy.requestLines()).first()
                .isEqualTo("GET http://localhost:" + this.server.port() + "/p?q=0 HTTP/1.1");
        assertThat(this.proxy.authorizations()).hasSize(3).containsOnly(basic("svc", PASSWORD));
        assertThat(this.proxy.connectionsAccepted()).as("one kept-alive connection to the proxy").isEqualTo(1);
        assertThat(this.server.requestLog()).containsExactly("GET /p?q=0", "GET /p?q=1", "GET /p?q=2");
    }

    @Test
    void a407ToConnectIsAProxyExceptionNamingTheProxyAndTheStatusAndIsNotRetried() throws Exception {
        this.proxy = TestProxy.start().requireCredentials("svc", PASSWORD);
        this.server = StubServer.https(certificates.serverContext());
        this.pool = new HotPool(config().proxy(through(this.proxy, List.of())).build());

        assertThatThrownBy(() -> get(this.server.uri("/")))
                .isInstanceOfSatisfying(ProxyException.class, e -> {
                    assertThat(e.status()).isEqualTo(407);
                    assertThat(e.proxy()).isEqualTo("127.0.0.1:" + this.proxy.port());
                })
                .hasMessage("hotpool: the proxy 127.0.0.1:" + this.proxy.port() + " refused CONNECT localhost:"
                        + this.server.port() + " (407 Proxy Authentication Required); it requires authentication: "
                        + "set hotpool.proxy.username and hotpool.proxy.password; not retried");

        assertThat(this.proxy.connects()).as("not retried").isEqualTo(1);
        assertThat(this.server.connectionsAccepted()).isZero();
        assertThat(this.pool.stats().total()).as("the connection was discarded").isZero();
        dev.hotpool.ConnectFailure failure = this.pool.traffic().connectFailures()
            .get("localhost:" + this.server.port());
        assertThat(failure.phase()).as("the phase that failed, for the endpoint")
            .isEqualTo(dev.hotpool.ConnectPhase.PROXY);
        assertThat(failure.message()).contains("407").doesNotContain(PASSWORD);
    }

    @Test
    void wrongCredentialsOnPlainHttpGiveAProxyExceptionAndTheConnectionIsDiscarded() throws Exception {
        this.proxy = TestProxy.start().requireCredentials("svc", PASSWORD);
        this.server = StubServer.http();
        this.pool = new HotPool(config().proxy(ProxySettings.of(HttpProxy.parse(this.proxy.url(), "svc", "wrong"),
                List.of())).build());

        assertThatThrownBy(() -> get(this.server.uri("/")))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.status()).isEqualTo(407))
                .hasMessageContaining("the proxy 127.0.0.1:" + this.proxy.port() + " refused GET http://localhost:")
                .hasMessageContaining("did not accept the credentials of hotpool.proxy.username");

        assertThat(this.pool.stats().total()).isZero();
        assertThat(this.pool.stats().closed().get(CloseReason.ERROR)).isEqualTo(1);
        assertThat(this.server.requestsServed()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = { 403, 502 })
    void aRefusedConnectIsAProxyExceptionWithTheStatus(int status) throws Exception {
        this.proxy = TestProxy.start().refuseConnectWith(status);
        this.server = StubServer.https(certificates.serverContext());
        this.pool = new HotPool(config().proxy(through(this.proxy, List.of())).build());

        assertThatThrownBy(() -> get(this.server.uri("/")))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.status()).isEqualTo(status))
                .hasMessage("hotpool: the proxy 127.0.0.1:" + this.proxy.port() + " refused CONNECT localhost:"
                        + this.server.port() + " (" + status + " Refused by the test proxy); not retried");

        assertThat(this.proxy.connects()).isEqualTo(1);
        assertThat(this.pool.stats().total()).isZero();
        assertThat(this.server.connectionsAccepted()).isZero();
    }

    @Test
    void connectAnswersWithBareLineFeedsALeadingBlankLineAndHeadersOpenTheTunnel() throws Exception {
        this.proxy = TestProxy.start()
                .answerConnectWith("\nHTTP/1.0 200 OK\nProxy-Agent: test\nContent-Length: 5\n\n");
        this.server = StubServer.https(certificates.serverContext());
        this.pool = new HotPool(config().proxy(through(this.proxy, List.of())).build());

        assertThat(get(this.server.uri("/lf"))).isEqualTo("200 /lf");
        assertThat(get(this.server.uri("/lf"))).isEqualTo("200 /lf");
        assertThat(this.proxy.connects()).isEqualTo(1);
    }

    @Test
    void aConnectAnswerThatIsNotHttpIsAProxyExceptionWithoutStatus() throws Exception {
        this.proxy = TestProxy.start().answerConnectWith("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        this.server = StubServer.https(certificates.serverContext());
        this.pool = new HotPool(config().proxy(through(this.proxy, List.of())).build());

        assertThatThrownBy(() -> get(this.server.uri("/")))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.status()).isEqualTo(-1))
                .hasMessage("hotpool: the proxy 127.0.0.1:" + this.proxy.port() + " answered CONNECT localhost:"
                        + this.server.port() + " with something that is not HTTP: 'SSH-2.0-OpenSSH_9.2'");
        assertThat(this.pool.stats().total()).isZero();
    }

    @Test
    void aProxyThatNeverAnswersConnectFailsWithinTheConnectTimeout() throws Exception {
        this.proxy = TestProxy.start().answerConnectWith(null);
        this.server = StubServer.https(certificates.serverContext());
        this.pool = new HotPool(config().connectTimeout(java.time.Duration.ofMillis(300))
                .proxy(through(this.proxy, List.of())).build());

        long start = System.nanoTime();
        assertThatThrownBy(() -> get(this.server.uri("/")))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.status()).isEqualTo(-1))
                .hasMessageStartingWith("hotpool: the proxy 127.0.0.1:" + this.proxy.port()
                        + " did not answer CONNECT localhost:" + this.server.port() + " within ")
                .hasMessageEndingWith(" ms (connect timeout)");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(5));
        assertThat(this.pool.stats().total()).isZero();
    }

    @Test
    void aProxyThatClosesInsteadOfAnsweringConnectIsAProxyException() throws Exception {
        this.proxy = TestProxy.start().answerConnectWith("");
        this.server = StubServer.https(certificates.serverContext());
        this.pool = new HotPool(config().proxy(through(this.proxy, List.of())).build());

        assertThatThrownBy(() -> get(this.server.uri("/")))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.status()).isEqualTo(-1))
                .hasMessage("hotpool: the proxy 127.0.0.1:" + this.proxy.port() + " closed the connection without "
                        + "answering CONNECT localhost:" + this.server.port());
    }

    @Test
    void anUnreachableProxyIsAProxyExceptionNamingIt() throws Exception {
        this.server = StubServer.https(certificates.serverContext());
        TestProxy gone = TestProxy.start();
        int port = gone.port();
        gone.close();
        this.pool = new HotPool(config().proxy(through(gone, List.of())).build());

        assertThatThrownBy(() -> get(this.server.uri("/")))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.status()).isEqualTo(-1))
                .hasMessageStartingWith("hotpool: cannot connect to the proxy 127.0.0.1:" + port
                        + " (127.0.0.1) for https://localhost:" + this.server.port() + ": ");
        assertThat(this.server.connectionsAccepted()).isZero();
        assertThat(this.pool.traffic().connectFailures().get("localhost:" + this.server.port()).phase())
            .isEqualTo(dev.hotpool.ConnectPhase.PROXY);
    }

    @Test
    void credentialsNeverAppearInLogsMessagesStatsOrToString() throws Exception {
        this.proxy = TestProxy.start().requireCredentials("svc", PASSWORD);
        this.server = StubServer.https(certificates.serverContext());
        this.other = StubServer.http();
        HttpProxy wrong = HttpProxy.parse(this.proxy.url(), "svc", "not-" + PASSWORD);
        HttpProxy right = HttpProxy.parse(this.proxy.url(), "svc", PASSWORD);
        Logger hotpool = (Logger) LoggerFactory.getLogger("dev.hotpool");
        Level level = hotpool.getLevel();
        List<String> seen = new ArrayList<>();
        try (LogCapture logs = new LogCapture("dev.hotpool")) {
            hotpool.setLevel(Level.DEBUG);
            this.pool = new HotPool(config().proxy(ProxySettings.of(wrong, List.of())).build());
            try {
                get(this.server.uri("/"));
            }
            catch (ProxyException e) {
                seen.add(e.toString());
            }
            try {
                get(this.other.uri("/"));
            }
            catch (ProxyException e) {
                seen.add(e.toString());
            }
            this.pool.close();
            this.pool = new HotPool(config().proxy(ProxySettings.of(right, List.of())).build());
            assertThat(get(this.server.uri("/ok"))).isEqualTo("200 /ok");
            assertThat(get(this.other.uri("/ok"))).isEqualTo("200 /ok");
            this.proxy.dropConnections();
            assertThat(get(this.other.uri("/again"))).isEqualTo("200 /again"); // A retry, logged at debug.
            seen.add(this.pool.stats().hosts().toString());
            seen.add(this.pool.connections(Origin.of(this.server.uri("/"))).toString());
            seen.add(this.pool.toString());
            seen.add(this.pool.config().toString());
            seen.add(this.pool.config().proxy().toString());
            seen.add(right.toString());
            this.pool.close();
            logs.events().forEach(e -> {
                seen.add(e.getFormattedMessage());
                if (e.getThrowableProxy() != null) {
                    seen.add(e.getThrowableProxy().getMessage());
                }
            });
            assertThat(logs.messages()).anyMatch(m -> m.startsWith("hotpool: retrying"))
                    .anyMatch(m -> m.contains("closed"));
        }
        finally {
            hotpool.setLevel(level);
        }
        assertThat(seen).hasSizeGreaterThan(8);
        assertThat(seen).noneMatch(s -> s.contains(PASSWORD) || s.contains(basic("svc", PASSWORD).substring(6))
                || s.contains(basic("svc", "not-" + PASSWORD).substring(6)));
        assertThat(right.toString()).isEqualTo("127.0.0.1:" + this.proxy.port());
    }

    @Test
    void nonProxyHostsConnectDirectly() throws Exception {
        this.proxy = TestProxy.start();
        this.server = StubServer.https(certificates.serverContext());
        this.pool = new HotPool(config().proxy(through(this.proxy, List.of("*.internal", "localhost"))).build());

        assertThat(get(this.server.uri("/direct"))).isEqualTo("200 /direct");
        assertThat(this.proxy.connectionsAccepted()).isZero();
        assertThat(this.pool.stats().hosts().get(0).proxy()).isNull();

        this.pool.close();
        this.pool = new HotPool(config().proxy(through(this.proxy, List.of("10.0.0.0/8"))).build());
        assertThat(get(this.server.uri("/proxied"))).isEqualTo("200 /proxied");
        assertThat(this.proxy.connects()).isEqualTo(1);

        this.pool.close();
        this.pool = new HotPool(config().tls(TestCertificates.forHosts(KeyType.EC, "127.0.0.1").clientSettings())
                .proxy(through(this.proxy, List.of("127.0.0.0/8"))).build());
        assertThat(ProxySettings.of(HttpProxy.of("p", 1), List.of("127.0.0.0/8")).select(Origin.parse(
                "https://127.0.0.1:" + this.server.port()))).isNull();
        assertThat(ProxySettings.of(HttpProxy.of("p", 1), List.of("*.internal")).select(Origin.parse(
                "https://api.internal"))).isNull();
        assertThat(ProxySettings.of(HttpProxy.of("p", 1), List.of("*.internal")).select(Origin.parse(
                "https://internal"))).isEqualTo(HttpProxy.of("p", 1));
    }

    @Test
    void theJvmProxySettingsApplyByDefault() throws Exception {
        this.proxy = TestProxy.start();
        this.server = StubServer.https(certificates.serverContext());
        this.other = StubServer.http();
        Properties saved = (Properties) System.getProperties().clone();
        try {
            System.setProperty("https.proxyHost", "127.0.0.1");
            System.setProperty("https.proxyPort", Integer.toString(this.proxy.port()));
            System.setProperty("http.proxyHost", "127.0.0.1");
            System.setProperty("http.proxyPort", Integer.toString(this.proxy.port()));
            System.setProperty("http.nonProxyHosts", ""); // Empty: no exclusions, not even the JDK's localhost|127.*.
            this.pool = new HotPool(config().build());

            assertThat(get(this.server.uri("/s"))).isEqualTo("200 /s");
            assertThat(get(this.server.uri("/s"))).isEqualTo("200 /s");
            assertThat(get(this.other.uri("/h"))).isEqualTo("200 /h");

            assertThat(this.proxy.connects()).isEqualTo(1);
            assertThat(this.proxy.forwardedRequests()).isEqualTo(1);
            assertThat(this.pool.stats().hosts()).allMatch(h -> ("127.0.0.1:" + this.proxy.port()).equals(h.proxy()));

            System.setProperty("http.nonProxyHosts", "localhost"); // The JDK adds its defaults to a set value.
            assertThat(get(this.other.uri("/direct"))).isEqualTo("200 /direct");
            assertThat(this.proxy.forwardedRequests()).isEqualTo(1);
        }
        finally {
            System.setProperties(saved);
        }
    }

    @Test
    void aDefaultProxySelectorTheApplicationInstalledApplies() throws Exception {
        this.proxy = TestProxy.start();
        this.server = StubServer.https(certificates.serverContext());
        ProxySelector saved = ProxySelector.getDefault();
        List<URI> asked = new ArrayList<>();
        try {
            ProxySelector.setDefault(new ProxySelector() {
                @Override
                public List<Proxy> select(URI uri) {
                    asked.add(uri);
                    return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", proxy.port())));
                }

                @Override
                public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                }
            });
            this.pool = new HotPool(config().build());

            assertThat(get(this.server.uri("/sel"))).isEqualTo("200 /sel");
            assertThat(get(this.server.uri("/sel"))).isEqualTo("200 /sel");

            assertThat(this.proxy.connects()).isEqualTo(1);
            assertThat(asked).first().isEqualTo(URI.create("https://localhost:" + this.server.port() + "/"));
        }
        finally {
            ProxySelector.setDefault(saved);
        }
    }

    @Test
    void proxyEnabledFalseIgnoresTheJvmSettings() throws Exception {
        this.proxy = TestProxy.start();
        this.server = StubServer.https(certificates.serverContext());
        Properties saved = (Properties) System.getProperties().clone();
        try {
            System.setProperty("https.proxyHost", "127.0.0.1");
            System.setProperty("https.proxyPort", Integer.toString(this.proxy.port()));
            System.setProperty("http.nonProxyHosts", "");
            this.pool = new HotPool(config().proxy(ProxySettings.NONE).build());

            assertThat(get(this.server.uri("/d"))).isEqualTo("200 /d");

            assertThat(this.proxy.connectionsAccepted()).isZero();
            assertThat(this.server.connectionsAccepted()).isEqualTo(1);
        }
        finally {
            System.setProperties(saved);
        }
    }

    @Test
    void theAccessPolicyRefusesTheOriginBeforeAnythingIsSentToTheProxy() throws Exception {
        this.proxy = TestProxy.start();
        this.server = StubServer.https(certificates.serverContext());
        this.pool = new HotPool(config().proxy(through(this.proxy, List.of()))
                .accessPolicy(AccessPolicy.of(List.of(), List.of("127.0.0.0/8", "::1/128"), false)).build());

        assertThatThrownBy(() -> get(this.server.uri("/")))
                .isExactlyInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("connecting to localhost at ")
                .hasMessageEndingWith("; nothing was sent");
        assertThat(this.proxy.connectionsAccepted()).isZero();

        this.pool.close();
        this.pool = new HotPool(config().proxy(ProxySettings.of(HttpProxy.of("127.0.0.1", this.proxy.port()),
                List.of())).accessPolicy(AccessPolicy.of(List.of(), List.of(), true)).build());
        assertThatThrownBy(() -> get(this.server.uri("/")))
                .isExactlyInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("hotpool.access.block-private-networks");
        assertThat(this.proxy.connectionsAccepted()).as("the proxy itself is not subject to the guard").isZero();
    }

    @Test
    void theAddressFilterRefusesTheOriginBeforeAnythingIsSentToTheProxy() throws Exception {
        this.proxy = TestProxy.start();
        this.server = StubServer.http();
        this.pool = new HotPool(config().proxy(through(this.proxy, List.of())).build());

        dev.hotpool.net.AddressFilter none = new dev.hotpool.net.AddressFilter() {
            @Override
            public boolean allows(java.net.InetAddress address) {
                return false;
            }

            @Override
            public String toString() {
                return "no-loopback";
            }
        };
        assertThatThrownBy(() -> this.pool.execute(HotRequest.builder("GET", this.server.uri("/"))
                .addressFilter(none).build()))
                .isInstanceOf(FilteredAddressException.class)
                .hasMessageContaining("refused by the address filter no-loopback; nothing was sent");
        assertThat(this.proxy.connectionsAccepted()).isZero();
        assertThat(this.server.requestsServed()).isZero();
    }

    @Test
    void aProxyThatClosesAnIdleTunnelIsAStaleConnectionAndTheNextGetSucceedsByRetry() throws Exception {
        this.proxy = TestProxy.start();
        this.server = StubServer.https(certificates.serverContext());
        this.pool = new HotPool(config().proxy(through(this.proxy, List.of())).build());
        assertThat(get(this.server.uri("/1"))).isEqualTo("200 /1");

        this.proxy.dropConnections();

        assertThat(get(this.server.uri("/2"))).isEqualTo("200 /2");
        assertThat(this.proxy.connects()).isEqualTo(2);
        assertThat(this.pool.stats().closed().get(CloseReason.STALE)).isEqualTo(1);
        assertThat(this.server.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void proxySettingsAreValidatedWithThePropertyNames() {
        assertThatThrownBy(() -> HttpProxy.parse("https://proxy.internal:3128", null, null))
                .hasMessageStartingWith("hotpool.proxy.url ('https://proxy.internal:3128') must use http://");
        assertThatThrownBy(() -> HttpProxy.parse("proxy.internal:3128", null, null))
                .hasMessageStartingWith("hotpool.proxy.url ('proxy.internal:3128') must be an absolute URL");
        assertThatThrownBy(() -> HttpProxy.parse("http://u:p@proxy.internal:3128", null, null))
                .hasMessage("hotpool.proxy.url must not carry credentials: set hotpool.proxy.username and "
                        + "hotpool.proxy.password instead");
        assertThatThrownBy(() -> HttpProxy.parse("http://proxy internal", null, null))
                .hasMessageStartingWith("hotpool.proxy.url ('http://proxy internal') is not a URL");
        assertThatThrownBy(() -> HttpProxy.parse("http://svc:pa ss@proxy.internal", null, null))
                .hasMessage("hotpool.proxy.url ('http://…@proxy.internal') is not a URL: Illegal character in "
                        + "authority")
                .message().doesNotContain("pa ss");
        assertThatThrownBy(() -> HttpProxy.parse("http://proxy.internal:3128", null, "pw"))
                .hasMessage("hotpool.proxy.password is set but hotpool.proxy.username is not");
        assertThatThrownBy(() -> ProxySettings.of(HttpProxy.of("p", 1), List.of("localhost", "10.0.0.0/33")))
                .hasMessageStartingWith("hotpool.proxy.non-proxy-hosts[1] ('10.0.0.0/33') is neither a host pattern");
        assertThat(HttpProxy.parse("http://Proxy.Internal", null, null).authority()).isEqualTo("proxy.internal:80");
        assertThat(HttpProxy.parse("http://[::1]:3128/", "u", "p").authority()).isEqualTo("[::1]:3128");
        assertThat(HttpProxy.of("p", 1, "u", "x")).isNotEqualTo(HttpProxy.of("p", 1, "u", "y"))
                .isEqualTo(HttpProxy.of("p", 1, "u", "x"));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

}
