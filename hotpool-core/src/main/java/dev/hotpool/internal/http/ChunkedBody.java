package dev.hotpool.internal.http;

import dev.hotpool.MalformedResponseException;
import dev.hotpool.Origin;
import dev.hotpool.internal.util.Tokens;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A body in the chunked transfer coding (RFC 9112 §7.1), decoded strictly: a chunk size is 1 to 16 hexadecimal digits,
 * optionally followed by chunk extensions (read past, not kept), and every line of the coding (chunk header, the end
 * of chunk data, trailer fields, the last empty line) ends in CRLF. Anything else is a {@link MalformedResponseException};
 * a connection that ends before the last chunk and its trailer section is one too, saying so. Trailer fields are
 * checked like header fields and dropped; their lines and count are bounded by the head's limits. Reads never go past
 * the end of the coding, so the connection's next bytes stay for the next message.
 *
 * <p>Not thread-safe (like any {@link InputStream}).
 */
final class ChunkedBody extends InputStream {

    /** At most this many hex digits in a chunk size: 16 hold every size up to {@link Long#MAX_VALUE}. */
    static final int MAX_SIZE_DIGITS = 16;

    private enum State {
        /** Before a chunk header. */
        SIZE,
        /** In a chunk's data: {@link #left} bytes to go. */
        DATA,
        /** After a chunk's data: its CRLF comes next. */
        DATA_END,
        /** After the last chunk and its trailer section. */
        END
    }

    private final WireReader wire;
    private final Origin origin;
    private final int maxLineLength;
    private final int maxFieldCount;
    private final int maxTrailerSize;
    private State state = State.SIZE;
    private long left;

    ChunkedBody(WireReader wire, Origin origin, int maxLineLength, int maxFieldCount, int maxTrailerSize) {
        this.wire = wire;
        this.origin = origin;
        this.maxLineLength = maxLineLength;
        this.maxFieldCount = maxFieldCount;
        this.maxTrailerSize = maxTrailerSize;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (this.state == State.END) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (this.state != State.DATA) {
            nextChunk();
            if (this.state == State.END) {
                return -1;
            }
        }
        int n = this.wire.read(b, off, (int) Math.min(len, this.left));
        if (n < 0) {
            throw truncated();
        }
        this.left -= n;
        if (this.left == 0) {
            this.state = State.DATA_END;
        }
        return n;
    }

    @Override
    public int available() {
        return this.state == State.DATA ? (int) Math.min(this.wire.buffered(), this.left) : 0;
    }

    /** Reads up to the data of the next chunk, or through the last chunk and the trailer section. */
    private void nextChunk() throws IOException {
        if (this.state == State.DATA_END) {
            if (next() != '\r' || next() != '\n') {
                throw malformed("chunk data is not followed by CRLF (the chunk is longer than its size)");
            }
        }
        long size = chunkHeader();
        if (size > 0) {
            this.left = size;
            this.state = State.DATA;
            return;
        }
        trailers();
        this.state = State.END;
    }

    /** {@code chunk-size [ chunk-ext ] CRLF}; returns the size. */
    private long chunkHeader() throws IOException {
        long size = 0;
        int digits = 0;
        int c = next();
        for (int d; (d = Character.digit(c, 16)) >= 0 && c < 0x80; c = next()) {
            if (++digits > MAX_SIZE_DIGITS || (size >>> 59) != 0) {
                throw malformed("a chunk size of more than " + MAX_SIZE_DIGITS + " hex digits, or larger than "
                        + Long.MAX_VALUE);
            }
            size = (size << 4) | d;
        }
        if (digits == 0) {
            throw malformed("invalid chunk size line: no hex digits");
        }
        int lineLength = digits;
        if (c == '\n') {
            throw malformed("a chunk size line that ends in a bare LF");
        }
        if (c != '\r') {
            // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ): read past, not kept.
            while (c == ' ' || c == '\t') {
                c = next();
                lineLength++;
            }
            if (c != ';') {
                throw malformed("invalid chunk size line: a chunk size must be followed by CRLF or an extension");
            }
            while (c != '\r') {
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    throw malformed(c == '\n' ? "a chunk size line that ends in a bare LF"
                            : "a control character in a chunk extension");
                }
                if (++lineLength > this.maxLineLength) {
                    throw malformed("a chunk size line longer than hotpool.max-response-line-length ("
                            + this.maxLineLength + ")");
                }
                c = next();
            }
        }
        if (next() != '\n') {
            throw malformed("a chunk size line with a CR that is not followed by LF");
        }
        return size;
    }

    /** {@code trailer-section CRLF}: each field line checked and dropped. */
    private void trailers() throws IOException {
        int fields = 0;
        long size = 0;
        while (true) {
            int length = 0;
            int c = next();
            if (c == '\r') {
                if (next() != '\n') {
                    throw malformed("a trailer section that does not end in CRLF");
                }
                return;
            }
            if (++fields > this.maxFieldCount) {
                throw malformed("more than " + this.maxFieldCount + " trailer fields "
                        + "(hotpool.max-response-header-count)");
            }
            boolean name = true;
            boolean anyName = false;
            while (c != '\r') {
                if (name) {
                    if (c == ':') {
                        if (!anyName) {
                            throw malformed("a trailer field with an empty name");
                        }
                        name = false;
                    }
                    else if (!Tokens.tchar(c)) {
                        throw malformed("a trailer field name with a character that is not a token character");
                    }
                    anyName = true;
                }
                else if (c < 0x20 && c != '\t' || c == 0x7f) {
                    throw malformed("a control character in a trailer field");
                }
                if (++length > this.maxLineLength) {
                    throw malformed("a trailer line longer than hotpool.max-response-line-length ("
                            + this.maxLineLength + ")");
                }
                c = next();
            }
            if (name) {
                throw malformed("a trailer line without a colon");
            }
            if (next() != '\n') {
                throw malformed("a trailer line with a CR that is not followed by LF");
            }
            size += length + 2;
            if (size > this.maxTrailerSize) {
                throw malformed("a trailer section larger than hotpool.max-response-head-size ("
                        + this.maxTrailerSize + ")");
            }
        }
    }

    /** The next byte of the coding; the connection's end here is a truncated body. */
    private int next() throws IOException {
        WireReader w = this.wire;
        if (w.pos == w.limit && w.fill() < 0) {
            throw truncated();
        }
        return w.buf[w.pos++] & 0xff;
    }

    private MalformedResponseException malformed(String what) {
        this.state = State.END;
        return new MalformedResponseException("hotpool: malformed response body from " + this.origin + ": " + what,
                null);
    }

    private MalformedResponseException truncated() {
        this.state = State.END;
        return new MalformedResponseException("hotpool: reading the response body from " + this.origin
                + " failed: premature end of chunk coded message body: the connection closed before the last chunk",
                null);
    }
}
