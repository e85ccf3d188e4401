package dev.hotpool.internal.http2;

import java.io.IOException;

/**
 * The connection ended inside a frame: after part of its 9-byte header or before the end of its payload. Not an
 * {@link java.io.EOFException}, so that a {@code catch} of the clean end ({@link ConnectionEndedException}) does not
 * take it for one: nothing of the frame was delivered and the connection is unusable.
 */
public final class TruncatedFrameException extends IOException {

    private static final long serialVersionUID = 1L;

    public TruncatedFrameException(String message) {
        super(message);
    }
}
