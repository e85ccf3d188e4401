package dev.hotpool.internal.http2;

/**
 * The frame types of RFC 9113 §6 (an {@code int}, not an enum: a frame of a type not listed here is read and passed
 * on, and RFC 9113 §4.1 says its receiver ignores it).
 */
public final class FrameType {

    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int PRIORITY = 0x2;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PUSH_PROMISE = 0x5;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int WINDOW_UPDATE = 0x8;
    public static final int CONTINUATION = 0x9;

    private static final String[] NAMES = { "DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE",
        "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION" };

    private FrameType() {
    }

    /** {@code DATA}, ... or {@code type 0x2a} for a type RFC 9113 does not define. */
    public static String name(int type) {
        return type >= 0 && type < NAMES.length ? NAMES[type] : "type 0x" + Integer.toHexString(type);
    }
}
