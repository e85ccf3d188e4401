package dev.hotpool.internal.http2;

/**
 * One SETTINGS parameter (RFC 9113 §6.5.1): a 16-bit identifier and an unsigned 32-bit value.
 *
 * @param id the identifier, 0 to 65535 (unknown identifiers are kept; their receiver ignores them)
 * @param value the value, 0 to 2^32-1
 */
public record Setting(int id, long value) {

    public static final int HEADER_TABLE_SIZE = 0x1;
    public static final int ENABLE_PUSH = 0x2;
    public static final int MAX_CONCURRENT_STREAMS = 0x3;
    public static final int INITIAL_WINDOW_SIZE = 0x4;
    public static final int MAX_FRAME_SIZE = 0x5;
    public static final int MAX_HEADER_LIST_SIZE = 0x6;
    /** RFC 8441 §3. */
    public static final int ENABLE_CONNECT_PROTOCOL = 0x8;
    /** RFC 9218 §2.1. */
    public static final int NO_RFC7540_PRIORITIES = 0x9;

    /** The smallest SETTINGS_MAX_FRAME_SIZE, also its initial value (RFC 9113 §4.2). */
    public static final int MIN_MAX_FRAME_SIZE = 16_384;

    /** The largest SETTINGS_MAX_FRAME_SIZE: 2^24-1. */
    public static final int MAX_MAX_FRAME_SIZE = 16_777_215;

    /** The largest flow-control window: 2^31-1 (RFC 9113 §6.9.1). */
    public static final int MAX_WINDOW_SIZE = Integer.MAX_VALUE;

    public Setting {
        if (id < 0 || id > 0xffff) {
            throw new IllegalArgumentException("a SETTINGS identifier is 16 bits, not " + id);
        }
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException("a SETTINGS value is an unsigned 32-bit number, not " + value);
        }
    }

    /**
     * Checks a value received from the peer against RFC 9113 §6.5.2: ENABLE_PUSH other than 0 or 1 and MAX_FRAME_SIZE
     * outside 16384..16777215 are connection errors PROTOCOL_ERROR, INITIAL_WINDOW_SIZE above 2^31-1 a connection error
     * FLOW_CONTROL_ERROR. Other identifiers and values pass (unknown ones are ignored by the receiver). A server that
     * sends ENABLE_PUSH 1 breaks RFC 9113 §6.5.2 too ("a client MUST treat receipt of ... 1 as a connection error"):
     * checked here as well, since only servers send this client SETTINGS.
     *
     * @param origin the peer's origin for the message, or {@code null}
     */
    public void checkReceived(String origin) throws Http2Exception {
        switch (this.id) {
            case ENABLE_PUSH -> {
                if (this.value != 0) {
                    throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, origin, "SETTINGS_ENABLE_PUSH "
                            + this.value + (this.value == 1 ? " from a server (a server may only send 0)"
                                    : " (only 0 or 1 are allowed)"));
                }
            }
            case INITIAL_WINDOW_SIZE -> {
                if (this.value > MAX_WINDOW_SIZE) {
                    throw Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, origin, "SETTINGS_INITIAL_WINDOW_SIZE "
                            + this.value + " above the largest window 2147483647");
                }
            }
            case MAX_FRAME_SIZE -> {
                if (this.value < MIN_MAX_FRAME_SIZE || this.value > MAX_MAX_FRAME_SIZE) {
                    throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, origin, "SETTINGS_MAX_FRAME_SIZE "
                            + this.value + " outside 16384..16777215");
                }
            }
            case ENABLE_CONNECT_PROTOCOL -> {
                if (this.value > 1) {
                    throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, origin,
                            "SETTINGS_ENABLE_CONNECT_PROTOCOL " + this.value + " (only 0 or 1 are allowed)");
                }
            }
            default -> {
                // HEADER_TABLE_SIZE, MAX_CONCURRENT_STREAMS, MAX_HEADER_LIST_SIZE: any 32-bit value; others ignored.
            }
        }
    }
}
