package dev.hotpool.internal.http2;

import dev.hotpool.Http2Settings;

import java.util.ArrayList;
import java.util.List;

/**
 * What hotpool's side of an HTTP/2 connection advertises and enforces, and its own limits: the SETTINGS it sends (in the
 * order given: the order is part of what servers see of a client), the connection-level WINDOW_UPDATE after them, the
 * pseudo-header order of its requests, and what follows from them: the limits it holds the server to. Invariant,
 * checked on construction: hotpool enforces exactly what it sent, or the protocol's initial value for a setting it did
 * not send ({@link #of} derives the limits so); only the header-list limit, advisory in RFC 9113 §6.5.2, is its own when
 * not sent.
 *
 * <p>Immutable and thread-safe.
 *
 * @param settings the SETTINGS sent in the preface, in order
 * @param connectionWindowIncrement the connection-level WINDOW_UPDATE sent after the SETTINGS, 0 for none
 * @param pseudoHeaderOrder the order of {@code :method}, {@code :authority}, {@code :scheme}, {@code :path} in
 *     requests, as their first letters ({@code masp})
 * @param headerTableSize SETTINGS_HEADER_TABLE_SIZE: the HPACK table the server may use for its field blocks
 * @param initialWindowSize SETTINGS_INITIAL_WINDOW_SIZE: what the server may send on a stream ahead of the reads
 * @param connectionWindowSize what the server may send on the connection ahead of the reads: 65,535 plus the
 *     increment
 * @param maxFrameSize SETTINGS_MAX_FRAME_SIZE: the largest frame accepted
 * @param maxHeaderListSize SETTINGS_MAX_HEADER_LIST_SIZE: the largest decoded header list accepted
 * @param maxConcurrentStreams hotpool's own cap on streams per connection, under the server's; 0: the server's
 * @param pingTimeoutMillis how long a PING may go unanswered before the connection counts as dead
 */
public record Http2Options(List<Setting> settings, int connectionWindowIncrement, String pseudoHeaderOrder,
        int headerTableSize, int initialWindowSize, int connectionWindowSize, int maxFrameSize, int maxHeaderListSize,
        int maxConcurrentStreams, int pingTimeoutMillis) {

    /** The protocol's own initial window (RFC 9113 §6.9.2): the connection window before any WINDOW_UPDATE. */
    static final int DEFAULT_WINDOW = 65_535;

    /** hotpool's own: {@link Http2Settings#DEFAULTS}, a 5-second PING. */
    public static final Http2Options DEFAULTS = own(Http2Settings.DEFAULTS, 5_000);

    /**
     * @throws IllegalStateException when a limit is not what the SETTINGS and WINDOW_UPDATE sent make it
     */
    public Http2Options {
        settings = List.copyOf(settings);
        if (headerTableSize != sent(settings, Setting.HEADER_TABLE_SIZE, HpackDecoder.DEFAULT_HEADER_TABLE_SIZE)
                || initialWindowSize != sent(settings, Setting.INITIAL_WINDOW_SIZE, DEFAULT_WINDOW)
                || maxFrameSize != sent(settings, Setting.MAX_FRAME_SIZE, Setting.MIN_MAX_FRAME_SIZE)
                || maxHeaderListSize != sent(settings, Setting.MAX_HEADER_LIST_SIZE, maxHeaderListSize)
                || (long) connectionWindowSize != (long) DEFAULT_WINDOW + connectionWindowIncrement) {
            throw new IllegalStateException("hotpool: HTTP/2 limits " + headerTableSize + "/" + initialWindowSize + "/"
                    + connectionWindowSize + "/" + maxFrameSize + "/" + maxHeaderListSize + " are not those sent: "
                    + fingerprint(settings, connectionWindowIncrement, pseudoHeaderOrder));
        }
    }

    /**
     * The options that send these SETTINGS and WINDOW_UPDATE and enforce what they say: each limit as sent, else the
     * protocol's initial value (header table 4096, stream and connection windows 65,535, frames 16,384); the header-list
     * limit as sent, else {@code ownMaxHeaderListSize} (RFC 9113's initial value is "unlimited").
     */
    static Http2Options of(List<Setting> settings, int connectionWindowIncrement, String pseudoHeaderOrder,
            int ownMaxHeaderListSize, int maxConcurrentStreams, int pingTimeoutMillis) {
        return new Http2Options(settings, connectionWindowIncrement, pseudoHeaderOrder,
                sent(settings, Setting.HEADER_TABLE_SIZE, HpackDecoder.DEFAULT_HEADER_TABLE_SIZE),
                sent(settings, Setting.INITIAL_WINDOW_SIZE, DEFAULT_WINDOW), DEFAULT_WINDOW + connectionWindowIncrement,
                sent(settings, Setting.MAX_FRAME_SIZE, Setting.MIN_MAX_FRAME_SIZE),
                sent(settings, Setting.MAX_HEADER_LIST_SIZE, ownMaxHeaderListSize), maxConcurrentStreams,
                pingTimeoutMillis);
    }

    /**
     * hotpool's own options from {@code hotpool.http2.*}: the SETTINGS that differ from the protocol's defaults, push
     * always off, the header-list limit always; a WINDOW_UPDATE opening the connection window to its size; pseudo-header
     * fields {@code :method, :authority, :scheme, :path}.
     */
    static Http2Options own(Http2Settings s, int pingTimeoutMillis) {
        return of(ownSettings(s), ownIncrement(s), "masp", s.maxHeaderListSize(), s.maxConcurrentStreams(),
                pingTimeoutMillis);
    }

    static List<Setting> ownSettings(Http2Settings s) {
        List<Setting> sent = new ArrayList<>(5);
        if (s.headerTableSize() != HpackDecoder.DEFAULT_HEADER_TABLE_SIZE) {
            sent.add(new Setting(Setting.HEADER_TABLE_SIZE, s.headerTableSize()));
        }
        sent.add(new Setting(Setting.ENABLE_PUSH, 0));
        if (s.initialWindowSize() != DEFAULT_WINDOW) {
            sent.add(new Setting(Setting.INITIAL_WINDOW_SIZE, s.initialWindowSize()));
        }
        if (s.maxFrameSize() != Setting.MIN_MAX_FRAME_SIZE) {
            sent.add(new Setting(Setting.MAX_FRAME_SIZE, s.maxFrameSize()));
        }
        sent.add(new Setting(Setting.MAX_HEADER_LIST_SIZE, s.maxHeaderListSize()));
        return sent;
    }

    static int ownIncrement(Http2Settings s) {
        return Math.max(0, s.connectionWindowSize() - DEFAULT_WINDOW);
    }

    /**
     * What servers see of these options, as passive HTTP/2 fingerprinting (Akamai's) writes it:
     * {@code SETTINGS|WINDOW_UPDATE|PRIORITY|PSEUDO_HEADER_ORDER}, e.g. {@code 2:0;4:1048576;6:65536|16711681|0|m,a,s,p}.
     * PRIORITY is always {@code 0}: hotpool sends no PRIORITY frame.
     */
    public String fingerprint() {
        return fingerprint(this.settings, this.connectionWindowIncrement, this.pseudoHeaderOrder);
    }

    private static String fingerprint(List<Setting> settings, int increment, String pseudoHeaderOrder) {
        StringBuilder b = new StringBuilder(64);
        for (Setting s : settings) {
            b.append(b.length() == 0 ? "" : ";").append(s.id()).append(':').append(s.value());
        }
        b.append('|').append(increment).append("|0|");
        for (int i = 0; i < pseudoHeaderOrder.length(); i++) {
            b.append(i == 0 ? "" : ",").append(pseudoHeaderOrder.charAt(i));
        }
        return b.toString();
    }

    /** The value sent for {@code id} as an int, or {@code otherwise} when it is not sent (or past the int range). */
    private static int sent(List<Setting> settings, int id, int otherwise) {
        for (Setting s : settings) {
            if (s.id() == id) {
                return s.value() <= Integer.MAX_VALUE ? (int) s.value() : otherwise;
            }
        }
        return otherwise;
    }
}
