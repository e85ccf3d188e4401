package dev.hotpool.internal.pool;

import dev.hotpool.HostSettings;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.ProxySettings;
import dev.hotpool.TlsHandshakeException;
import dev.hotpool.internal.PoolAssembly;
import dev.hotpool.internal.net.AddressBook;
import dev.hotpool.internal.net.OutlierDetector;
import dev.hotpool.internal.tls.SniffingProxy;
import dev.hotpool.internal.tls.SniffingProxy.Seen;
import dev.hotpool.internal.tls.TlsConnector;
import dev.hotpool.internal.tls.TlsSetup;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.testsupport.JettyH2Server;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.testsupport.TestProxy;
import dev.hotpool.tls.Fingerprint;
import dev.hotpool.tls.TlsProfiles;
import dev.hotpool.tls.TlsProvider;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ALPN on the connections the {@link SocketConnector} opens, on real sockets: the list each host's protocols make the
 * ClientHello offer (exactly the profile's own by default, so the hello is what it always was), what the connection
 * then reports as agreed ({@link Transport#applicationProtocol()}), the same inside a proxy's tunnel, and that the
 * pool's fingerprints are those of the hellos really sent.
 */
class AlpnConnectTests {

    private static final TestCertificates certs = TestCertificates.forHosts(KeyType.EC, "localhost", "api.test");

    private static final List<String> H2_FIRST = List.of("h2", "http/1.1");

    private static JettyH2Server jetty;

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = JettyH2Server.start(certs);
    }

    @AfterAll
    static void stopJetty() throws Exception {
        jetty.close();
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void withTheDefaultProtocolsTheHelloOffersExactlyWhatTheProfileOffersAndHttp11IsAgreed(TlsProvider provider)
            throws Exception {
        HotPoolConfig config = config(provider, (b) -> b);
        try (SniffingProxy sniffer = SniffingProxy.to(jetty.tlsPort())) {
            Transport t = connect(config, Origin.of("https", "localhost", sniffer.port()));
            try {
                assertThat(t.applicationProtocol()).isEqualTo("http/1.1");
            }
            finally {
                t.close();
            }
            Seen hello = sniffer.nextSeen();
            assertThat(hello.alpn()).containsExactly("http/1.1");
            // The hello the fingerprints were always taken from: the profile with its own ALPN list, nothing else.
            Fingerprint own = TlsSetup.verify(config.tlsProfiles(), List.of()).inUseFingerprints().get("default");
            assertThat(own.alpn()).containsExactly("http/1.1");
            assertThat(hello.ja3()).isEqualTo(own.ja3());
            assertThat(hello.ja4()).isEqualTo(own.ja4());
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void h2FirstIsOfferedAndAgreedWithAnHttp2ServerAndTheFingerprintIsThatOfTheHelloSent(TlsProvider provider)
            throws Exception {
        HotPoolConfig config = config(provider, (b) -> b.protocols(H2_FIRST));
        try (SniffingProxy sniffer = SniffingProxy.to(jetty.tlsPort())) {
            Transport t = connect(config, Origin.of("https", "localhost", sniffer.port()));
            try {
                assertThat(t.applicationProtocol()).isEqualTo("h2");
                assertThat(t.toString()).endsWith(" h2");
            }
            finally {
                t.close();
            }
            Seen hello = sniffer.nextSeen();
            assertThat(hello.alpn()).containsExactly("h2", "http/1.1");
            TlsSetup.Verified verified = TlsSetup.verify(config.tlsProfiles(), List.of(),
                    PoolAssembly.alpnInUse(config));
            Fingerprint shown = verified.inUseFingerprints().get("default");
            assertThat(shown.alpn()).containsExactly("h2", "http/1.1");
            assertThat(shown.ja3()).isEqualTo(hello.ja3());
            assertThat(shown.ja4()).isEqualTo(hello.ja4()).contains("h2_");
            assertThat(verified.fingerprint("default", H2_FIRST)).isSameAs(shown);
        }
    }

    @Test
    void aHostsOwnProtocolsDecideItsOfferAndTheirFingerprintIsCapturedBeside() throws Exception {
        HotPoolConfig config = config(TlsProvider.BC, (b) -> b.protocols(H2_FIRST)
                .host("localhost", HostSettings.builder().protocols(List.of("http/1.1")).build()));
        try (SniffingProxy sniffer = SniffingProxy.to(jetty.tlsPort())) {
            Transport legacy = connect(config, Origin.of("https", "localhost", sniffer.port()));
            Transport other = connect(config, Origin.of("https", "api.test", sniffer.port()));
            try {
                assertThat(legacy.applicationProtocol()).isEqualTo("http/1.1");
                assertThat(other.applicationProtocol()).isEqualTo("h2");
            }
            finally {
                legacy.close();
                other.close();
            }
            Seen first = sniffer.nextSeen();
            Seen second = sniffer.nextSeen();
            Seen localhost = first.serverName().equals("localhost") ? first : second;
            Seen api = localhost == first ? second : first;
            assertThat(localhost.alpn()).containsExactly("http/1.1");
            assertThat(api.alpn()).containsExactly("h2", "http/1.1");
            TlsSetup.Verified verified = TlsSetup.verify(config.tlsProfiles(), List.of(),
                    PoolAssembly.alpnInUse(config));
            assertThat(verified.inUseFingerprints().get("default").alpn()).as("the pool's").isEqualTo(H2_FIRST);
            assertThat(verified.fingerprint("default", List.of("http/1.1")).ja4()).isEqualTo(localhost.ja4());
            assertThat(verified.fingerprint("default", H2_FIRST).ja4()).isEqualTo(api.ja4());
            assertThat(localhost.ja4()).isNotEqualTo(api.ja4());
        }
    }

    @Test
    void onlyH2AgainstAServerWithoutAlpnFailsTheConnectNamingTheOrigin() throws Exception {
        HotPoolConfig config = config(TlsProvider.BC, (b) -> b.protocols(List.of("h2")));
        try (StubServer server = StubServer.https(certs.serverContext())) {
            Origin origin = Origin.of("https", "localhost", server.port());
            assertThatThrownBy(() -> connect(config, origin))
                .isInstanceOf(TlsHandshakeException.class)
                .hasMessageStartingWith("hotpool: TLS handshake with " + origin)
                .hasMessageContaining("the server agreed no application protocol in ALPN, and only h2 was offered");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void insideAProxysTunnelTheHelloOffersTheSameListAndH2IsAgreed(TlsProvider provider) throws Exception {
        try (TestProxy proxy = TestProxy.start().resolve("api.test", InetAddress.getLoopbackAddress())) {
            HotPoolConfig config = config(provider, (b) -> b.protocols(H2_FIRST)
                    .proxy(ProxySettings.of(HttpProxy.of("127.0.0.1", proxy.port()), List.of())));
            Origin origin = Origin.of("https", "api.test", jetty.tlsPort());
            Transport t = connect(config, origin);
            try {
                assertThat(t.applicationProtocol()).isEqualTo("h2");
            }
            finally {
                t.close();
            }
            assertThat(proxy.requestLines()).containsExactly("CONNECT api.test:" + jetty.tlsPort() + " HTTP/1.1");
            Seen hello = SniffingProxy.seen(proxy.firstTlsRecords().get(0));
            assertThat(hello.serverName()).isEqualTo("api.test");
            assertThat(hello.alpn()).containsExactly("h2", "http/1.1");
        }
    }

    @Test
    void aPlainConnectionAgreesNothingEvenToAnH2cHost() throws Exception {
        HotPoolConfig config = config(TlsProvider.BC,
                (b) -> b.host("localhost", HostSettings.builder().protocols(List.of("h2c")).build()));
        Transport t = connect(config, Origin.of("http", "localhost", jetty.h2cPort()));
        try {
            assertThat(t.protocol()).isEqualTo("TCP");
            assertThat(t.applicationProtocol()).as("the host's settings decide: h2c").isEmpty();
            assertThat(config.hostSettings("localhost").h2c()).isTrue();
        }
        finally {
            t.close();
        }
    }

    private static HotPoolConfig config(TlsProvider provider, UnaryOperator<HotPoolConfig.Builder> settings) {
        return settings.apply(HotPoolConfig.builder().tls(certs.clientSettings())
                .tlsProfiles(TlsProfiles.builder().provider(provider).build())
                .staticAddresses(Map.of("localhost", List.of("127.0.0.1"), "api.test", List.of("127.0.0.1")))
                .proxy(ProxySettings.NONE)).build();
    }

    /** A connection as the pool opens one, through a connector made as the pool makes it. */
    private static Transport connect(HotPoolConfig config, Origin origin) throws Exception {
        TlsSetup.Verified tls = TlsSetup.verify(config.tlsProfiles(), List.of(), PoolAssembly.alpnInUse(config));
        SocketConnector connector = new SocketConnector(config, new TlsConnector(config.tlsProfiles().provider()), tls,
                PoolListener.NONE, new AddressBook(config.staticAddresses(), config.resolver(),
                        config.dnsRefreshInterval(), config.clock()),
                new OutlierDetector(config.outlier(), config.clock()));
        return connector.connect(Route.of(origin, config.tls(), null, config.proxy().select(origin)),
                new AddressLoad(), 10_000, 10_000);
    }
}
