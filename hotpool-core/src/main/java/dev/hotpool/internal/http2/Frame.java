package dev.hotpool.internal.http2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One frame as {@link FrameReader} read it (RFC 9113 §4.1): type, flags, stream id (reserved bit cleared) and its
 * payload without padding and without the priority fields of a HEADERS frame. The frame owns its payload array: it
 * stays valid after the next read and may be handed to another thread. Only {@code payload()[payloadOffset() ..
 * payloadOffset() + payloadLength()]} is the payload; the array holds the padding too when the frame was padded.
 *
 * <p>Immutable once read (nothing writes into the array after the reader returns it); the typed accessors parse the
 * payload on each call. Shapes that need no connection state were checked by the reader: fixed lengths, stream id
 * zero or not, padding.
 */
public final class Frame {

    /** DATA, HEADERS: the last frame the sender sends on the stream. */
    public static final int FLAG_END_STREAM = 0x1;
    /** SETTINGS, PING: an acknowledgement. */
    public static final int FLAG_ACK = 0x1;
    /** HEADERS, PUSH_PROMISE, CONTINUATION: the field block ends with this frame. */
    public static final int FLAG_END_HEADERS = 0x4;
    /** DATA, HEADERS, PUSH_PROMISE: a pad length byte and padding surround the payload. */
    public static final int FLAG_PADDED = 0x8;
    /** HEADERS: five bytes of priority fields precede the field block fragment. */
    public static final int FLAG_PRIORITY = 0x20;

    static final byte[] EMPTY = new byte[0];

    private final int type;
    private final int flags;
    private final int streamId;
    private final int length;
    private final byte[] payload;
    private final int offset;
    private final int count;
    private final String origin;

    Frame(int type, int flags, int streamId, int length, byte[] payload, int offset, int count, String origin) {
        this.type = type;
        this.flags = flags;
        this.streamId = streamId;
        this.length = length;
        this.payload = payload;
        this.offset = offset;
        this.count = count;
        this.origin = origin;
    }

    /** The type: a {@link FrameType} constant, or another value for an extension frame the caller ignores. */
    public int type() {
        return this.type;
    }

    /** The flags byte as sent (undefined flags included: RFC 9113 §4.1 says they are ignored). */
    public int flags() {
        return this.flags;
    }

    public boolean hasFlag(int flag) {
        return (this.flags & flag) != 0;
    }

    /** The stream id, 0 to 2^31-1 (the reserved bit is masked off). */
    public int streamId() {
        return this.streamId;
    }

    /**
     * The frame's length field: the whole payload, padding and pad length byte included. For DATA this is what flow
     * control counts (RFC 9113 §6.1).
     */
    public int length() {
        return this.length;
    }

    /** The array holding the payload (not a copy); see {@link #payloadOffset()} and {@link #payloadLength()}. */
    public byte[] payload() {
        return this.payload;
    }

    public int payloadOffset() {
        return this.offset;
    }

    /** The payload's length without padding and priority fields: DATA's data, HEADERS' field block fragment. */
    public int payloadLength() {
        return this.count;
    }

    /** The payload in an array of its own size: the array itself when it holds nothing else, else a copy. */
    public byte[] payloadBytes() {
        return this.offset == 0 && this.count == this.payload.length ? this.payload
                : Arrays.copyOfRange(this.payload, this.offset, this.offset + this.count);
    }

    public boolean isEndStream() {
        return (this.type == FrameType.DATA || this.type == FrameType.HEADERS) && hasFlag(FLAG_END_STREAM);
    }

    public boolean isEndHeaders() {
        return (this.type == FrameType.HEADERS || this.type == FrameType.CONTINUATION
                || this.type == FrameType.PUSH_PROMISE) && hasFlag(FLAG_END_HEADERS);
    }

    public boolean isAck() {
        return (this.type == FrameType.SETTINGS || this.type == FrameType.PING) && hasFlag(FLAG_ACK);
    }

    /** SETTINGS: the parameters in wire order (a parameter may repeat; the last one counts, RFC 9113 §6.5). */
    public List<Setting> settings() {
        require(FrameType.SETTINGS);
        List<Setting> settings = new ArrayList<>(this.count / 6);
        for (int i = this.offset; i < this.offset + this.count; i += 6) {
            settings.add(new Setting(u16(i), u32(i + 2)));
        }
        return settings;
    }

    /**
     * WINDOW_UPDATE: the increment, 1 to 2^31-1 (reserved bit masked). An increment of 0 is a stream error
     * PROTOCOL_ERROR on a stream, a connection error on stream 0 (RFC 9113 §6.9).
     */
    public int windowIncrement() throws Http2Exception {
        require(FrameType.WINDOW_UPDATE);
        int increment = (int) (u32(this.offset) & 0x7fff_ffffL);
        if (increment == 0) {
            String what = "a WINDOW_UPDATE with an increment of 0";
            throw this.streamId == 0 ? Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, this.origin, what)
                    : Http2Exception.stream(ErrorCode.PROTOCOL_ERROR, this.streamId, this.origin, what);
        }
        return increment;
    }

    /** RST_STREAM, GOAWAY: the error code as sent (see {@link ErrorCode#of} and {@link ErrorCode#describe}). */
    public int errorCode() {
        if (this.type == FrameType.RST_STREAM) {
            return (int) u32(this.offset);
        }
        require(FrameType.GOAWAY);
        return (int) u32(this.offset + 4);
    }

    /** GOAWAY: the last stream id the peer may have processed (reserved bit masked). */
    public int lastStreamId() {
        require(FrameType.GOAWAY);
        return (int) (u32(this.offset) & 0x7fff_ffffL);
    }

    /** GOAWAY: the number of bytes of debug data after the error code (the data itself is not read here). */
    public int debugDataLength() {
        require(FrameType.GOAWAY);
        return this.count - 8;
    }

    /** PING: the 8 opaque bytes as a big-endian {@code long}, to be echoed in the acknowledgement. */
    public long pingData() {
        require(FrameType.PING);
        return (u32(this.offset) << 32) | u32(this.offset + 4);
    }

    /** PUSH_PROMISE: the promised stream id (reserved bit masked). */
    public int promisedStreamId() {
        require(FrameType.PUSH_PROMISE);
        return (int) (u32(this.offset) & 0x7fff_ffffL);
    }

    @Override
    public String toString() {
        return FrameType.name(this.type) + "[stream " + this.streamId + ", flags 0x" + Integer.toHexString(this.flags)
                + ", length " + this.length + "]";
    }

    private void require(int expected) {
        if (this.type != expected) {
            throw new IllegalStateException("not a " + FrameType.name(expected) + " frame: " + this);
        }
    }

    private int u16(int i) {
        return ((this.payload[i] & 0xff) << 8) | (this.payload[i + 1] & 0xff);
    }

    private long u32(int i) {
        return ((long) (this.payload[i] & 0xff) << 24) | ((this.payload[i + 1] & 0xff) << 16)
                | ((this.payload[i + 2] & 0xff) << 8) | (this.payload[i + 3] & 0xff);
    }
}
