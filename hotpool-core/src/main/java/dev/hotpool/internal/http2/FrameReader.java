package dev.hotpool.internal.http2;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.IntFunction;

/**
 * Reads frames from a connection (RFC 9113 §4), one {@link #read()} per frame, and checks what RFC 9113 §6 says of
 * each type that needs no connection state: fixed lengths (PING 8, WINDOW_UPDATE 4, RST_STREAM 4, PRIORITY 5,
 * SETTINGS a multiple of 6 and empty when an ACK, GOAWAY at least 8), stream id zero or not, padding; padding and the
 * priority fields of HEADERS are removed from the payload. Frames of unknown types are returned as read (their
 * receiver ignores them). The reserved bit of the stream id is masked off.
 *
 * <p>Memory: each frame gets a payload array of exactly its length, allocated only after the length was checked
 * against the maximum frame size this endpoint advertised, so a frame never costs more than that.
 *
 * <p>Errors: {@link Http2Exception} (a connection error, or a stream error after which the reader stands at the next
 * frame), {@link ConnectionEndedException} when the stream ends cleanly before a frame, {@link TruncatedFrameException}
 * when it ends inside one, and the stream's own {@link IOException}s.
 *
 * <p>Not thread-safe: one reader thread per connection.
 */
public final class FrameReader {

    /** The frame header: length (24), type (8), flags (8), R (1) and stream id (31). */
    public static final int HEADER_LENGTH = 9;

    private final InputStream in;
    private final String origin;
    private final byte[] header = new byte[HEADER_LENGTH];
    private int maxFrameSize;

    /** Where DATA payloads go ({@link #setDataArrays}), or {@code null}. */
    private IntFunction<byte[]> dataArrays;

    /**
     * @param maxFrameSize the SETTINGS_MAX_FRAME_SIZE this endpoint advertises (16384 unless it sent another)
     * @param origin the peer, for messages (e.g. {@code https://api.example.com:443}), or {@code null}
     */
    public FrameReader(InputStream in, int maxFrameSize, String origin) {
        this.in = in;
        this.origin = origin;
        setMaxFrameSize(maxFrameSize);
    }

    /**
     * Where DATA payloads are read into: an array of at least the length asked for (the payload is its first bytes),
     * such as one a reader of the frames recycles once it has copied the bytes out; {@code null}: a new array of the
     * exact length for each, as for every other frame.
     */
    public void setDataArrays(IntFunction<byte[]> dataArrays) {
        this.dataArrays = dataArrays;
    }

    /** Changes the largest frame accepted: this endpoint's SETTINGS_MAX_FRAME_SIZE, 16384 to 16777215. */
    public void setMaxFrameSize(int maxFrameSize) {
        if (maxFrameSize < Setting.MIN_MAX_FRAME_SIZE || maxFrameSize > Setting.MAX_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("a maximum frame size is 16384 to 16777215, not " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
    }

    public int maxFrameSize() {
        return this.maxFrameSize;
    }

    /**
     * Reads the next frame whole.
     *
     * @throws ConnectionEndedException the stream ended before the first byte of a frame
     * @throws TruncatedFrameException the stream ended inside a frame
     * @throws Http2Exception the frame breaks RFC 9113 §4-§6 (for a stream error, the frame was read to its end)
     */
    public Frame read() throws IOException {
        byte[] h = this.header;
        int n = readUpTo(h, 0, HEADER_LENGTH);
        if (n == 0) {
            throw new ConnectionEndedException("hotpool: " + peer() + " closed the HTTP/2 connection");
        }
        if (n < HEADER_LENGTH) {
            throw new TruncatedFrameException("hotpool: " + peer() + " closed the HTTP/2 connection inside a frame "
                    + "header (" + n + " of 9 bytes)");
        }
        int length = ((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff);
        int type = h[3] & 0xff;
        int flags = h[4] & 0xff;
        int streamId = ((h[5] & 0x7f) << 24) | ((h[6] & 0xff) << 16) | ((h[7] & 0xff) << 8) | (h[8] & 0xff);
        if (length > this.maxFrameSize) {
            throw connection(ErrorCode.FRAME_SIZE_ERROR, "a " + FrameType.name(type) + " frame of " + length
                    + " bytes, above the maximum frame size " + this.maxFrameSize);
        }
        checkBeforePayload(type, flags, streamId, length);
        byte[] payload = length == 0 ? Frame.EMPTY
                : type == FrameType.DATA && this.dataArrays != null ? this.dataArrays.apply(length) : new byte[length];
        int read = readUpTo(payload, 0, length);
        if (read < length) {
            throw new TruncatedFrameException("hotpool: " + peer() + " closed the HTTP/2 connection inside a "
                    + FrameType.name(type) + " frame (" + read + " of " + length + " payload bytes)");
        }
        return frame(type, flags, streamId, payload, length);
    }

    /** The checks that need only the header: a connection error may be thrown before the payload is read. */
    private void checkBeforePayload(int type, int flags, int streamId, int length) throws Http2Exception {
        switch (type) {
            case FrameType.DATA, FrameType.HEADERS, FrameType.CONTINUATION, FrameType.PUSH_PROMISE,
                    FrameType.PRIORITY, FrameType.RST_STREAM -> {
                if (streamId == 0) {
                    throw connection(ErrorCode.PROTOCOL_ERROR, "a " + FrameType.name(type) + " frame on stream 0");
                }
                if (type == FrameType.RST_STREAM && length != 4) {
                    throw connection(ErrorCode.FRAME_SIZE_ERROR, "a RST_STREAM frame of " + length
                            + " bytes (RST_STREAM has 4)");
                }
            }
            case FrameType.SETTINGS -> {
                if (streamId != 0) {
                    throw connection(ErrorCode.PROTOCOL_ERROR, "a SETTINGS frame on stream " + streamId
                            + " (SETTINGS belongs to stream 0)");
                }
                if ((flags & Frame.FLAG_ACK) != 0 && length != 0) {
                    throw connection(ErrorCode.FRAME_SIZE_ERROR, "a SETTINGS acknowledgement of " + length
                            + " bytes (an acknowledgement is empty)");
                }
                if (length % 6 != 0) {
                    throw connection(ErrorCode.FRAME_SIZE_ERROR, "a SETTINGS frame of " + length
                            + " bytes, not a multiple of 6");
                }
            }
            case FrameType.PING -> {
                if (streamId != 0) {
                    throw connection(ErrorCode.PROTOCOL_ERROR, "a PING frame on stream " + streamId
                            + " (PING belongs to stream 0)");
                }
                if (length != 8) {
                    throw connection(ErrorCode.FRAME_SIZE_ERROR, "a PING frame of " + length + " bytes (PING has 8)");
                }
            }
            case FrameType.GOAWAY -> {
                if (streamId != 0) {
                    throw connection(ErrorCode.PROTOCOL_ERROR, "a GOAWAY frame on stream " + streamId
                            + " (GOAWAY belongs to stream 0)");
                }
                if (length < 8) {
                    throw connection(ErrorCode.FRAME_SIZE_ERROR, "a GOAWAY frame of " + length
                            + " bytes (GOAWAY has at least 8)");
                }
            }
            case FrameType.WINDOW_UPDATE -> {
                if (length != 4) {
                    throw connection(ErrorCode.FRAME_SIZE_ERROR, "a WINDOW_UPDATE frame of " + length
                            + " bytes (WINDOW_UPDATE has 4)");
                }
            }
            default -> {
                // An unknown type: passed on whole.
            }
        }
    }

    /** The frame, after the checks that need the payload (padding) or that leave the connection usable. */
    private Frame frame(int type, int flags, int streamId, byte[] payload, int length) throws Http2Exception {
        switch (type) {
            case FrameType.DATA -> {
                return padded(type, flags, streamId, payload, length, 0);
            }
            case FrameType.HEADERS -> {
                return padded(type, flags, streamId, payload, length, (flags & Frame.FLAG_PRIORITY) != 0 ? 5 : 0);
            }
            case FrameType.PUSH_PROMISE -> {
                Frame f = padded(type, flags, streamId, payload, length, 0);
                if (f.payloadLength() < 4) {
                    throw connection(ErrorCode.FRAME_SIZE_ERROR, "a PUSH_PROMISE frame without a promised stream id");
                }
                return f;
            }
            case FrameType.PRIORITY -> {
                if (length != 5) {
                    throw Http2Exception.stream(ErrorCode.FRAME_SIZE_ERROR, streamId, this.origin,
                            "a PRIORITY frame of " + length + " bytes (PRIORITY has 5)");
                }
                return new Frame(type, flags, streamId, length, payload, 0, length, this.origin);
            }
            default -> {
                return new Frame(type, flags, streamId, length, payload, 0, length, this.origin);
            }
        }
    }

    /** Removes the pad length byte and padding (PADDED flag) and {@code skip} bytes after the pad length. */
    private Frame padded(int type, int flags, int streamId, byte[] payload, int length, int skip)
            throws Http2Exception {
        int start = 0;
        int padding = 0;
        if ((flags & Frame.FLAG_PADDED) != 0) {
            if (length == 0) {
                throw connection(ErrorCode.PROTOCOL_ERROR, "a padded " + FrameType.name(type)
                        + " frame without a pad length");
            }
            padding = payload[0] & 0xff;
            start = 1;
            if (padding >= length) {
                throw connection(ErrorCode.PROTOCOL_ERROR, "a padded " + FrameType.name(type) + " frame whose "
                        + padding + " bytes of padding fill or exceed its payload of " + length + " bytes");
            }
        }
        int count = length - start - skip - padding;
        if (count < 0) {
            // Padding beyond what the priority fields leave is PROTOCOL_ERROR (§6.2); too short for the priority
            // fields alone, a frame too small for its mandatory data: FRAME_SIZE_ERROR (§4.2).
            throw connection(padding > 0 ? ErrorCode.PROTOCOL_ERROR : ErrorCode.FRAME_SIZE_ERROR, "a "
                    + FrameType.name(type) + " frame of " + length + " bytes, too short for its priority fields"
                    + (padding > 0 ? " and " + padding + " bytes of padding" : ""));
        }
        return new Frame(type, flags, streamId, length, payload, start + skip, count, this.origin);
    }

    private Http2Exception connection(ErrorCode code, String what) {
        return Http2Exception.connection(code, this.origin, what);
    }

    private String peer() {
        return this.origin != null ? this.origin : "the peer";
    }

    /** Reads until {@code len} bytes or the end of the stream; the count read. */
    private int readUpTo(byte[] b, int off, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int r = this.in.read(b, off + n, len - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }
}
