package dev.hotpool;

import java.io.Closeable;
import java.io.InputStream;
import java.util.List;

/**
 * A response whose body streams from a pooled connection. Not thread-safe.
 *
 * <p>The connection goes back to the pool <em>by itself</em> when the body has been read to its end. Close
 * the response (or its body) when done: a small unread remainder is drained so the connection can be
 * reused; otherwise the connection is closed. Closing twice is harmless.
 */
public interface HotResponse extends Closeable {

    /** The status code, e.g. {@code 200}. */
    int status();

    /** The reason phrase as sent, possibly empty. */
    String reason();

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    String protocol();

    /** All header fields in the order received. */
    List<Header> headers();

    /** The first value of the named header, or {@code null}. */
    default String header(String name) {
        for (Header h : headers()) {
            if (h.is(name)) {
                return h.value();
            }
        }
        return null;
    }

    /** The body; empty for HEAD, 1xx, 204 and 304. Reading after {@link #close()} fails. */
    InputStream body();

    /** Whether this response came on a connection that had served a request before (no new connection). */
    boolean reused();

    /** Releases the connection: drained and pooled when cheap, closed otherwise. Never throws for I/O. */
    @Override
    void close();
}
