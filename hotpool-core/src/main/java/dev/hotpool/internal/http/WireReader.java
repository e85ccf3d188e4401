package dev.hotpool.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The bytes a connection has received and not yet consumed: one buffer in front of the connection's input stream,
 * kept between exchanges (bytes read ahead belong to the next message, or prove that the last one was not framed as
 * it said). The head parser and the chunked decoder read its buffer directly; bodies read through
 * {@link #read(byte[], int, int)}, which fills a large request straight from the connection, past the buffer.
 *
 * <p>Not thread-safe: used only by the connection's current lease holder.
 */
final class WireReader {

    /** The buffer's size: a whole head, or a chunk header and the start of its data, usually arrives in one read. */
    static final int BUFFER_SIZE = 8 * 1024;

    private final InputStream source;

    /** Bytes received; those from {@link #pos} to {@link #limit} are not consumed yet. */
    final byte[] buf = new byte[BUFFER_SIZE];

    /** The next byte to consume. */
    int pos;

    /** End of the received bytes in {@link #buf}. */
    int limit;

    /** Bytes taken from the connection since it opened. */
    private long received;

    WireReader(InputStream source) {
        this.source = source;
    }

    /** Bytes received but not consumed yet. */
    int buffered() {
        return this.limit - this.pos;
    }

    boolean hasBufferedData() {
        return this.limit > this.pos;
    }

    /** Bytes taken from the connection since it opened: unchanged across a read means nothing arrived. */
    long received() {
        return this.received;
    }

    /**
     * Reads more from the connection after the unconsumed bytes, moving them to the front of the buffer when the end is
     * reached; returns the count read, or {@code -1} at end of stream. Needs room: callers consume before they fill
     * a full buffer.
     */
    int fill() throws IOException {
        if (this.pos == this.limit) {
            this.pos = 0;
            this.limit = 0;
        }
        else if (this.limit == this.buf.length) {
            System.arraycopy(this.buf, this.pos, this.buf, 0, this.limit - this.pos);
            this.limit -= this.pos;
            this.pos = 0;
        }
        int n = this.source.read(this.buf, this.limit, this.buf.length - this.limit);
        if (n > 0) {
            this.limit += n;
            this.received += n;
        }
        return n;
    }

    /**
     * Reads up to {@code len} bytes: those buffered first; with none buffered, a large request goes straight to the
     * connection. Blocks until at least one byte arrived; {@code -1} at end of stream.
     */
    int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (this.pos == this.limit) {
            if (len >= this.buf.length) {
                int n = this.source.read(b, off, len);
                if (n > 0) {
                    this.received += n;
                }
                return n;
            }
            if (fill() < 0) {
                return -1;
            }
        }
        int n = Math.min(len, this.limit - this.pos);
        System.arraycopy(this.buf, this.pos, b, off, n);
        this.pos += n;
        return n;
    }

    /**
     * Whether nothing follows the message just read: no byte buffered and none waiting on the connection. A connection
     * goes back to the pool only then; a byte after a response would be read as the next one's head.
     */
    boolean endsCleanly() {
        return !hasBufferedData() && !sourceHasBytes();
    }

    /** Whether the connection's stream has bytes that a read would give without blocking (an estimate). */
    private boolean sourceHasBytes() {
        try {
            return this.source.available() > 0;
        }
        catch (IOException e) {
            return true; // A broken stream is not a clean end: the caller does not reuse the connection.
        }
    }
}
