package dev.hotpool;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A request body that is written to the connection. Implementations that know their length let the
 * request go with {@code Content-Length}; the others are sent chunked.
 */
public interface RequestBody {

    /** The length in bytes, or {@code -1} when unknown (sent with chunked transfer coding). */
    long contentLength();

    /** Writes the whole body to {@code out}; called once per attempt. Must not close {@code out}. */
    void writeTo(OutputStream out) throws IOException;

    /** Whether {@link #writeTo} may be called again, so the request can be replayed on another connection. */
    boolean repeatable();

    /** A repeatable body of the given bytes (not copied: do not change them while the request runs). */
    static RequestBody of(byte[] bytes) {
        return new RequestBody() {
            @Override
            public long contentLength() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(bytes);
            }

            @Override
            public boolean repeatable() {
                return true;
            }
        };
    }
}
