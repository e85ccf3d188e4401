package dev.hotpool.internal.http2;

/** The error codes of RFC 9113 §7, carried by RST_STREAM and GOAWAY frames and by {@link Http2Exception}. */
public enum ErrorCode {

    /** 0x0: not an error; a graceful GOAWAY. */
    NO_ERROR(0x0),

    /** 0x1: an unspecific protocol error. */
    PROTOCOL_ERROR(0x1),

    /** 0x2: the endpoint failed on its own. */
    INTERNAL_ERROR(0x2),

    /** 0x3: the flow-control protocol was broken. */
    FLOW_CONTROL_ERROR(0x3),

    /** 0x4: a SETTINGS frame was not acknowledged in time. */
    SETTINGS_TIMEOUT(0x4),

    /** 0x5: a frame arrived after the stream was half-closed. */
    STREAM_CLOSED(0x5),

    /** 0x6: a frame had an invalid size. */
    FRAME_SIZE_ERROR(0x6),

    /** 0x7: the stream was refused before any processing: safe to retry. */
    REFUSED_STREAM(0x7),

    /** 0x8: the stream is no longer needed. */
    CANCEL(0x8),

    /** 0x9: the field-compression context could not be kept. */
    COMPRESSION_ERROR(0x9),

    /** 0xa: the connection of a CONNECT request was reset or closed. */
    CONNECT_ERROR(0xa),

    /** 0xb: the peer generates excessive load. */
    ENHANCE_YOUR_CALM(0xb),

    /** 0xc: the transport does not meet minimum security requirements. */
    INADEQUATE_SECURITY(0xc),

    /** 0xd: the request must be sent over HTTP/1.1. */
    HTTP_1_1_REQUIRED(0xd);

    private static final ErrorCode[] BY_CODE = values();

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The 32-bit code on the wire. */
    public int code() {
        return this.code;
    }

    /**
     * The constant of a code read from the wire; an unknown code is {@link #INTERNAL_ERROR}, which RFC 9113 §7 allows
     * ("unknown or unsupported error codes ... MAY be treated as equivalent to INTERNAL_ERROR").
     */
    public static ErrorCode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : INTERNAL_ERROR;
    }

    /** The name for messages: {@code PROTOCOL_ERROR}, or {@code 0x1f (unknown)} for a code no constant has. */
    public static String describe(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code].name()
                : "0x" + Integer.toHexString(code) + " (unknown)";
    }
}
