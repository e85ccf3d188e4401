package dev.hotpool.internal.http2;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes frames (RFC 9113 §4, §6) into an output stream: one {@code write} per frame, or one per batch for a field
 * block split into HEADERS and CONTINUATION frames, which nothing may interleave (§4.3). Never flushes: the caller
 * flushes after a batch.
 *
 * <p>Not thread-safe: the connection serialises writers (one lock around a frame and its flush). Holds a scratch
 * buffer that grows to the largest frame written.
 */
public final class FrameWriter {

    /** The client connection preface (RFC 9113 §3.4), followed by the client's SETTINGS. */
    public static final byte[] CLIENT_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private int maxFrameSize = Setting.MIN_MAX_FRAME_SIZE;
    private byte[] scratch = new byte[256];

    public FrameWriter(OutputStream out) {
        this.out = out;
    }

    /** The peer's SETTINGS_MAX_FRAME_SIZE (16384 until it says otherwise): DATA and field blocks are split to it. */
    public void setMaxFrameSize(int maxFrameSize) {
        if (maxFrameSize < Setting.MIN_MAX_FRAME_SIZE || maxFrameSize > Setting.MAX_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("a maximum frame size is 16384 to 16777215, not " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
    }

    public int maxFrameSize() {
        return this.maxFrameSize;
    }

    /** The client connection preface's magic string; a SETTINGS frame must follow. */
    public void preface() throws IOException {
        this.out.write(CLIENT_PREFACE);
    }

    /** A SETTINGS frame with the parameters in the order given (the order is part of a fingerprint). */
    public void settings(List<Setting> settings) throws IOException {
        int length = settings.size() * 6;
        byte[] b = frameBuffer(length);
        header(b, 0, length, FrameType.SETTINGS, 0, 0);
        int i = FrameReader.HEADER_LENGTH;
        for (Setting s : settings) {
            b[i++] = (byte) (s.id() >>> 8);
            b[i++] = (byte) s.id();
            i = u32(b, i, (int) s.value());
        }
        this.out.write(b, 0, i);
    }

    public void settingsAck() throws IOException {
        empty(FrameType.SETTINGS, Frame.FLAG_ACK, 0);
    }

    /** A field block on a stream, END_STREAM when the request has no body. */
    public void headers(int streamId, byte[] block, boolean endStream) throws IOException {
        headers(streamId, block, 0, block.length, endStream, null);
    }

    /**
     * A field block as a HEADERS frame, and CONTINUATION frames when it is larger than the peer's maximum frame size
     * (END_HEADERS on the last frame, END_STREAM on the HEADERS frame), all in one write.
     *
     * @param priority the priority fields to send with the PRIORITY flag, or {@code null} for none
     */
    public void headers(int streamId, byte[] block, int off, int len, boolean endStream, Priority priority)
            throws IOException {
        checkStream(streamId);
        int prefix = priority != null ? 5 : 0;
        int first = Math.min(len, this.maxFrameSize - prefix);
        int rest = len - first;
        int continuations = rest == 0 ? 0 : (rest + this.maxFrameSize - 1) / this.maxFrameSize;
        int total = (1 + continuations) * FrameReader.HEADER_LENGTH + prefix + len;
        byte[] b = buffer(total);
        int flags = (endStream ? Frame.FLAG_END_STREAM : 0) | (continuations == 0 ? Frame.FLAG_END_HEADERS : 0)
                | (priority != null ? Frame.FLAG_PRIORITY : 0);
        header(b, 0, prefix + first, FrameType.HEADERS, flags, streamId);
        int i = FrameReader.HEADER_LENGTH;
        if (priority != null) {
            i = priority(b, i, priority);
        }
        System.arraycopy(block, off, b, i, first);
        i += first;
        int done = first;
        while (done < len) {
            int n = Math.min(len - done, this.maxFrameSize);
            header(b, i, n, FrameType.CONTINUATION, done + n == len ? Frame.FLAG_END_HEADERS : 0, streamId);
            i += FrameReader.HEADER_LENGTH;
            System.arraycopy(block, off + done, b, i, n);
            i += n;
            done += n;
        }
        this.out.write(b, 0, i);
    }

    /**
     * Data on a stream, in frames of at most the peer's maximum frame size (one write each), END_STREAM on the last
     * when {@code endStream}; an empty {@code len} with {@code endStream} sends one empty DATA frame. Flow control is the
     * caller's: it sends no more than both windows allow.
     */
    public void data(int streamId, byte[] b, int off, int len, boolean endStream) throws IOException {
        checkStream(streamId);
        int done = 0;
        do {
            int n = Math.min(len - done, this.maxFrameSize);
            boolean last = done + n == len;
            byte[] f = frameBuffer(n);
            header(f, 0, n, FrameType.DATA, last && endStream ? Frame.FLAG_END_STREAM : 0, streamId);
            System.arraycopy(b, off + done, f, FrameReader.HEADER_LENGTH, n);
            this.out.write(f, 0, FrameReader.HEADER_LENGTH + n);
            done += n;
        } while (done < len);
    }

    /** A WINDOW_UPDATE for a stream, or for the connection on stream 0; the increment is 1 to 2^31-1. */
    public void windowUpdate(int streamId, int increment) throws IOException {
        if (streamId < 0) {
            throw new IllegalArgumentException("a stream id is 0 to 2^31-1, not " + streamId);
        }
        if (increment < 1) {
            throw new IllegalArgumentException("a window increment is 1 to 2^31-1, not " + increment);
        }
        byte[] b = frameBuffer(4);
        header(b, 0, 4, FrameType.WINDOW_UPDATE, 0, streamId);
        this.out.write(b, 0, u32(b, FrameReader.HEADER_LENGTH, increment));
    }

    public void ping(long data) throws IOException {
        ping(0, data);
    }

    public void pingAck(long data) throws IOException {
        ping(Frame.FLAG_ACK, data);
    }

    public void rstStream(int streamId, ErrorCode code) throws IOException {
        checkStream(streamId);
        byte[] b = frameBuffer(4);
        header(b, 0, 4, FrameType.RST_STREAM, 0, streamId);
        this.out.write(b, 0, u32(b, FrameReader.HEADER_LENGTH, code.code()));
    }

    /** A GOAWAY with optional debug data ({@code null}: none); the debug data must fit in one frame. */
    public void goAway(int lastStreamId, ErrorCode code, byte[] debugData) throws IOException {
        if (lastStreamId < 0) {
            throw new IllegalArgumentException("a stream id is 0 to 2^31-1, not " + lastStreamId);
        }
        int debug = debugData != null ? debugData.length : 0;
        if (8 + debug > this.maxFrameSize) {
            throw new IllegalArgumentException("GOAWAY debug data of " + debug + " bytes does not fit in a frame");
        }
        byte[] b = frameBuffer(8 + debug);
        header(b, 0, 8 + debug, FrameType.GOAWAY, 0, 0);
        int i = u32(b, FrameReader.HEADER_LENGTH, lastStreamId);
        i = u32(b, i, code.code());
        if (debug > 0) {
            System.arraycopy(debugData, 0, b, i, debug);
        }
        this.out.write(b, 0, i + debug);
    }

    /** A PRIORITY frame (deprecated by RFC 9113 §5.3.2, sent by some clients: part of a fingerprint). */
    public void priority(int streamId, Priority priority) throws IOException {
        checkStream(streamId);
        byte[] b = frameBuffer(5);
        header(b, 0, 5, FrameType.PRIORITY, 0, streamId);
        this.out.write(b, 0, priority(b, FrameReader.HEADER_LENGTH, priority));
    }

    /**
     * Any frame as given, unchecked but for its length fitting 24 bits: for tests and hostile test servers. The stream
     * id is written as all 32 bits, so a negative id sets the reserved bit.
     */
    public void frame(int type, int flags, int streamId, byte[] payload, int off, int len) throws IOException {
        if (len < 0 || len > Setting.MAX_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("a frame length is 0 to 16777215, not " + len);
        }
        byte[] b = frameBuffer(len);
        header(b, 0, len, type, flags, streamId);
        System.arraycopy(payload, off, b, FrameReader.HEADER_LENGTH, len);
        this.out.write(b, 0, FrameReader.HEADER_LENGTH + len);
    }

    private void ping(int flags, long data) throws IOException {
        byte[] b = frameBuffer(8);
        header(b, 0, 8, FrameType.PING, flags, 0);
        int i = u32(b, FrameReader.HEADER_LENGTH, (int) (data >>> 32));
        this.out.write(b, 0, u32(b, i, (int) data));
    }

    private void empty(int type, int flags, int streamId) throws IOException {
        byte[] b = frameBuffer(0);
        header(b, 0, 0, type, flags, streamId);
        this.out.write(b, 0, FrameReader.HEADER_LENGTH);
    }

    private static void checkStream(int streamId) {
        if (streamId <= 0) {
            throw new IllegalArgumentException("a stream id is 1 to 2^31-1 here, not " + streamId);
        }
    }

    private byte[] frameBuffer(int payloadLength) {
        return buffer(FrameReader.HEADER_LENGTH + payloadLength);
    }

    private byte[] buffer(int size) {
        if (this.scratch.length < size) {
            this.scratch = new byte[Math.max(size, Math.min(this.scratch.length * 2, FrameReader.HEADER_LENGTH
                    + Setting.MAX_MAX_FRAME_SIZE))];
        }
        return this.scratch;
    }

    private static void header(byte[] b, int i, int length, int type, int flags, int streamId) {
        b[i] = (byte) (length >>> 16);
        b[i + 1] = (byte) (length >>> 8);
        b[i + 2] = (byte) length;
        b[i + 3] = (byte) type;
        b[i + 4] = (byte) flags;
        u32(b, i + 5, streamId);
    }

    private static int priority(byte[] b, int i, Priority p) {
        int next = u32(b, i, p.dependency() | (p.exclusive() ? 0x8000_0000 : 0));
        b[next] = (byte) (p.weight() - 1);
        return next + 1;
    }

    private static int u32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
        return i + 4;
    }
}
