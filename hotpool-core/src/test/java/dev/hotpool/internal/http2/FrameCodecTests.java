package dev.hotpool.internal.http2;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Frames written by {@link FrameWriter} and read back by {@link FrameReader} on real bytes, and every malformed frame
 * shape the reader must refuse, each with its error code, level and message.
 */
class FrameCodecTests {

    private static final String ORIGIN = "https://h2.test:443";

    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final FrameWriter writer = new FrameWriter(this.wire);

    private FrameReader reader() {
        return new FrameReader(new ByteArrayInputStream(this.wire.toByteArray()), 16384, ORIGIN);
    }

    /** A stream that hands out one byte per read, as a slow network may. */
    private FrameReader tricklingReader() {
        InputStream in = new FilterInputStream(new ByteArrayInputStream(this.wire.toByteArray())) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        return new FrameReader(in, 16384, ORIGIN);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    // --- Round trips

    @Test
    void streamIdsAbove65535AndTheLargestReadBackExactly() throws IOException {
        for (int id : new int[] { 1, 255, 32767, 65535, 65537, 0x00800001, 0x7fffffff }) {
            this.writer.data(id, new byte[] { 1, 2, 3 }, 0, 3, false);
        }
        FrameReader r = tricklingReader();
        for (int id : new int[] { 1, 255, 32767, 65535, 65537, 0x00800001, 0x7fffffff }) {
            Frame f = r.read();
            assertThat(f.streamId()).isEqualTo(id);
            assertThat(f.payloadBytes()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void theReservedBitIsIgnored() throws IOException {
        this.writer.frame(FrameType.DATA, 0, 0x80000001, new byte[] { 7 }, 0, 1);
        this.writer.frame(FrameType.WINDOW_UPDATE, 0, 0x80000000, hex("8000 0010"), 0, 4);
        FrameReader r = reader();
        assertThat(r.read().streamId()).isEqualTo(1);
        Frame update = r.read();
        assertThat(update.streamId()).isZero();
        assertThat(update.windowIncrement()).isEqualTo(16);
    }

    @Test
    void aFramesPayloadStaysValidAfterTheNextRead() throws IOException {
        this.writer.data(1, "AAAA".getBytes(), 0, 4, false);
        this.writer.data(1, "BBBB".getBytes(), 0, 4, true);
        FrameReader r = tricklingReader();
        Frame first = r.read();
        Frame second = r.read();
        assertThat(new String(first.payloadBytes())).isEqualTo("AAAA");
        assertThat(new String(second.payloadBytes())).isEqualTo("BBBB");
        assertThat(first.isEndStream()).isFalse();
        assertThat(second.isEndStream()).isTrue();
        assertThat(first.payload()).isNotSameAs(second.payload());
    }

    @Test
    void everyFrameTheWriterWritesReadsBack() throws IOException {
        this.writer.preface();
        this.writer.settings(List.of(new Setting(Setting.HEADER_TABLE_SIZE, 65536), new Setting(Setting.ENABLE_PUSH, 0),
                new Setting(Setting.INITIAL_WINDOW_SIZE, 6291456), new Setting(Setting.MAX_HEADER_LIST_SIZE, 262144),
                new Setting(0x1a1a, 0xffff_ffffL)));
        this.writer.windowUpdate(0, 15663105);
        this.writer.settingsAck();
        this.writer.ping(0x0102030405060708L);
        this.writer.pingAck(-1L);
        this.writer.rstStream(3, ErrorCode.CANCEL);
        this.writer.goAway(0x7fffffff, ErrorCode.ENHANCE_YOUR_CALM, "slow down".getBytes());
        this.writer.priority(5, new Priority(3, true, 256));
        byte[] all = this.wire.toByteArray();
        assertThat(Arrays.copyOf(all, 24)).isEqualTo(FrameWriter.CLIENT_PREFACE);
        FrameReader r = new FrameReader(new ByteArrayInputStream(all, 24, all.length - 24), 16384, ORIGIN);

        Frame settings = r.read();
        assertThat(settings.type()).isEqualTo(FrameType.SETTINGS);
        assertThat(settings.isAck()).isFalse();
        assertThat(settings.settings()).containsExactly(new Setting(1, 65536), new Setting(2, 0),
                new Setting(4, 6291456), new Setting(6, 262144), new Setting(0x1a1a, 0xffff_ffffL));
        assertThat(r.read().windowIncrement()).isEqualTo(15663105);
        Frame ack = r.read();
        assertThat(ack.isAck()).isTrue();
        assertThat(ack.settings()).isEmpty();
        Frame ping = r.read();
        assertThat(ping.isAck()).isFalse();
        assertThat(ping.pingData()).isEqualTo(0x0102030405060708L);
        Frame pingAck = r.read();
        assertThat(pingAck.isAck()).isTrue();
        assertThat(pingAck.pingData()).isEqualTo(-1L);
        Frame rst = r.read();
        assertThat(rst.streamId()).isEqualTo(3);
        assertThat(ErrorCode.of(rst.errorCode())).isEqualTo(ErrorCode.CANCEL);
        Frame goAway = r.read();
        assertThat(goAway.lastStreamId()).isEqualTo(0x7fffffff);
        assertThat(ErrorCode.of(goAway.errorCode())).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        assertThat(goAway.debugDataLength()).isEqualTo(9);
        Frame priority = r.read();
        assertThat(priority.type()).isEqualTo(FrameType.PRIORITY);
        assertThat(priority.payloadBytes()).containsExactly(hex("8000 0003 ff"));
        assertThatThrownBy(r::read).isInstanceOf(ConnectionEndedException.class)
                .hasMessage("hotpool: https://h2.test:443 closed the HTTP/2 connection");
    }

    @Test
    void aLargeHeaderBlockIsSplitIntoContinuationsAndJoinedBack() throws IOException {
        byte[] block = new byte[40_000];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) i;
        }
        this.writer.headers(9, block, true);
        this.writer.data(9, new byte[0], 0, 0, true);
        FrameReader r = reader();
        Frame headers = r.read();
        assertThat(headers.type()).isEqualTo(FrameType.HEADERS);
        assertThat(headers.length()).isEqualTo(16384);
        assertThat(headers.isEndStream()).isTrue();
        assertThat(headers.isEndHeaders()).isFalse();
        Frame c1 = r.read();
        Frame c2 = r.read();
        assertThat(c1.type()).isEqualTo(FrameType.CONTINUATION);
        assertThat(c1.isEndHeaders()).isFalse();
        assertThat(c2.isEndHeaders()).isTrue();
        assertThat(c2.hasFlag(Frame.FLAG_END_STREAM)).isFalse();
        assertThat(headers.length() + c1.length() + c2.length()).isEqualTo(40_000);

        FieldBlock joined = new FieldBlock(65536, ORIGIN);
        assertThat(joined.add(headers)).isFalse();
        assertThat(joined.inProgress()).isTrue();
        assertThat(joined.add(c1)).isFalse();
        assertThat(joined.add(c2)).isTrue();
        assertThat(Arrays.copyOfRange(joined.array(), joined.offset(), joined.offset() + joined.length()))
                .isEqualTo(block);
        assertThat(joined.first().isEndStream()).isTrue();
        joined.clear();
        Frame empty = r.read();
        assertThat(empty.length()).isZero();
        assertThat(empty.isEndStream()).isTrue();
    }

    @Test
    void aLargerPeerMaxFrameSizeChangesTheSplit() throws IOException {
        this.writer.setMaxFrameSize(20_000);
        this.writer.data(1, new byte[50_000], 0, 50_000, true);
        FrameReader r = new FrameReader(new ByteArrayInputStream(this.wire.toByteArray()), 20_000, ORIGIN);
        assertThat(r.read().length()).isEqualTo(20_000);
        assertThat(r.read().length()).isEqualTo(20_000);
        Frame last = r.read();
        assertThat(last.length()).isEqualTo(10_000);
        assertThat(last.isEndStream()).isTrue();
    }

    @Test
    void headersWithPriorityAndPaddingGiveTheFragmentAlone() throws IOException {
        // HEADERS, PADDED | PRIORITY | END_HEADERS, stream 3: pad length 2, dependency 1 (E), weight 16, "ab", padding.
        this.writer.frame(FrameType.HEADERS, 0x2c, 3, hex("02 8000 0001 0f 6162 0000"), 0, 10);
        this.writer.headers(5, "cd".getBytes(), 0, 2, false, new Priority(0, false, 220));
        // DATA, PADDED: pad length 3, "xyz", padding: flow control counts all 7 bytes.
        this.writer.frame(FrameType.DATA, 0x08, 3, hex("03 78797a 000000"), 0, 7);
        FrameReader r = reader();
        Frame h = r.read();
        assertThat(h.payloadBytes()).containsExactly('a', 'b');
        assertThat(h.length()).isEqualTo(10);
        Frame h2 = r.read();
        assertThat(h2.hasFlag(Frame.FLAG_PRIORITY)).isTrue();
        assertThat(h2.payloadBytes()).containsExactly('c', 'd');
        Frame d = r.read();
        assertThat(new String(d.payloadBytes())).isEqualTo("xyz");
        assertThat(d.length()).isEqualTo(7);
    }

    @Test
    void unknownFrameTypesPassThrough() throws IOException {
        this.writer.frame(0xfa, 0xff, 0, new byte[] { 1, 2 }, 0, 2);
        Frame f = reader().read();
        assertThat(f.type()).isEqualTo(0xfa);
        assertThat(f.flags()).isEqualTo(0xff);
        assertThat(f.payloadBytes()).containsExactly(1, 2);
        assertThat(f.toString()).isEqualTo("type 0xfa[stream 0, flags 0xff, length 2]");
    }

    // --- Ends of the stream

    @Test
    void anEndInsideAFrameHeaderOrPayloadIsTruncationNotAnEof() {
        byte[] partialHeader = hex("0000 0400 0000");
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(partialHeader), 16384, ORIGIN).read())
                .isInstanceOf(TruncatedFrameException.class).isNotInstanceOf(EOFException.class)
                .hasMessage("hotpool: https://h2.test:443 closed the HTTP/2 connection inside a frame header "
                        + "(6 of 9 bytes)");
        byte[] partialPayload = hex("0000 0500 0000 0000 01 6162");
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(partialPayload), 16384, ORIGIN).read())
                .isInstanceOf(TruncatedFrameException.class)
                .hasMessage("hotpool: https://h2.test:443 closed the HTTP/2 connection inside a DATA frame "
                        + "(2 of 5 payload bytes)");
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(new byte[0]), 16384, null).read())
                .isInstanceOf(ConnectionEndedException.class).isInstanceOf(EOFException.class)
                .hasMessage("hotpool: the peer closed the HTTP/2 connection");
    }

    // --- Malformed frames: one assertion each on code, level and message

    private void rejects(String frameHex, ErrorCode code, int streamId, String what) {
        byte[] bytes = hex(frameHex);
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(bytes), 16384, ORIGIN).read())
                .isInstanceOfSatisfying(Http2Exception.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(code);
                    assertThat(e.streamId()).isEqualTo(streamId);
                    assertThat(e.isConnectionError()).isEqualTo(streamId == 0);
                    assertThat(e.getMessage()).isEqualTo(streamId == 0
                            ? "hotpool: HTTP/2 connection error " + code + " from " + ORIGIN + ": " + what
                            : "hotpool: HTTP/2 stream error " + code + " on stream " + streamId + " from " + ORIGIN
                                    + ": " + what);
                });
    }

    @Test
    void aFrameAboveTheMaximumSizeIsRefusedBeforeItsPayloadIsRead() {
        // Length 16385, and no payload at all: the length alone decides.
        rejects("0040 0100 0000 0000 01", ErrorCode.FRAME_SIZE_ERROR, 0,
                "a DATA frame of 16385 bytes, above the maximum frame size 16384");
        rejects("ffff ff04 0000 0000 00", ErrorCode.FRAME_SIZE_ERROR, 0,
                "a SETTINGS frame of 16777215 bytes, above the maximum frame size 16384");
    }

    @Test
    void fixedLengthFramesOfAnotherLengthAreRefused() {
        rejects("0000 0706 0000 0000 00 0000 0000 0000 00", ErrorCode.FRAME_SIZE_ERROR, 0,
                "a PING frame of 7 bytes (PING has 8)");
        rejects("0000 0508 0000 0000 01 0000 0000 01", ErrorCode.FRAME_SIZE_ERROR, 0,
                "a WINDOW_UPDATE frame of 5 bytes (WINDOW_UPDATE has 4)");
        rejects("0000 0303 0000 0000 01 0000 00", ErrorCode.FRAME_SIZE_ERROR, 0,
                "a RST_STREAM frame of 3 bytes (RST_STREAM has 4)");
        rejects("0000 0504 0000 0000 00 0001 0000 00", ErrorCode.FRAME_SIZE_ERROR, 0,
                "a SETTINGS frame of 5 bytes, not a multiple of 6");
        rejects("0000 0604 0100 0000 00 0001 0000 0000", ErrorCode.FRAME_SIZE_ERROR, 0,
                "a SETTINGS acknowledgement of 6 bytes (an acknowledgement is empty)");
        rejects("0000 0707 0000 0000 00 0000 0000 0000 00", ErrorCode.FRAME_SIZE_ERROR, 0,
                "a GOAWAY frame of 7 bytes (GOAWAY has at least 8)");
    }

    @Test
    void aPriorityFrameOfAnotherLengthIsAStreamErrorAndTheReaderGoesOn() throws IOException {
        rejects("0000 0402 0000 0000 03 0000 0000", ErrorCode.FRAME_SIZE_ERROR, 3,
                "a PRIORITY frame of 4 bytes (PRIORITY has 5)");
        byte[] bytes = hex("0000 0402 0000 0000 03 0000 0000  0000 0806 0000 0000 00 0000 0000 0000 0001");
        FrameReader r = new FrameReader(new ByteArrayInputStream(bytes), 16384, ORIGIN);
        assertThatThrownBy(r::read).isInstanceOf(Http2Exception.class);
        assertThat(r.read().pingData()).isEqualTo(1);
    }

    @Test
    void framesOnTheWrongStreamAreRefused() {
        rejects("0000 0100 0000 0000 00 61", ErrorCode.PROTOCOL_ERROR, 0, "a DATA frame on stream 0");
        rejects("0000 0101 0400 0000 00 82", ErrorCode.PROTOCOL_ERROR, 0, "a HEADERS frame on stream 0");
        rejects("0000 0109 0400 0000 00 82", ErrorCode.PROTOCOL_ERROR, 0, "a CONTINUATION frame on stream 0");
        rejects("0000 0502 0000 0000 00 0000 0000 00", ErrorCode.PROTOCOL_ERROR, 0, "a PRIORITY frame on stream 0");
        rejects("0000 0403 0000 0000 00 0000 0000", ErrorCode.PROTOCOL_ERROR, 0, "a RST_STREAM frame on stream 0");
        rejects("0000 0005 0400 0000 00", ErrorCode.PROTOCOL_ERROR, 0, "a PUSH_PROMISE frame on stream 0");
        rejects("0000 0004 0000 0000 01", ErrorCode.PROTOCOL_ERROR, 0,
                "a SETTINGS frame on stream 1 (SETTINGS belongs to stream 0)");
        rejects("0000 0806 0000 0000 03 0000 0000 0000 0000", ErrorCode.PROTOCOL_ERROR, 0,
                "a PING frame on stream 3 (PING belongs to stream 0)");
        rejects("0000 0807 0000 0100 01 0000 0000 0000 0000", ErrorCode.PROTOCOL_ERROR, 0,
                "a GOAWAY frame on stream 65537 (GOAWAY belongs to stream 0)");
    }

    @Test
    void paddingThatFillsThePayloadIsRefused() {
        rejects("0000 0200 0800 0000 01 0200", ErrorCode.PROTOCOL_ERROR, 0,
                "a padded DATA frame whose 2 bytes of padding fill or exceed its payload of 2 bytes");
        rejects("0000 0300 0800 0000 01 0300 00", ErrorCode.PROTOCOL_ERROR, 0,
                "a padded DATA frame whose 3 bytes of padding fill or exceed its payload of 3 bytes");
        rejects("0000 0000 0800 0000 01", ErrorCode.PROTOCOL_ERROR, 0, "a padded DATA frame without a pad length");
        rejects("0000 0301 0c00 0000 01 0582 84", ErrorCode.PROTOCOL_ERROR, 0,
                "a padded HEADERS frame whose 5 bytes of padding fill or exceed its payload of 3 bytes");
        // Padding that fits the payload but not beside the priority fields.
        rejects("0000 0701 2c00 0000 01 0280 0000 010f 00", ErrorCode.PROTOCOL_ERROR, 0,
                "a HEADERS frame of 7 bytes, too short for its priority fields and 2 bytes of padding");
        rejects("0000 0401 2400 0000 01 8000 0001", ErrorCode.FRAME_SIZE_ERROR, 0,
                "a HEADERS frame of 4 bytes, too short for its priority fields");
    }

    @Test
    void paddingThatLeavesNoDataIsAllowed() throws IOException {
        // Pad length 2 in a payload of 3: the pad length byte and two bytes of padding, no data.
        this.writer.frame(FrameType.DATA, Frame.FLAG_PADDED, 1, hex("02 0000"), 0, 3);
        Frame f = reader().read();
        assertThat(f.payloadLength()).isZero();
        assertThat(f.length()).isEqualTo(3);
    }

    @Test
    void aWindowUpdateOfZeroIsAStreamOrConnectionError() throws IOException {
        this.writer.frame(FrameType.WINDOW_UPDATE, 0, 5, new byte[4], 0, 4);
        this.writer.frame(FrameType.WINDOW_UPDATE, 0, 0, hex("8000 0000"), 0, 4);
        FrameReader r = reader();
        Frame onStream = r.read();
        assertThatThrownBy(onStream::windowIncrement).isInstanceOfSatisfying(Http2Exception.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(e.streamId()).isEqualTo(5);
            assertThat(e.getMessage()).isEqualTo("hotpool: HTTP/2 stream error PROTOCOL_ERROR on stream 5 from "
                    + ORIGIN + ": a WINDOW_UPDATE with an increment of 0");
        });
        Frame onConnection = r.read();
        assertThatThrownBy(onConnection::windowIncrement).isInstanceOfSatisfying(Http2Exception.class, e -> {
            assertThat(e.isConnectionError()).isTrue();
            assertThat(e.getMessage()).isEqualTo("hotpool: HTTP/2 connection error PROTOCOL_ERROR from " + ORIGIN
                    + ": a WINDOW_UPDATE with an increment of 0");
        });
    }

    // --- SETTINGS values (RFC 9113 §6.5.2)

    private static void settingRejected(Setting s, ErrorCode code, String what) {
        assertThatThrownBy(() -> s.checkReceived(ORIGIN)).isInstanceOfSatisfying(Http2Exception.class, e -> {
            assertThat(e.errorCode()).isEqualTo(code);
            assertThat(e.isConnectionError()).isTrue();
            assertThat(e.getMessage()).isEqualTo("hotpool: HTTP/2 connection error " + code + " from " + ORIGIN + ": "
                    + what);
        });
    }

    @Test
    void settingsValuesOutsideTheirRangesAreConnectionErrors() throws Http2Exception {
        settingRejected(new Setting(Setting.ENABLE_PUSH, 2), ErrorCode.PROTOCOL_ERROR,
                "SETTINGS_ENABLE_PUSH 2 (only 0 or 1 are allowed)");
        settingRejected(new Setting(Setting.ENABLE_PUSH, 1), ErrorCode.PROTOCOL_ERROR,
                "SETTINGS_ENABLE_PUSH 1 from a server (a server may only send 0)");
        settingRejected(new Setting(Setting.INITIAL_WINDOW_SIZE, 0x8000_0000L), ErrorCode.FLOW_CONTROL_ERROR,
                "SETTINGS_INITIAL_WINDOW_SIZE 2147483648 above the largest window 2147483647");
        settingRejected(new Setting(Setting.MAX_FRAME_SIZE, 16383), ErrorCode.PROTOCOL_ERROR,
                "SETTINGS_MAX_FRAME_SIZE 16383 outside 16384..16777215");
        settingRejected(new Setting(Setting.MAX_FRAME_SIZE, 16777216), ErrorCode.PROTOCOL_ERROR,
                "SETTINGS_MAX_FRAME_SIZE 16777216 outside 16384..16777215");
        new Setting(Setting.ENABLE_PUSH, 0).checkReceived(ORIGIN);
        new Setting(Setting.INITIAL_WINDOW_SIZE, 0x7fff_ffffL).checkReceived(ORIGIN);
        new Setting(Setting.MAX_FRAME_SIZE, 16384).checkReceived(ORIGIN);
        new Setting(Setting.MAX_FRAME_SIZE, 16777215).checkReceived(ORIGIN);
        new Setting(Setting.MAX_CONCURRENT_STREAMS, 0).checkReceived(ORIGIN);
        new Setting(0x4242, 0xffff_ffffL).checkReceived(ORIGIN);
    }

    // --- Field block sequencing (RFC 9113 §6.10)

    @Test
    void anInterleavedFrameOrAStrayContinuationIsAConnectionError() throws IOException {
        this.writer.frame(FrameType.HEADERS, 0, 1, new byte[] { (byte) 0x82 }, 0, 1);
        this.writer.data(1, new byte[1], 0, 1, false);
        this.writer.frame(FrameType.CONTINUATION, Frame.FLAG_END_HEADERS, 3, new byte[] { (byte) 0x84 }, 0, 1);
        FrameReader r = reader();
        FieldBlock block = new FieldBlock(1024, ORIGIN);
        assertThat(block.add(r.read())).isFalse();
        Frame data = r.read();
        assertThatThrownBy(() -> block.add(data)).isInstanceOf(Http2Exception.class)
                .hasMessage("hotpool: HTTP/2 connection error PROTOCOL_ERROR from " + ORIGIN + ": a DATA frame on "
                        + "stream 1 while the field block of stream 1 awaited a CONTINUATION frame");
        FieldBlock fresh = new FieldBlock(1024, ORIGIN);
        Frame stray = r.read();
        assertThatThrownBy(() -> fresh.add(stray)).isInstanceOf(Http2Exception.class)
                .hasMessage("hotpool: HTTP/2 connection error PROTOCOL_ERROR from " + ORIGIN + ": a CONTINUATION "
                        + "frame on stream 3 where no field block awaits one");
    }

    @Test
    void aFieldBlockAboveItsCapIsRefused() throws IOException {
        this.writer.frame(FrameType.HEADERS, 0, 1, new byte[600], 0, 600);
        this.writer.frame(FrameType.CONTINUATION, Frame.FLAG_END_HEADERS, 1, new byte[600], 0, 600);
        FrameReader r = reader();
        FieldBlock block = new FieldBlock(1000, ORIGIN);
        block.add(r.read());
        Frame next = r.read();
        assertThatThrownBy(() -> block.add(next)).isInstanceOfSatisfying(Http2Exception.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
            assertThat(e.getMessage()).isEqualTo("hotpool: HTTP/2 connection error ENHANCE_YOUR_CALM from " + ORIGIN
                    + ": a field block of more than 1000 bytes on stream 1");
        });
    }

    @Test
    void aOneFrameBlockIsNotCopied() throws IOException {
        this.writer.headers(1, new byte[] { (byte) 0x88 }, false);
        Frame f = reader().read();
        FieldBlock block = new FieldBlock(1024, ORIGIN);
        assertThat(block.add(f)).isTrue();
        assertThat(block.array()).isSameAs(f.payload());
        assertThat(block.length()).isEqualTo(1);
    }
}
