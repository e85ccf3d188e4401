package dev.hotpool.internal.http2;

import dev.hotpool.Header;
import dev.hotpool.HostSettings;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Http2Settings;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.ProxySettings;
import dev.hotpool.testsupport.H2TestServer;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.tls.Fingerprint;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP/2 fingerprint a pool shows for a TLS profile ({@link Fingerprint#http2()}) is what its connections really
 * send: a raw server reads the client's preface (SETTINGS in order, the frames up to the first request, the
 * WINDOW_UPDATE among them, the pseudo-header order of the first HEADERS) and writes it in the same Akamai form, on
 * real TLS connections over loopback. And hotpool enforces what it sent: a limit the profile raised lets a response
 * through that hotpool's own would refuse.
 */
class Http2FingerprintOnTheWireTests {

    private static final TestCertificates certs = TestCertificates.forHosts(KeyType.EC, "localhost");

    /** What a server saw of one client's start, written as passive HTTP/2 fingerprinting writes it. */
    private static final class Seen {

        final List<String> settings = new ArrayList<>();
        long windowUpdate;
        final List<String> priorities = new ArrayList<>();
        final List<String> frames = new ArrayList<>();
        final StringBuilder pseudoHeaders = new StringBuilder();

        String akamai() {
            return String.join(";", this.settings) + "|" + this.windowUpdate + "|"
                    + (this.priorities.isEmpty() ? "0" : String.join(",", this.priorities)) + "|" + this.pseudoHeaders;
        }
    }

    /**
     * Reads the preface and the client's SETTINGS, answers with its own, then reads every frame up to the first HEADERS
     * (noting WINDOW_UPDATEs on stream 0 and PRIORITY frames, and a HEADERS' own priority fields), notes its
     * pseudo-header order, answers it with {@code answer} and serves on.
     */
    private static H2TestServer.Script capturing(List<Seen> seen, List<Header> answer) {
        return (peer) -> {
            Seen s = new Seen();
            peer.readPreface();
            Frame first = peer.readFrame();
            s.frames.add(FrameType.name(first.type()));
            for (Setting setting : first.settings()) {
                s.settings.add(setting.id() + ":" + setting.value());
            }
            peer.settings(H2TestServer.DEFAULT_SETTINGS).settingsAck();
            Frame f;
            while ((f = peer.readFrame()).type() != FrameType.HEADERS) {
                if (!(f.type() == FrameType.SETTINGS && f.isAck())) {
                    s.frames.add(FrameType.name(f.type()));
                }
                if (f.type() == FrameType.WINDOW_UPDATE && f.streamId() == 0) {
                    s.windowUpdate += f.windowIncrement();
                }
                if (f.type() == FrameType.PRIORITY) {
                    s.priorities.add(f.streamId() + ":?");
                }
            }
            s.frames.add(FrameType.name(f.type()));
            if (f.hasFlag(Frame.FLAG_PRIORITY)) {
                s.priorities.add(f.streamId() + ":headers");
            }
            H2TestServer.Peer.Block block = peer.readBlock(f);
            for (Header h : block.fields()) {
                if (h.name().startsWith(":")) {
                    s.pseudoHeaders.append(s.pseudoHeaders.length() == 0 ? "" : ",").append(h.name().charAt(1));
                }
            }
            seen.add(s);
            peer.headers(f.streamId(), answer, false);
            peer.data(f.streamId(), "ok".getBytes(StandardCharsets.US_ASCII), true);
            peer.serve((request) -> H2TestServer.Response.of(200, "ok"));
        };
    }

    private static List<Header> ok(Header... more) {
        List<Header> fields = new ArrayList<>(List.of(new Header(":status", "200"), new Header("content-length", "2")));
        fields.addAll(List.of(more));
        return fields;
    }

    private static HotPool pool(TlsProfiles profiles, UnaryOperator<HotPoolConfig.Builder> settings) {
        return new HotPool(settings.apply(HotPoolConfig.builder().tls(certs.clientSettings()).tlsProfiles(profiles)
                .staticAddresses(Map.of("localhost", List.of("127.0.0.1"))).protocols(List.of("h2", "http/1.1"))
                .proxy(ProxySettings.NONE)).build());
    }

    private static String get(HotPool pool, H2TestServer server) throws IOException {
        try (HotResponse response = pool.execute(HotRequest.get(server.uri("/")));
                InputStream in = response.body()) {
            assertThat(response.protocol()).isEqualTo("HTTP/2.0");
            return response.status() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '!', value = {
        "default!2:0;4:1048576;6:65536|16711681|0|m,a,s,p",
        "browser-like!1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p",
    })
    void theHttp2FingerprintShownIsWhatTheConnectionSends(String profile, String expected) throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (H2TestServer server = H2TestServer.tls(certs, capturing(seen, ok()));
                HotPool pool = pool(TlsProfiles.builder().profile(profile).build(), (b) -> b)) {
            assertThat(get(pool, server)).isEqualTo("200 ok");
            String shown = pool.tlsFingerprints().get(profile).http2();
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0).frames).as("frames before the first request").startsWith("SETTINGS", "WINDOW_UPDATE")
                .endsWith("HEADERS").doesNotContain("PRIORITY");
            assertThat(seen.get(0).akamai()).isEqualTo(shown);
            assertThat(shown).isEqualTo(expected);
        }
    }

    @Test
    void aConfiguredProfileSendsItsOwnSettingsWindowAndPseudoHeaderOrder() throws Exception {
        // Firefox's values per the notes: its pseudo-header order differs from hotpool's own and Chrome's.
        TlsProfile firefoxish = TlsProfile.builder("firefoxish").http2Settings("1:65536;2:0;4:131072;5:16384")
            .http2WindowUpdate(12_517_377).http2PseudoHeaderOrder("m,p,a,s").build();
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (H2TestServer server = H2TestServer.tls(certs, capturing(seen, ok()));
                HotPool pool = pool(TlsProfiles.builder().add(firefoxish).profile("firefoxish").build(), (b) -> b)) {
            assertThat(get(pool, server)).isEqualTo("200 ok");
            assertThat(seen.get(0).akamai()).isEqualTo(pool.tlsFingerprints().get("firefoxish").http2())
                .isEqualTo("1:65536;2:0;4:131072;5:16384|12517377|0|m,p,a,s");
        }
    }

    @Test
    void explicitHttp2SettingsReplaceTheProfilesValuesOnTheWireAndInTheFingerprint() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Http2Settings explicit = Http2Settings.builder().maxFrameSize(32_768).maxHeaderListSize(16_384)
            .connectionWindowSize(8 << 20).build();
        try (H2TestServer server = H2TestServer.tls(certs, capturing(seen, ok()));
                HotPool pool = pool(TlsProfiles.builder().profile("browser-like").build(), (b) -> b.http2(explicit))) {
            assertThat(get(pool, server)).isEqualTo("200 ok");
            assertThat(seen.get(0).akamai()).isEqualTo(pool.tlsFingerprints().get("browser-like").http2())
                .isEqualTo("1:65536;2:0;4:6291456;5:32768;6:16384|" + ((8 << 20) - 65_535) + "|0|m,a,s,p");
        }
    }

    @Test
    void anH2cConnectionUsesThePoolsOwnOptionsWhateverTheProfile() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (H2TestServer server = H2TestServer.h2c(capturing(seen, ok()));
                HotPool pool = pool(TlsProfiles.builder().profile("browser-like").build(),
                        (b) -> b.host("localhost", HostSettings.builder().protocols(List.of("h2c")).build()))) {
            assertThat(get(pool, server)).isEqualTo("200 ok");
            assertThat(seen.get(0).akamai()).isEqualTo("2:0;4:1048576;6:65536|16711681|0|m,a,s,p");
            assertThat(pool.tlsFingerprints().get("browser-like").http2())
                .as("TLS connections of the profile would offer h2 too").isEqualTo(
                        "1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p");
        }
    }

    @Test
    void noHttp2FingerprintIsShownWhenNoConnectionOffersH2() {
        try (HotPool pool = new HotPool(HotPoolConfig.builder().tlsProfiles(TlsProfiles.builder()
                .profile("browser-like").build()).proxy(ProxySettings.NONE).build())) {
            Fingerprint f = pool.tlsFingerprints().get("browser-like");
            assertThat(f.ja4()).isNotBlank();
            assertThat(f.http2()).isNull();
        }
    }

    @Test
    void hotpoolEnforcesTheHeaderListLimitItSent() throws Exception {
        // 100,000 bytes of header: over hotpool's own 65,536, under Chrome's 262,144.
        Header big = new Header("x-big", "b".repeat(100_000));
        try (H2TestServer server = H2TestServer.tls(certs, capturing(new CopyOnWriteArrayList<>(), ok(big)))) {
            try (HotPool chrome = pool(TlsProfiles.builder().profile("browser-like").build(), (b) -> b)) {
                assertThat(get(chrome, server)).isEqualTo("200 ok");
            }
            try (HotPool own = pool(TlsProfiles.builder().build(), (b) -> b.retryEnabled(false))) {
                assertThatThrownBy(() -> get(own, server)).isInstanceOf(MalformedResponseException.class)
                    .hasMessageContaining("a field block of more than");
            }
        }
    }
}
