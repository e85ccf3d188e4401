package dev.hotpool.tls;

import java.util.ArrayList;
import java.util.List;

/**
 * One parameter of the SETTINGS frame a TLS profile's HTTP/2 connections send first (RFC 9113 §6.5.1): a 16-bit
 * identifier and an unsigned 32-bit value. Written {@code id:value} in decimal, as the SETTINGS part of an HTTP/2
 * fingerprint writes it ({@code 4:6291456}). Which values hotpool accepts for which identifier is checked by
 * {@link TlsProfile.Builder#build()}, which knows the property to name.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the identifier: 1 HEADER_TABLE_SIZE, 2 ENABLE_PUSH, 3 MAX_CONCURRENT_STREAMS, 4 INITIAL_WINDOW_SIZE,
 *     5 MAX_FRAME_SIZE, 6 MAX_HEADER_LIST_SIZE, 8 ENABLE_CONNECT_PROTOCOL, 9 NO_RFC7540_PRIORITIES, or any other
 *     (a receiver ignores identifiers it does not know)
 * @param value the value, 0 to 4294967295
 */
public record Http2Setting(int id, long value) {

    /** SETTINGS_HEADER_TABLE_SIZE: the HPACK table the server may use for the field blocks it sends. */
    public static final int HEADER_TABLE_SIZE = 0x1;

    /** SETTINGS_ENABLE_PUSH: hotpool takes no server push, so a profile must send 0. */
    public static final int ENABLE_PUSH = 0x2;

    /** SETTINGS_MAX_CONCURRENT_STREAMS: from a client, a cap on streams the server pushes. */
    public static final int MAX_CONCURRENT_STREAMS = 0x3;

    /** SETTINGS_INITIAL_WINDOW_SIZE: what the server may send on a stream ahead of the reads. */
    public static final int INITIAL_WINDOW_SIZE = 0x4;

    /** SETTINGS_MAX_FRAME_SIZE: the largest frame payload accepted. */
    public static final int MAX_FRAME_SIZE = 0x5;

    /** SETTINGS_MAX_HEADER_LIST_SIZE: the largest decoded header list accepted. */
    public static final int MAX_HEADER_LIST_SIZE = 0x6;

    /** SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §3): 0 or 1. */
    public static final int ENABLE_CONNECT_PROTOCOL = 0x8;

    /** SETTINGS_NO_RFC7540_PRIORITIES (RFC 9218 §2.1): 0 or 1. */
    public static final int NO_RFC7540_PRIORITIES = 0x9;

    /**
     * @throws IllegalArgumentException when the identifier is not 16 bits or the value not an unsigned 32-bit number
     */
    public Http2Setting {
        if (id < 0 || id > 0xffff) {
            throw new IllegalArgumentException("an HTTP/2 SETTINGS identifier is 0 to 65535, not " + id);
        }
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException("an HTTP/2 SETTINGS value is 0 to 4294967295, not " + value);
        }
    }

    /**
     * Reads the SETTINGS part of an HTTP/2 fingerprint: {@code id:value} pairs joined by {@code ;}
     * ({@code 1:65536;2:0;4:6291456;6:262144}), decimal, in the order they are sent. Blanks around the parts are
     * ignored; an empty text gives an empty list.
     *
     * @throws IllegalArgumentException saying which pair cannot be read and why
     */
    public static List<Http2Setting> parseAll(String text) {
        List<Http2Setting> settings = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return List.of();
        }
        for (String part : text.split(";", -1)) {
            settings.add(parse(part.trim()));
        }
        return List.copyOf(settings);
    }

    private static Http2Setting parse(String pair) {
        int colon = pair.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + pair + "' is not id:value (e.g. 4:6291456)");
        }
        long id = number(pair, pair.substring(0, colon).trim());
        long value = number(pair, pair.substring(colon + 1).trim());
        if (id > 0xffff) {
            throw new IllegalArgumentException("'" + pair + "': an identifier is 0 to 65535");
        }
        if (value > 0xffff_ffffL) {
            throw new IllegalArgumentException("'" + pair + "': a value is 0 to 4294967295");
        }
        return new Http2Setting((int) id, value);
    }

    private static long number(String pair, String digits) {
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch((c) -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + pair + "' is not id:value in decimal (e.g. 4:6291456)");
        }
        return Long.parseLong(digits);
    }

    /** {@code id:value}, as an HTTP/2 fingerprint writes it. */
    @Override
    public String toString() {
        return this.id + ":" + this.value;
    }
}
