package dev.hotpool.internal.http2;

import dev.hotpool.HotPoolException;

/**
 * The HTTP/2 connection ended (closed by the server without GOAWAY, a write or read failed) while a stream was open.
 * Whether its request may be sent again depends on whether anything came for it ({@link Http2Stream#unanswered()}),
 * as for an HTTP/1.1 connection closed before any response byte.
 */
public final class ConnectionLostException extends HotPoolException {

    private static final long serialVersionUID = 1L;

    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
