package dev.hotpool.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A body delimited by the end of the connection (RFC 9112 §6.3, rule 8): everything until the server closes. Its
 * connection can never carry another exchange.
 *
 * <p>Not thread-safe (like any {@link InputStream}).
 */
final class UntilCloseBody extends InputStream {

    private final WireReader wire;
    private boolean ended;

    UntilCloseBody(WireReader wire) {
        this.wire = wire;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (this.ended) {
            return -1;
        }
        int n = this.wire.read(b, off, len);
        this.ended = n < 0;
        return n;
    }

    @Override
    public int available() {
        return this.wire.buffered();
    }
}
