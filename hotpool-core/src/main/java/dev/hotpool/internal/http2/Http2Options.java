package dev.hotpool.internal.http2;

import java.util.ArrayList;
import java.util.List;

/**
 * What hotpool's side of an HTTP/2 connection advertises and accepts, and its own limits: the SETTINGS it sends (in the
 * order given: the order is part of what servers see of a client), the connection window it opens after them, its
 * cap on concurrent streams, and how long a PING may take.
 *
 * @param headerTableSize SETTINGS_HEADER_TABLE_SIZE: the HPACK table the server may use for its field blocks
 * @param initialWindowSize SETTINGS_INITIAL_WINDOW_SIZE: what the server may send on a stream ahead of the reads
 * @param connectionWindowSize what the server may send on the connection ahead of the reads (a WINDOW_UPDATE opens it
 *     beyond 65,535)
 * @param maxFrameSize SETTINGS_MAX_FRAME_SIZE: the largest frame accepted
 * @param maxHeaderListSize SETTINGS_MAX_HEADER_LIST_SIZE: the largest decoded header list accepted
 * @param maxConcurrentStreams hotpool's own cap on streams per connection, under the server's; 0: the server's
 * @param pingTimeoutMillis how long a PING may go unanswered before the connection counts as dead
 * @param pseudoHeaderOrder the order of {@code :method}, {@code :authority}, {@code :scheme}, {@code :path} in
 *     requests, as their first letters ({@code masp})
 */
public record Http2Options(int headerTableSize, int initialWindowSize, int connectionWindowSize, int maxFrameSize,
        int maxHeaderListSize, int maxConcurrentStreams, int pingTimeoutMillis, String pseudoHeaderOrder) {

    /** The protocol's own initial window (RFC 9113 §6.9.2): the connection window before any WINDOW_UPDATE. */
    static final int DEFAULT_WINDOW = 65_535;

    /** The defaults: 4 KiB table, 1 MiB per stream, 16 MiB per connection, 16 KiB frames, 64 KiB header lists. */
    public static final Http2Options DEFAULTS = new Http2Options(4096, 1 << 20, 16 << 20, 16_384, 64 << 10, 0, 5_000,
            "masp");

    /** The SETTINGS sent in the preface: those that differ from the protocol's defaults, push always off. */
    List<Setting> settings() {
        List<Setting> s = new ArrayList<>(5);
        if (this.headerTableSize != HpackDecoder.DEFAULT_HEADER_TABLE_SIZE) {
            s.add(new Setting(Setting.HEADER_TABLE_SIZE, this.headerTableSize));
        }
        s.add(new Setting(Setting.ENABLE_PUSH, 0));
        if (this.initialWindowSize != DEFAULT_WINDOW) {
            s.add(new Setting(Setting.INITIAL_WINDOW_SIZE, this.initialWindowSize));
        }
        if (this.maxFrameSize != Setting.MIN_MAX_FRAME_SIZE) {
            s.add(new Setting(Setting.MAX_FRAME_SIZE, this.maxFrameSize));
        }
        s.add(new Setting(Setting.MAX_HEADER_LIST_SIZE, this.maxHeaderListSize));
        return s;
    }

    /** The connection-level WINDOW_UPDATE sent after the SETTINGS, or 0 for none. */
    int connectionWindowIncrement() {
        return Math.max(0, this.connectionWindowSize - DEFAULT_WINDOW);
    }
}
