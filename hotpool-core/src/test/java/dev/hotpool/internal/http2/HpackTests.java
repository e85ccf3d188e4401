package dev.hotpool.internal.http2;

import dev.hotpool.Header;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HPACK on real bytes: the examples of RFC 7541 Appendix C (fields and table states), the Huffman code against the
 * appendix's hex column, each decoding error with its code, level and message, the header list limit against an HPACK
 * bomb, and a seeded round trip of random field lists through the encoder and decoder.
 */
class HpackTests {

    private static final String ORIGIN = "https://h2.test:443";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static Header h(String name, String value) {
        return new Header(name, value);
    }

    private static List<Header> table(HpackDecoder d) {
        List<Header> t = new ArrayList<>();
        for (int i = 0; i < d.tableLength(); i++) {
            t.add(d.tableEntry(i));
        }
        return t;
    }

    // --- Appendix B

    @Test
    void huffmanCodesAreTheAppendixsCodes() {
        assertThat(Huffman.code(0)).isEqualTo(0x1ff8);
        assertThat(Huffman.code(1)).isEqualTo(0x7fffd8);
        assertThat(Huffman.code(10)).isEqualTo(0x3ffffffc);
        assertThat(Huffman.code(' ')).isEqualTo(0x14);
        assertThat(Huffman.code('0')).isEqualTo(0x0);
        assertThat(Huffman.code('X')).isEqualTo(0xfc);
        assertThat(Huffman.code('\\')).isEqualTo(0x7fff0);
        assertThat(Huffman.code('~')).isEqualTo(0x1ffd);
        assertThat(Huffman.code(127)).isEqualTo(0xffffffc);
        assertThat(Huffman.code(128)).isEqualTo(0xfffe6);
        assertThat(Huffman.code(195)).isEqualTo(0x7fff1);
        assertThat(Huffman.code(203)).isEqualTo(0x7ffffde);
        assertThat(Huffman.code(220)).isEqualTo(0xffffffd);
        assertThat(Huffman.code(254)).isEqualTo(0x7fffff0);
        assertThat(Huffman.code(255)).isEqualTo(0x3ffffee);
        assertThat(Huffman.code(Huffman.EOS)).isEqualTo(0x3fffffff);
        assertThat(Huffman.length(Huffman.EOS)).isEqualTo(30);
    }

    @Test
    void everyByteHuffmanCodesAndDecodesAlone() {
        for (int c = 0; c < 256; c++) {
            String s = String.valueOf((char) c);
            byte[] out = new byte[Huffman.encodedLength(s)];
            assertThat(Huffman.encode(s, out, 0)).isEqualTo(out.length);
            char[] chars = new char[8];
            int n = Huffman.decode(out, 0, out.length, chars, 8);
            assertThat(new String(chars, 0, n)).as("byte %d", c).isEqualTo(s);
        }
    }

    // --- Appendix C

    @Test
    void appendixC2LiteralAndIndexedFields() throws Exception {
        HpackDecoder d = new HpackDecoder(4096, 65536, ORIGIN);
        assertThat(d.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"), 1))
                .containsExactly(h("custom-key", "custom-header"));
        assertThat(table(d)).containsExactly(h("custom-key", "custom-header"));
        assertThat(d.tableSize()).isEqualTo(55);

        d = new HpackDecoder(4096, 65536, ORIGIN);
        assertThat(d.decode(hex("040c 2f73 616d 706c 652f 7061 7468"), 1)).containsExactly(h(":path", "/sample/path"));
        assertThat(d.tableLength()).isZero();

        assertThat(d.decode(hex("1008 7061 7373 776f 7264 0673 6563 7265 74"), 1))
                .containsExactly(h("password", "secret"));
        assertThat(d.tableLength()).isZero();

        assertThat(d.decode(hex("82"), 1)).containsExactly(h(":method", "GET"));
        assertThat(d.tableLength()).isZero();
    }

    private static final List<Header> REQUEST_1 = List.of(h(":method", "GET"), h(":scheme", "http"), h(":path", "/"),
            h(":authority", "www.example.com"));
    private static final List<Header> REQUEST_2 = List.of(h(":method", "GET"), h(":scheme", "http"), h(":path", "/"),
            h(":authority", "www.example.com"), h("cache-control", "no-cache"));
    private static final List<Header> REQUEST_3 = List.of(h(":method", "GET"), h(":scheme", "https"),
            h(":path", "/index.html"), h(":authority", "www.example.com"), h("custom-key", "custom-value"));

    @Test
    void appendixC3RequestsWithoutHuffman() throws Exception {
        requests(new String[] { "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            "8286 84be 5808 6e6f 2d63 6163 6865",
            "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65" });
    }

    @Test
    void appendixC4RequestsWithHuffman() throws Exception {
        requests(new String[] { "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", "8286 84be 5886 a8eb 1064 9cbf",
            "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf" });
    }

    private static void requests(String[] blocks) throws Exception {
        HpackDecoder d = new HpackDecoder(4096, 65536, ORIGIN);
        assertThat(d.decode(hex(blocks[0]), 1)).isEqualTo(REQUEST_1);
        assertThat(table(d)).containsExactly(h(":authority", "www.example.com"));
        assertThat(d.tableSize()).isEqualTo(57);
        assertThat(d.decode(hex(blocks[1]), 3)).isEqualTo(REQUEST_2);
        assertThat(table(d)).containsExactly(h("cache-control", "no-cache"), h(":authority", "www.example.com"));
        assertThat(d.tableSize()).isEqualTo(110);
        assertThat(d.decode(hex(blocks[2]), 5)).isEqualTo(REQUEST_3);
        assertThat(table(d)).containsExactly(h("custom-key", "custom-value"), h("cache-control", "no-cache"),
                h(":authority", "www.example.com"));
        assertThat(d.tableSize()).isEqualTo(164);
    }

    @Test
    void theEncoderWritesAppendixC4sBytes() {
        // Same indexing choices as the appendix here (none of these fields is :path-only or sensitive), and Huffman
        // whenever shorter: byte for byte the Huffman examples.
        HpackEncoder e = new HpackEncoder(4096);
        assertThat(e.encode(REQUEST_1)).isEqualTo(hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"));
        assertThat(e.encode(REQUEST_2)).isEqualTo(hex("8286 84be 5886 a8eb 1064 9cbf"));
        assertThat(e.encode(REQUEST_3)).isEqualTo(hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"));
        assertThat(e.tableSize()).isEqualTo(164);
    }

    private static final String DATE_21 = "Mon, 21 Oct 2013 20:13:21 GMT";
    private static final String DATE_22 = "Mon, 21 Oct 2013 20:13:22 GMT";
    private static final String COOKIE = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

    @Test
    void appendixC5ResponsesWithoutHuffmanEvictEntries() throws Exception {
        responses(new String[] { "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 "
                + "2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            "4803 3330 37c1 c0bf",
            "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 "
                + "7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 "
                + "2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31" });
    }

    @Test
    void appendixC6ResponsesWithHuffmanEvictEntries() throws Exception {
        responses(new String[] { "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 "
                + "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
            "4883 640e ffc1 c0bf",
            "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 "
                + "b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07" });
    }

    private static void responses(String[] blocks) throws Exception {
        HpackDecoder d = new HpackDecoder(4096, 65536, ORIGIN);
        d.assumeTableCapacity(256);
        assertThat(d.decode(hex(blocks[0]), 1)).containsExactly(h(":status", "302"), h("cache-control", "private"),
                h("date", DATE_21), h("location", "https://www.example.com"));
        assertThat(table(d)).containsExactly(h("location", "https://www.example.com"), h("date", DATE_21),
                h("cache-control", "private"), h(":status", "302"));
        assertThat(d.tableSize()).isEqualTo(222);
        assertThat(d.decode(hex(blocks[1]), 3)).containsExactly(h(":status", "307"), h("cache-control", "private"),
                h("date", DATE_21), h("location", "https://www.example.com"));
        assertThat(table(d)).containsExactly(h(":status", "307"), h("location", "https://www.example.com"),
                h("date", DATE_21), h("cache-control", "private"));
        assertThat(d.tableSize()).isEqualTo(222);
        assertThat(d.decode(hex(blocks[2]), 5)).containsExactly(h(":status", "200"), h("cache-control", "private"),
                h("date", DATE_22), h("location", "https://www.example.com"), h("content-encoding", "gzip"),
                h("set-cookie", COOKIE));
        assertThat(table(d)).containsExactly(h("set-cookie", COOKIE), h("content-encoding", "gzip"),
                h("date", DATE_22));
        assertThat(d.tableSize()).isEqualTo(215);
    }

    // --- Decoding errors: each a connection COMPRESSION_ERROR naming what was wrong

    private static void compressionError(String block, String message) {
        compressionError(new HpackDecoder(4096, 65536, ORIGIN), hex(block), message);
    }

    private static void compressionError(HpackDecoder d, byte[] block, String message) {
        assertThatThrownBy(() -> d.decode(block, 1)).isInstanceOfSatisfying(Http2Exception.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.COMPRESSION_ERROR);
            assertThat(e.isConnectionError()).isTrue();
            assertThat(e.getMessage()).isEqualTo("hotpool: HTTP/2 connection error COMPRESSION_ERROR from "
                    + ORIGIN + ": " + message);
        });
    }

    @Test
    void indexZeroIsAnError() {
        compressionError("80", "index 0 outside the tables (static 1-61, dynamic empty)");
    }

    @Test
    void anIndexPastTheDynamicTableIsAnError() {
        compressionError("be", "index 62 outside the tables (static 1-61, dynamic empty)");
        compressionError("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572 bf",
                "index 63 outside the tables (static 1-61, dynamic 62-62)");
        // As a literal's name index too.
        compressionError("7f00 0161", "index 63 outside the tables (static 1-61, dynamic empty)");
    }

    @Test
    void integersAbove2To31AreAnError() {
        // Index 2^31: 0x7f then 2^31 - 127 in 7-bit groups.
        compressionError("ff 81 ff ff ff 07", "an integer above 2^31-1");
        compressionError("ff ff ff ff ff ff ff 01", "an integer above 2^31-1");
    }

    @Test
    void integersInMoreOctetsThanNeededAreAnError() {
        // 127 + 0 is written ff 00; ff 80 00 spells the same with a needless octet.
        compressionError("ff 80 00", "an integer in more octets than needed");
        compressionError("ff 81 00", "an integer in more octets than needed");
        // Zero-valued continuation octets past the fifth: the shift once wrapped around 64 bits here and gave a
        // negative table size (found by HpackDecoderFuzzTests, crash-6240db87...).
        compressionError("3f 80 80 80 80 80 80 80 80 80 81 01", "an integer in more octets than needed");
        compressionError("3f " + "80 ".repeat(70) + "ff ff 03", "an integer in more octets than needed");
        // Five octets after the prefix still carry 2^31-1.
        assertThatThrownBy(() -> new HpackDecoder(4096, 65536, ORIGIN).decode(hex("ff 80 ff ff ff 07"), 1))
                .hasMessageContaining("index 2147483647 outside the tables");
    }

    @Test
    void aBlockEndingInsideARepresentationIsAnError() {
        compressionError("ff", "a block ending inside an integer");
        compressionError("40", "a block ending before a string literal");
        compressionError("0005 6162", "a string literal of 5 octets, longer than the 2 left in the block");
        compressionError("0001 61 7e", "a string literal of 126 octets, longer than the 0 left in the block");
    }

    @Test
    void tableSizeUpdatesAboveTheSettingOrAfterAFieldAreErrors() throws Exception {
        compressionError("3fe21f", "a dynamic table size update to 4097, above the advertised "
                + "SETTINGS_HEADER_TABLE_SIZE 4096");
        compressionError("82 20", "a dynamic table size update after a field (allowed only at a block's start)");
        HpackDecoder d = new HpackDecoder(4096, 65536, ORIGIN);
        assertThat(d.decode(hex("20 3fe11f 82"), 1)).containsExactly(h(":method", "GET"));
        assertThat(d.tableCapacity()).isEqualTo(4096);
    }

    @Test
    void aLoweredTableSizeSettingRequiresAnUpdateAtTheNextBlock() throws Exception {
        HpackDecoder d = new HpackDecoder(4096, 65536, ORIGIN);
        d.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"), 1);
        d.setMaxHeaderTableSize(100);
        compressionError(d, hex("82"), "no dynamic table size update at the start of the first block after "
                + "SETTINGS_HEADER_TABLE_SIZE dropped to 100");
        HpackDecoder ok = new HpackDecoder(4096, 65536, ORIGIN);
        ok.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"), 1);
        ok.setMaxHeaderTableSize(100);
        assertThat(ok.decode(hex("20 82"), 3)).containsExactly(h(":method", "GET"));
        assertThat(ok.tableLength()).isZero();
        assertThat(ok.tableCapacity()).isZero();
    }

    @Test
    void huffmanStringsWithEosOrBadPaddingAreErrors() {
        // "a" is 00011; EOS is thirty ones. 00011 + 30 ones = 35 bits, padded with ones to 40.
        compressionError("0085 1fff ffff ff", "a Huffman-coded string containing the EOS symbol");
        // "a" then 11 ones: padding of 11 bits.
        compressionError("0082 1fff", "a Huffman-coded string with padding longer than 7 bits");
        // "a" then 001: padding that is not all ones.
        compressionError("0081 19", "a Huffman-coded string whose padding is not the EOS prefix (all ones)");
        // A whole octet of padding (eight ones) after nothing.
        compressionError("0081 ff", "a Huffman-coded string with padding longer than 7 bits");
    }

    // --- The header list limit

    @Test
    void anHpackBombStopsAtTheHeaderListLimitBeforeItAllocates() {
        // One 4 KiB entry in the dynamic table, then 100,000 references to it: 400 MB of fields if collected.
        int maxList = 65536;
        HpackDecoder d = new HpackDecoder(8192, maxList, ORIGIN);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x3f); // Table size update to 8192 (within the advertised 8192): 0x3f e1 3f.
        block.write(0xe1);
        block.write(0x3f);
        block.write(0x40); // Literal with incremental indexing, new name.
        block.write(0x01);
        block.write('x');
        block.write(0x7f); // Value length 4096: 127 + 3969 = 0x7f, 0x81 0x1f.
        block.write(0x81);
        block.write(0x1f);
        for (int i = 0; i < 4096; i++) {
            block.write('v');
        }
        for (int i = 0; i < 100_000; i++) {
            block.write(0xbe); // Index 62: the entry.
        }
        byte[] bytes = block.toByteArray();
        long before = allocated();
        assertThatThrownBy(() -> d.decode(bytes, 7)).isInstanceOfSatisfying(Http2Exception.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(e.isConnectionError()).isFalse();
            assertThat(e.streamId()).isEqualTo(7);
            assertThat(e.getMessage()).isEqualTo("hotpool: HTTP/2 stream error PROTOCOL_ERROR on stream 7 from "
                    + ORIGIN + ": a header list larger than SETTINGS_MAX_HEADER_LIST_SIZE 65536 (RFC 7541 §4.1 sizes:"
                    + " name + value + 32 per field)");
        });
        long used = allocated() - before;
        // The 4 KiB value, a list of at most 16 references and the exception: far below one copy per reference.
        assertThat(used).isLessThan(1024 * 1024);
        // The block was decoded to its end: the table holds the entry, and the connection goes on.
        assertThat(d.tableLength()).isEqualTo(1);
    }

    @Test
    void aListWithinTheLimitPassesAndOneOctetMoreDoesNot() throws Exception {
        // :method GET is 7 + 3 + 32 = 42; :path / is 5 + 1 + 32 = 38: together 80.
        assertThat(new HpackDecoder(4096, 80, ORIGIN).decode(hex("82 84"), 1)).hasSize(2);
        assertThatThrownBy(() -> new HpackDecoder(4096, 79, ORIGIN).decode(hex("82 84"), 1))
                .isInstanceOf(Http2Exception.class).hasMessageContaining("SETTINGS_MAX_HEADER_LIST_SIZE 79");
        // A literal past the limit is not collected, and the next block decodes against the same table.
        HpackDecoder d = new HpackDecoder(4096, 80, ORIGIN);
        assertThatThrownBy(() -> d.decode(hex("82 400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"),
                1)).isInstanceOf(Http2Exception.class);
        assertThat(d.decode(hex("be"), 3)).containsExactly(h("custom-key", "custom-header"));
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    // --- The encoder

    @Test
    void credentialsAreNeverIndexedAndNamesAreLowerCased() throws Exception {
        HpackEncoder e = new HpackEncoder(4096);
        byte[] block = e.encode(List.of(h("Authorization", "Bearer s3cret"), h("cookie", "a=b"),
                h("proxy-authorization", "Basic eA==")));
        assertThat(e.tableLength()).isZero();
        // Never-indexed literals with the static name indices 23, 32 and 49: 0x1f 0x08, 0x1f 0x11, 0x1f 0x22.
        assertThat(block[0] & 0xff).isEqualTo(0x1f);
        assertThat(block[1] & 0xff).isEqualTo(23 - 15);
        HpackDecoder d = new HpackDecoder(4096, 65536, ORIGIN);
        assertThat(d.decode(block, 1)).containsExactly(h("authorization", "Bearer s3cret"), h("cookie", "a=b"),
                h("proxy-authorization", "Basic eA=="));
        assertThat(d.tableLength()).isZero();
    }

    @Test
    void aRepeatedRequestIsIndexedAfterTheFirst() throws Exception {
        HpackEncoder e = new HpackEncoder(4096);
        List<Header> request = List.of(h(":method", "GET"), h(":authority", "api.example.com:8443"),
                h(":scheme", "https"), h(":path", "/orders/17"), h("user-agent", "hotpool"));
        byte[] first = e.encode(request);
        byte[] second = e.encode(request);
        assertThat(second.length).isLessThan(first.length);
        // :path is a literal without indexing each time, the rest one octet each.
        HpackDecoder d = new HpackDecoder(4096, 65536, ORIGIN);
        assertThat(d.decode(first, 1)).isEqualTo(request);
        assertThat(d.decode(second, 3)).isEqualTo(request);
        assertThat(table(d)).containsExactly(h("user-agent", "hotpool"), h(":authority", "api.example.com:8443"));
    }

    @Test
    void aShrunkPeerTableIsSignalledAtTheNextBlockSmallestFirst() throws Exception {
        HpackEncoder e = new HpackEncoder(4096);
        HpackDecoder d = new HpackDecoder(4096, 65536, ORIGIN);
        d.decode(e.encode(List.of(h("custom-key", "custom-header"))), 1);
        e.setPeerMaxHeaderTableSize(0);
        e.setPeerMaxHeaderTableSize(100);
        byte[] block = e.encode(List.of(h(":method", "GET")));
        assertThat(block).isEqualTo(hex("20 3f45 82"));
        d.setMaxHeaderTableSize(100);
        assertThat(d.decode(block, 3)).containsExactly(h(":method", "GET"));
        assertThat(d.tableLength()).isZero();
        assertThat(d.tableCapacity()).isEqualTo(100);
        // A peer allowing more than the encoder's own limit gets the encoder's limit.
        e.setPeerMaxHeaderTableSize(65536);
        assertThat(e.encode(List.of(h(":method", "GET")))).isEqualTo(hex("3fe11f 82"));
    }

    @Test
    void anEncoderLimitBelow4096IsSignalledInTheFirstBlock() throws Exception {
        HpackEncoder e = new HpackEncoder(0);
        assertThat(e.encode(List.of(h(":method", "GET")))).isEqualTo(hex("20 82"));
        assertThat(e.encode(List.of(h("x-a", "b")))).isEqualTo(hex("00 03 782d61 01 62"));
    }

    // --- Round trip

    @Test
    void randomFieldListsSurviveEncodingAndDecoding() throws Exception {
        long seed = Long.getLong("hotpool.hpack.seed", System.nanoTime());
        System.out.println("HpackTests.randomFieldListsSurviveEncodingAndDecoding seed " + seed
                + " (rerun with -Dhotpool.hpack.seed=" + seed + ")");
        Random random = new Random(seed);
        for (int run = 0; run < 50; run++) {
            int tableSize = random.nextInt(4) == 0 ? random.nextInt(300) : 4096;
            HpackEncoder e = new HpackEncoder(tableSize);
            HpackDecoder d = new HpackDecoder(4096, Integer.MAX_VALUE, ORIGIN);
            List<Header> pool = new ArrayList<>();
            for (int block = 0; block < 40; block++) {
                if (random.nextInt(10) == 0) {
                    long peer = random.nextInt(5000);
                    e.setPeerMaxHeaderTableSize(peer);
                }
                List<Header> fields = new ArrayList<>();
                int n = random.nextInt(12);
                for (int i = 0; i < n; i++) {
                    Header f = !pool.isEmpty() && random.nextInt(3) == 0 ? pool.get(random.nextInt(pool.size()))
                            : randomField(random);
                    pool.add(f);
                    fields.add(f);
                }
                byte[] encoded = e.encode(fields);
                assertThat(d.decode(encoded, 1 + 2 * block)).as("seed %d run %d block %d", seed, run, block)
                        .isEqualTo(fields);
                assertThat(d.tableSize()).isEqualTo(e.tableSize());
                assertThat(d.tableLength()).isEqualTo(e.tableLength());
            }
        }
    }

    private static final String[] NAMES = { ":method", ":path", ":authority", "accept", "user-agent", "cookie",
        "authorization", "x-trace", "content-type", "content-length", "custom-key", "cache-control" };

    private static Header randomField(Random random) {
        String name = random.nextInt(4) == 0 ? randomName(random) : NAMES[random.nextInt(NAMES.length)];
        return new Header(name, randomValue(random));
    }

    private static String randomName(Random random) {
        StringBuilder b = new StringBuilder();
        int n = 1 + random.nextInt(20);
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }

    private static String randomValue(Random random) {
        int kind = random.nextInt(10);
        int n = kind == 0 ? 0 : kind == 1 ? 200 + random.nextInt(3000) : random.nextInt(40);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) (random.nextBoolean() ? 0x20 + random.nextInt(0x5f) : 0x80 + random.nextInt(0x80)));
        }
        return b.toString();
    }
}
