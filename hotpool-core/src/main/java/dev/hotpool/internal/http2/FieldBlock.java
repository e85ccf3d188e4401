package dev.hotpool.internal.http2;

import java.util.Arrays;

/**
 * Joins a field block's fragments: a HEADERS (or PUSH_PROMISE) frame and the CONTINUATION frames that follow it until
 * END_HEADERS (RFC 9113 §4.3, §6.10), with a cap on the joined size. While a block is incomplete, the next frame must
 * be a CONTINUATION on the same stream; anything else is a connection error PROTOCOL_ERROR. A block that passes the
 * cap is a connection error ENHANCE_YOUR_CALM: it cannot be skipped, since the HPACK table depends on it.
 *
 * <p>Use: for every frame read, when {@link #inProgress()} or the frame is a HEADERS, PUSH_PROMISE or CONTINUATION
 * frame, {@link #add} it; when {@code add} returns {@code true}, decode {@link #array()} from {@link #offset()} for
 * {@link #length()} bytes, then {@link #clear()}. A block of one frame is not copied.
 *
 * <p>Not thread-safe: one per connection, used by its reader thread.
 */
public final class FieldBlock {

    private final int maxBlockSize;
    private final String origin;
    private Frame first;
    private byte[] joined;
    private byte[] array;
    private int offset;
    private int length;
    private boolean complete;

    /**
     * @param maxBlockSize the largest joined block accepted, in octets
     * @param origin the peer, for messages, or {@code null}
     */
    public FieldBlock(int maxBlockSize, String origin) {
        this.maxBlockSize = maxBlockSize;
        this.origin = origin;
    }

    /** Whether a block has begun and awaits CONTINUATION frames. */
    public boolean inProgress() {
        return this.first != null && !this.complete;
    }

    /**
     * Takes the next frame of a block.
     *
     * @return whether the block is now complete
     * @throws Http2Exception a frame other than a CONTINUATION on the block's stream while one is due, a CONTINUATION
     *     without a block, or a block above the cap
     */
    public boolean add(Frame frame) throws Http2Exception {
        int type = frame.type();
        if (this.first == null || this.complete) {
            if (type != FrameType.HEADERS && type != FrameType.PUSH_PROMISE) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, this.origin, "a " + FrameType.name(type)
                        + " frame on stream " + frame.streamId() + " where no field block awaits one");
            }
            this.first = frame;
            this.complete = false;
            // A PUSH_PROMISE's payload starts with the promised stream id, not part of the block.
            int skip = type == FrameType.PUSH_PROMISE ? 4 : 0;
            this.array = frame.payload();
            this.offset = frame.payloadOffset() + skip;
            this.length = 0;
            append(frame, skip);
        }
        else {
            if (type != FrameType.CONTINUATION || frame.streamId() != this.first.streamId()) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, this.origin, "a " + FrameType.name(type)
                        + " frame on stream " + frame.streamId() + " while the field block of stream "
                        + this.first.streamId() + " awaited a CONTINUATION frame");
            }
            if (this.array != this.joined) {
                int size = Math.min(Math.max(this.length * 2, this.length + frame.payloadLength()), this.maxBlockSize);
                if (this.joined == null || this.joined.length < size) {
                    this.joined = new byte[size];
                }
                System.arraycopy(this.array, this.offset, this.joined, 0, this.length);
                this.array = this.joined;
                this.offset = 0;
            }
            append(frame, 0);
        }
        this.complete = frame.hasFlag(Frame.FLAG_END_HEADERS);
        return this.complete;
    }

    private void append(Frame frame, int skip) throws Http2Exception {
        int n = frame.payloadLength() - skip;
        if ((long) this.length + n > this.maxBlockSize) {
            throw Http2Exception.connection(ErrorCode.ENHANCE_YOUR_CALM, this.origin, "a field block of more than "
                    + this.maxBlockSize + " bytes on stream " + this.first.streamId());
        }
        if (this.array == this.joined) {
            if (this.joined.length < this.length + n) {
                this.joined = Arrays.copyOf(this.joined, Math.min(Math.max(this.length + n, this.joined.length * 2),
                        this.maxBlockSize));
                this.array = this.joined;
            }
            System.arraycopy(frame.payload(), frame.payloadOffset() + skip, this.joined, this.length, n);
        }
        this.length += n;
    }

    /** The HEADERS or PUSH_PROMISE frame that began the block: its stream, END_STREAM flag and type. */
    public Frame first() {
        return this.first;
    }

    /** The array holding the joined block (the first frame's own when it had END_HEADERS; reused otherwise). */
    public byte[] array() {
        return this.array;
    }

    public int offset() {
        return this.offset;
    }

    public int length() {
        return this.length;
    }

    /** Forgets the block (its array may be reused by the next one). */
    public void clear() {
        this.first = null;
        this.array = null;
        this.complete = false;
        this.length = 0;
    }
}
