package dev.hotpool.internal.http;

import dev.hotpool.MalformedResponseException;
import dev.hotpool.Origin;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A body of {@code Content-Length} bytes (RFC 9112 §6.2): ends after exactly that many; a connection that ends
 * sooner is a {@link MalformedResponseException} saying how many of how many arrived. Reads never go past the
 * body, so the connection's next bytes stay for the next message.
 *
 * <p>Not thread-safe (like any {@link InputStream}).
 */
final class LengthBody extends InputStream {

    private final WireReader wire;
    private final Origin origin;
    private final long length;
    private long remaining;

    LengthBody(WireReader wire, Origin origin, long length) {
        this.wire = wire;
        this.origin = origin;
        this.length = length;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (this.remaining == 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = this.wire.read(b, off, (int) Math.min(len, this.remaining));
        if (n < 0) {
            throw new MalformedResponseException("hotpool: reading the response body from " + this.origin
                    + " failed: premature end of Content-Length delimited message body (expected: " + this.length
                    + "; received: " + (this.length - this.remaining) + ")", null);
        }
        this.remaining -= n;
        return n;
    }

    /** Bytes of the body not read yet: 0 once it has ended. */
    long remaining() {
        return this.remaining;
    }

    @Override
    public int available() {
        return (int) Math.min(this.wire.buffered(), this.remaining);
    }
}
