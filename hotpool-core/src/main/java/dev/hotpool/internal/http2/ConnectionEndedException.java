package dev.hotpool.internal.http2;

import java.io.EOFException;

/**
 * The peer closed the connection cleanly between two frames: no byte of a next frame had arrived. What the caller
 * makes of it depends on the state (after GOAWAY it is the expected end; with streams open they failed unanswered).
 * A close inside a frame is a {@link TruncatedFrameException} instead.
 */
public final class ConnectionEndedException extends EOFException {

    private static final long serialVersionUID = 1L;

    public ConnectionEndedException(String message) {
        super(message);
    }
}
