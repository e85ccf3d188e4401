package dev.hotpool.internal.http2;

import dev.hotpool.HostSettings;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Http2Settings;
import dev.hotpool.ProxySettings;
import dev.hotpool.testsupport.NettyH2Server;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.tls.TlsProfiles;
import dev.hotpool.tls.TlsProvider;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * hotpool against Netty's HTTP/2 server (its frame codec and stream multiplexer, 65,535-byte windows it opens as its
 * streams read): over TLS, where ALPN on the JDK provider picks {@code h2}, and over h2c by prior knowledge. Bodies
 * of 0, 1 KiB and 1 MiB both ways (1 MiB is past Netty's windows for what hotpool sends, and past hotpool's own when
 * they are set to the smallest), fifty requests open at once on one connection counted by the server, HEAD, 204,
 * gzip decoded, trailers.
 */
class Http2NettyTests {

    private static final TestCertificates certs = TestCertificates.forHosts(KeyType.EC, "localhost");

    private static final int[] SIZES = {0, 1024, 1 << 20};

    private static NettyH2Server netty;

    /** How each test reaches the server: over TLS with ALPN on a provider, or h2c. */
    enum Way {
        TLS_BC, TLS_JDK, H2C
    }

    @BeforeAll
    static void startNetty() throws Exception {
        netty = NettyH2Server.start(certs);
    }

    @AfterAll
    static void stopNetty() {
        netty.close();
    }

    private static HotPool pool(Way way, UnaryOperator<HotPoolConfig.Builder> settings) {
        HotPoolConfig.Builder b = HotPoolConfig.builder().tls(certs.clientSettings())
                .tlsProfiles(TlsProfiles.builder().provider(way == Way.TLS_JDK ? TlsProvider.JDK : TlsProvider.BC)
                        .build())
                .staticAddresses(Map.of("localhost", List.of("127.0.0.1")))
                .protocols(List.of("h2", "http/1.1"))
                .proxy(ProxySettings.NONE);
        if (way == Way.H2C) {
            b.host("localhost", HostSettings.builder().protocols(List.of("h2c")).build());
        }
        return new HotPool(settings.apply(b).build());
    }

    private static URI uri(Way way, String path) {
        return way == Way.H2C ? netty.h2c(path) : netty.tls(path);
    }

    private static byte[] body(HotResponse response) throws IOException {
        try (InputStream in = response.body()) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void getsAndPostsOfEverySizeShareOneConnection(Way way) throws Exception {
        int before = netty.connectionsAccepted();
        try (HotPool pool = pool(way, (b) -> b)) {
            for (int size : SIZES) {
                try (HotResponse r = pool.execute(HotRequest.get(uri(way, "/bytes/" + size)))) {
                    assertThat(r.protocol()).isEqualTo("HTTP/2.0");
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.header("content-length")).isEqualTo(Integer.toString(size));
                    assertThat(body(r)).as("GET of %d bytes", size).isEqualTo(NettyH2Server.content(size));
                }
                byte[] sent = NettyH2Server.content(size);
                try (HotResponse r = pool.execute(HotRequest.builder("POST", uri(way, "/echo")).body(sent).build())) {
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(body(r)).as("POST of %d bytes echoed", size).isEqualTo(sent);
                }
            }
            assertThat(pool.stats().created()).isEqualTo(1);
            assertThat(pool.stats().leased()).isZero();
        }
        assertThat(netty.connectionsAccepted() - before).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void aMebibyteComesThroughHotpoolsSmallestWindows(Way way) throws Exception {
        try (HotPool pool = pool(way, (b) -> b.http2(Http2Settings.builder().initialWindowSize(65_535)
                .connectionWindowSize(65_535).build()))) {
            for (int i = 0; i < 3; i++) {
                try (HotResponse r = pool.execute(HotRequest.get(uri(way, "/bytes/" + (1 << 20))))) {
                    assertThat(body(r)).isEqualTo(NettyH2Server.content(1 << 20));
                }
            }
            assertThat(pool.stats().created()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void fiftyRequestsAreOpenAtOnceOnOneConnection(Way way) throws Exception {
        int before = netty.connectionsAccepted();
        try (HotPool pool = pool(way, (b) -> b.maxConnsPerHost(50))) {
            ExecutorService threads = Executors.newFixedThreadPool(50);
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    answers.add(threads.submit(() -> {
                        try (HotResponse r = pool.execute(HotRequest.get(uri(way, "/gather/50")))) {
                            return r.status() + " " + new String(body(r), StandardCharsets.US_ASCII);
                        }
                    }));
                }
                for (Future<String> f : answers) {
                    assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("200 50");
                }
            }
            finally {
                threads.shutdownNow();
            }
            assertThat(pool.stats().created()).isEqualTo(1);
            assertThat(pool.stats().leases()).isEqualTo(50);
            assertThat(pool.stats().leased()).isZero();
        }
        assertThat(netty.connectionsAccepted() - before).as("connections the server accepted").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void headAnd204HaveNoBodyAndTheConnectionServesOn(Way way) throws Exception {
        try (HotPool pool = pool(way, (b) -> b)) {
            try (HotResponse r = pool.execute(HotRequest.builder("HEAD", uri(way, "/bytes/1024")).build())) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("content-length")).isEqualTo("1024");
                assertThat(body(r)).isEmpty();
            }
            try (HotResponse r = pool.execute(HotRequest.get(uri(way, "/204")))) {
                assertThat(r.status()).isEqualTo(204);
                assertThat(body(r)).isEmpty();
            }
            try (HotResponse r = pool.execute(HotRequest.get(uri(way, "/bytes/10")))) {
                assertThat(body(r)).isEqualTo(NettyH2Server.content(10));
                assertThat(r.reused()).isTrue();
            }
            assertThat(pool.stats().created()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void gzipBodiesAreDecodedWhenCompressionIsOn(Way way) throws Exception {
        try (HotPool pool = pool(way, (b) -> b.compression(true))) {
            for (int size : SIZES) {
                try (HotResponse r = pool.execute(HotRequest.get(uri(way, "/gzip/" + size)))) {
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.header("content-encoding")).isNull();
                    assertThat(r.header("content-length")).isNull();
                    assertThat(body(r)).as("%d bytes decoded", size).isEqualTo(NettyH2Server.content(size));
                }
            }
            assertThat(pool.stats().created()).isEqualTo(1);
        }
        try (HotPool pool = pool(way, (b) -> b)) {
            try (HotResponse r = pool.execute(HotRequest.get(uri(way, "/gzip/1024")))) {
                assertThat(r.header("content-encoding")).isEqualTo("gzip");
                byte[] raw = body(r);
                assertThat(raw.length).isEqualTo(Integer.parseInt(r.header("content-length")));
                assertThat(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw)).readAllBytes())
                        .isEqualTo(NettyH2Server.content(1024));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void aBodyEndedByTrailersIsReadWholeAndItsStreamGoesBack(Way way) throws Exception {
        try (HotPool pool = pool(way, (b) -> b)) {
            for (int size : new int[] {0, 1024, 100_000}) {
                try (HotResponse r = pool.execute(HotRequest.get(uri(way, "/trailers/" + size)))) {
                    assertThat(r.header("content-length")).isNull();
                    assertThat(body(r)).isEqualTo(NettyH2Server.content(size));
                }
                assertThat(pool.stats().leased()).isZero();
            }
            assertThat(pool.stats().created()).isEqualTo(1);
        }
    }

    @Test
    void aPoolOfferingOnlyHttp11GetsNettysHttp11() throws Exception {
        try (HotPool pool = pool(Way.TLS_BC, (b) -> b.protocols(List.of("http/1.1")))) {
            try (HotResponse r = pool.execute(HotRequest.get(netty.tls("/bytes/5")))) {
                assertThat(r.protocol()).isEqualTo("HTTP/1.1");
                assertThat(new String(body(r), StandardCharsets.US_ASCII)).isEqualTo("netty HTTP/1.1");
            }
        }
    }
}
