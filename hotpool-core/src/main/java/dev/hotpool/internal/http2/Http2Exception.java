package dev.hotpool.internal.http2;

import dev.hotpool.MalformedResponseException;

import java.io.IOException;

/**
 * An HTTP/2 error (RFC 9113 §5.4): a connection error, after which the connection is closed with GOAWAY carrying
 * {@link #errorCode()}, or a stream error, after which only {@link #streamId()} is reset with RST_STREAM and the
 * connection goes on. The message starts with {@code hotpool: }, names the origin when known, and never holds a
 * field value (values may be secrets); names and sizes are fine.
 *
 * <p>Immutable.
 */
public class Http2Exception extends IOException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;
    private final int streamId;

    /**
     * @param streamId the stream a stream error concerns, or {@code 0} for a connection error
     * @param message the whole message, starting with {@code hotpool: }
     */
    protected Http2Exception(ErrorCode errorCode, int streamId, String message) {
        super(message);
        this.errorCode = errorCode;
        this.streamId = streamId;
    }

    /**
     * A connection error: {@code hotpool: HTTP/2 connection error PROTOCOL_ERROR from https://h:443: what}.
     *
     * @param origin the peer's origin for the message, or {@code null} when unknown
     */
    public static Http2Exception connection(ErrorCode code, String origin, String what) {
        return new Http2Exception(code, 0, "hotpool: HTTP/2 connection error " + code + from(origin) + ": " + what);
    }

    /**
     * A stream error: {@code hotpool: HTTP/2 stream error PROTOCOL_ERROR on stream 3 from https://h:443: what}.
     *
     * @param streamId the stream, above 0
     * @param origin the peer's origin for the message, or {@code null} when unknown
     */
    public static Http2Exception stream(ErrorCode code, int streamId, String origin, String what) {
        if (streamId <= 0) {
            throw new IllegalArgumentException("a stream error needs a stream id above 0, not " + streamId);
        }
        return new Http2Exception(code, streamId,
                "hotpool: HTTP/2 stream error " + code + " on stream " + streamId + from(origin) + ": " + what);
    }

    /**
     * A malformed response on a stream (RFC 9113 §8.1.1): a stream error PROTOCOL_ERROR whose message reads as the
     * HTTP/1.1 side's, {@code hotpool: malformed response from https://h:443: what}; {@link #toMalformedResponse()}
     * turns it into the exception the caller sees.
     */
    public static Http2Exception malformed(int streamId, String origin, String what) {
        if (streamId <= 0) {
            throw new IllegalArgumentException("a stream error needs a stream id above 0, not " + streamId);
        }
        return new Http2Exception(ErrorCode.PROTOCOL_ERROR, streamId,
                "hotpool: malformed response from " + (origin != null ? origin : "the server") + ": " + what);
    }

    private static String from(String origin) {
        return origin != null ? " from " + origin : "";
    }

    /** The code for RST_STREAM (stream error) or GOAWAY (connection error). */
    public ErrorCode errorCode() {
        return this.errorCode;
    }

    /** Whether the whole connection is done for (GOAWAY and close), rather than one stream (RST_STREAM). */
    public boolean isConnectionError() {
        return this.streamId == 0;
    }

    /** The stream of a stream error, {@code 0} for a connection error. */
    public int streamId() {
        return this.streamId;
    }

    /** The public exception a caller catches for this error: same message, this as its cause. */
    public MalformedResponseException toMalformedResponse() {
        return new MalformedResponseException(getMessage(), this);
    }
}
