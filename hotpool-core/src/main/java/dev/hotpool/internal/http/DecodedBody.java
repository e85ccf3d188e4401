package dev.hotpool.internal.http;

import dev.hotpool.HotPoolException;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.Origin;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A gzip- or deflate-encoded response body, decoded as it is read ({@code hotpool.compression.enabled}). Its bytes
 * come from the {@link ResponseBody}, which still owns the connection and holds it past the end of the message: when
 * the decoded stream ends, the body is closed, so the connection goes back at once; when the encoded bytes are
 * corrupt or truncated, the connection is discarded and the read fails with a {@link MalformedResponseException} naming the origin. {@code deflate} is
 * read as zlib data (RFC 9110) or, when it has no zlib header, as raw deflate, as servers send both.
 *
 * <p>Keeps {@link InputStream}'s contract as {@link ResponseBody} does, but without mark support (a caller that needs
 * it wraps the stream). Reads after {@link #close()} or after a failure fail.
 *
 * <p>Not thread-safe (like any {@link InputStream}).
 */
final class DecodedBody extends InputStream {

    /** The content codings it decodes, as {@code Content-Encoding} names them (lower case). */
    static boolean decodes(String coding) {
        return coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("deflate");
    }

    private final LeasedBody body;
    private final String coding;
    private final Origin origin;
    /** Made on the first read: making a gzip stream reads its header, which must not block the response head. */
    private InputStream decoder;
    private byte[] one;
    private boolean ended;
    private boolean closed;
    /** Why decoding failed: what later reads report. */
    private IOException failure;

    DecodedBody(LeasedBody body, String coding, Origin origin) {
        body.holdUntilClose();
        this.body = body;
        this.coding = coding;
        this.origin = origin;
    }

    @Override
    public int read() throws IOException {
        if (this.one == null) {
            this.one = new byte[1];
        }
        int n = read(this.one, 0, 1);
        return n < 0 ? -1 : this.one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (this.closed) {
            throw new IOException("hotpool: the response body from " + this.origin + " has been closed");
        }
        if (this.failure != null) {
            throw new HotPoolException("hotpool: the response body from " + this.origin + " cannot be read: reading "
                    + "it failed before (" + this.failure.getMessage() + ")", this.failure);
        }
        if (len == 0) {
            return 0;
        }
        if (this.ended) {
            return -1;
        }
        try {
            if (this.decoder == null) {
                this.decoder = decoder();
            }
            int n = this.decoder.read(b, off, len);
            if (n < 0) {
                this.ended = true;
                this.body.close(); // Ends the message: the connection goes back (or a small rest is drained).
            }
            return n;
        }
        catch (HotPoolException e) {
            this.failure = e; // The body's own failure: it has discarded the connection already.
            throw e;
        }
        catch (IOException | RuntimeException e) {
            this.body.abandon();
            this.failure = new MalformedResponseException("hotpool: malformed response body from " + this.origin
                    + ": its " + this.coding + " data is corrupt or truncated (" + e.getMessage() + ")", e);
            throw this.failure;
        }
    }

    private InputStream decoder() throws IOException {
        if (!this.coding.equals("deflate")) {
            return new GZIPInputStream(this.body, 8192);
        }
        PushbackInputStream in = new PushbackInputStream(this.body, 2);
        int first = in.read();
        int second = (first < 0) ? -1 : in.read();
        if (second >= 0) {
            in.unread(second);
        }
        if (first >= 0) {
            in.unread(first);
        }
        boolean zlib = first >= 0 && second >= 0 && (first & 0x0f) == 8 && ((first << 8) | second) % 31 == 0;
        return new InflaterInputStream(in, new Inflater(!zlib), 8192);
    }

    @Override
    public void close() throws IOException {
        this.closed = true;
        this.body.close();
    }
}
