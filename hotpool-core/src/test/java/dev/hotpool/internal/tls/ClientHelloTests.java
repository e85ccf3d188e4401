package dev.hotpool.internal.tls;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.hotpool.internal.tls.HelloBytes.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Parsing ClientHellos and fingerprinting them: the published JA4 test vectors (FoxIO's JA4 specification), the JA3
 * example of Salesforce's README, and a real Chrome 143 hello as a public fingerprinting service reported it (its
 * JA3 MD5 and JA4 agree with the lists it printed).
 */
class ClientHelloTests {

    private static final int[] CHROME_CIPHERS = { 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
            0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035 };

    private static final int[] CHROME_SIGNATURES = { 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601 };

    /**
     * The hello of FoxIO's JA4 example, in its original order (ja4_ro), with GREASE values added where browsers put
     * them: the cipher list, extensions, groups and supported versions.
     */
    private static HelloBytes ja4SpecificationHello(boolean withSignatures) {
        HelloBytes h = hello().ciphers(0x2a2a).ciphers(CHROME_CIPHERS).empty(0x0a0a).empty(0x001b)
            .sni("example.com").keyShares(0x1a1a, 0x001d).alpn("h2", "http/1.1").empty(0x4469).empty(0x0017)
            .extension(0x002d, new byte[] { 1, 1 });
        h = withSignatures ? h.signatureAlgorithms(CHROME_SIGNATURES) : h.signatureAlgorithms();
        return h.empty(0x0005).empty(0x0023).empty(0x0012).supportedVersions(0x3a3a, 0x0304, 0x0303).empty(0xff01)
            .pointFormats(0).groups(0x4a4a, 0x001d, 0x0017, 0x0018).empty(0x0015).empty(0x5a5a);
    }

    @Test
    void ja4OfTheSpecificationsExampleIsItsPublishedValue() {
        ClientHello h = ClientHello.parse(ja4SpecificationHello(true).bytes());
        assertThat(h.ja4()).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
        assertThat(h.ja4Raw()).isEqualTo("t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,"
                + "cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,"
                + "0805,0501,0806,0601");
    }

    @Test
    void ja4WithoutSignatureAlgorithmsHashesTheExtensionsAloneAsPublished() {
        ClientHello h = ClientHello.parse(ja4SpecificationHello(false).bytes());
        assertThat(h.ja4()).isEqualTo("t13d1516h2_8daaf6152771_6d807ffa2a79");
    }

    @Test
    void chrome143HelloGivesTheJa3AndJa4AFingerprintingServiceReported() {
        HelloBytes h = hello().ciphers(0xdada).ciphers(CHROME_CIPHERS).empty(0x8a8a)
            .extension(0x002d, new byte[] { 1, 1 }).keyShares(0xeaea, 0x11ec, 0x001d).alpn("h2", "http/1.1")
            .empty(0xfe0d).empty(0x0017).empty(0x44cd).sni("tls.browserleaks.com").pointFormats(0)
            .groups(0xeaea, 0x11ec, 0x001d, 0x0017, 0x0018).supportedVersions(0x7a7a, 0x0304, 0x0303).empty(0xff01)
            .empty(0x0023).empty(0x0012).empty(0x0005).signatureAlgorithms(CHROME_SIGNATURES).empty(0x001b)
            .empty(0x9a9a);
        ClientHello parsed = ClientHello.parse(h.bytes());
        assertThat(parsed.ja3()).isEqualTo("771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-"
                + "47-53,45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0");
        assertThat(parsed.ja3Md5()).isEqualTo("98487aa16281980e7d1120d399efb6a4");
        assertThat(parsed.ja4()).isEqualTo("t13d1516h2_8daaf6152771_d8a2da3f94cd");
    }

    @Test
    void ja3OfSalesforcesExampleIsItsPublishedHash() {
        byte[] bytes = hello().legacyVersion(0x0301).ciphers(47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4)
            .sni("example.com").groups(23, 24, 25).pointFormats(0).bytes();
        ClientHello h = ClientHello.parse(bytes);
        assertThat(h.ja3()).isEqualTo("769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0");
        assertThat(h.ja3Md5()).isEqualTo("ada70206e40642a3e4461f35503241d5");
        assertThat(h.ja4()).startsWith("t10d120300_");
    }

    @Test
    void everyFieldIsParsedInWireOrderWithGreaseKept() {
        ClientHello h = ClientHello.parse(ja4SpecificationHello(true).bytes());
        assertThat(h.legacyVersion()).isEqualTo(0x0303);
        assertThat(h.recordVersion()).isEqualTo(0x0301);
        assertThat(h.cipherSuites()).first().isEqualTo(0x2a2a);
        assertThat(h.cipherSuites()).hasSize(16);
        assertThat(h.serverName()).isEqualTo("example.com");
        assertThat(h.alpn()).containsExactly("h2", "http/1.1");
        assertThat(h.namedGroups()).containsExactly(0x4a4a, 0x001d, 0x0017, 0x0018);
        assertThat(h.keyShares()).containsExactly(0x1a1a, 0x001d);
        assertThat(h.supportedVersions()).containsExactly(0x3a3a, 0x0304, 0x0303);
        assertThat(h.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(h.pointFormats()).containsExactly(0);
        assertThat(h.signatureAlgorithms()).hasSize(8).startsWith(0x0403, 0x0804);
        assertThat(h.extensions()).startsWith(0x0a0a, 0x001b, 0x0000).endsWith(0x0015, 0x5a5a);
    }

    @Test
    void aHelloSplitOverSeveralRecordsIsReassembled() {
        byte[] whole = ja4SpecificationHello(true).bytes();
        byte[] split = ja4SpecificationHello(true).recordSize(40).bytes();
        assertThat(split.length).isGreaterThan(whole.length);
        assertThat(ClientHello.completeLength(split, split.length)).isEqualTo(split.length);
        assertThat(ClientHello.completeLength(split, split.length - 1)).isEqualTo(-1);
        assertThat(ClientHello.parse(split).ja4()).isEqualTo(ClientHello.parse(whole).ja4());
    }

    @Test
    void bytesAfterTheHelloAreNotPartOfIt() {
        byte[] hello = ja4SpecificationHello(true).bytes();
        byte[] more = Arrays.copyOf(hello, hello.length + 7);
        more[hello.length] = 21;
        assertThat(ClientHello.completeLength(more, more.length)).isEqualTo(hello.length);
    }

    @Test
    void aHelloWithoutExtensionsHasZeroHashesWhereTheSpecificationSaysSo() {
        ClientHello h = ClientHello.parse(hello().ciphers(0x002f).bytes());
        assertThat(h.ja4()).isEqualTo("t12i010000_ba72b8082249_000000000000");
        assertThat(h.ja3()).isEqualTo("771,47,,,");
        ClientHello noCiphers = ClientHello.parse(hello().empty(0x0017).bytes());
        assertThat(noCiphers.ja4()).isEqualTo("t12i000100_000000000000_1ca028f07214");
    }

    @ParameterizedTest(name = "{0} gives {1}")
    @CsvSource({ "http/1.1, h1", "h2, h2", "h, hh", "ab, ab" })
    void ja4AlpnIsTheFirstAndLastCharacterOfTheFirstValue(String alpn, String expected) {
        ClientHello h = ClientHello.parse(hello().ciphers(0x1301).alpn(alpn, "other").bytes());
        assertThat(h.ja4().substring(8, 10)).isEqualTo(expected);
    }

    /** The examples of the JA4 specification for ALPN values that are not alphanumeric. */
    @Test
    void ja4AlpnFallsBackToHexWhenTheValueIsNotAlphanumeric() {
        assertThat(alpnPart(new byte[] { (byte) 0xab })).isEqualTo("ab");
        assertThat(alpnPart(new byte[] { (byte) 0xab, (byte) 0xcd })).isEqualTo("ad");
        assertThat(alpnPart(new byte[] { 0x30, (byte) 0xab })).isEqualTo("3b");
        assertThat(alpnPart(new byte[] { 0x30, 0x31, (byte) 0xab, (byte) 0xcd })).isEqualTo("3d");
        assertThat(alpnPart(new byte[] { 0x30, (byte) 0xab, (byte) 0xcd, 0x31 })).isEqualTo("01");
        assertThat(ClientHello.parse(hello().ciphers(0x1301).empty(0x0017).bytes()).ja4().substring(8, 10))
            .isEqualTo("00");
    }

    @Test
    void greaseValuesAreRecognised() {
        List<Integer> grease = List.of(0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a, 0x8a8a, 0x9a9a,
                0xaaaa, 0xbaba, 0xcaca, 0xdada, 0xeaea, 0xfafa);
        assertThat(grease).allMatch(ClientHello::isGrease);
        assertThat(List.of(0x0a1a, 0x1301, 0x0000, 0xffff, 0xfafb)).noneMatch(ClientHello::isGrease);
    }

    @Test
    void somethingElseThanAClientHelloIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> ClientHello.parse("GET / HTTP/1.1\r\n\r\n".getBytes()))
            .withMessageContaining("not a TLS handshake record");
        byte[] truncated = Arrays.copyOf(ja4SpecificationHello(true).bytes(), 60);
        assertThatIllegalArgumentException().isThrownBy(() -> ClientHello.parse(truncated))
            .withMessageStartingWith("not a complete TLS ClientHello");
    }

    private static String alpnPart(byte[] first) {
        return ClientHello.parse(hello().ciphers(0x1301).alpnBytes(first).bytes()).ja4().substring(8, 10);
    }
}
