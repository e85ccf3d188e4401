package dev.hotpool.internal.http2;

import dev.hotpool.HotPoolException;

/**
 * The server did not process the stream (RST_STREAM with REFUSED_STREAM, or a GOAWAY whose last stream id is below
 * it), or the connection took no new stream: RFC 9113 §8.7 says such a request may be sent again, whatever its method.
 */
public final class StreamRefusedException extends HotPoolException {

    private static final long serialVersionUID = 1L;

    public StreamRefusedException(String message) {
        super(message);
    }
}
