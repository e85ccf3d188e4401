package dev.hotpool;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code hotpool.http2.*} settings: what hotpool asks of and allows its HTTP/2 connections (those that agreed
 * {@code h2} in ALPN, or speak {@code h2c} to a host that asked for it; see {@code hotpool.protocols}). Sizes are in
 * bytes, as in RFC 9113's SETTINGS. Validated on construction, each with its property in the message.
 *
 * <p>The five values hotpool advertises ({@link Advertised}) are also what a TLS profile's HTTP/2 fingerprint may set
 * ({@code hotpool.tls.profiles.<name>.http2.*}). For a connection made with such a profile, the profile's values are
 * sent and enforced, except those set here explicitly ({@link #explicit()}: given to the {@link Builder} or to the
 * six-value constructor), which replace the profile's. With a profile that sets none, these values are sent as they
 * are, defaults included.
 *
 * <p>Immutable and thread-safe; {@link #DEFAULTS}, or {@link #builder()} to change some values.
 *
 * @param maxConcurrentStreams {@code hotpool.http2.max-concurrent-streams}: most streams (requests in flight) hotpool
 *     opens at once on one connection; 0 (the default) for as many as the server's
 *     {@code SETTINGS_MAX_CONCURRENT_STREAMS} allows, a value above 0 caps that
 * @param initialWindowSize {@code hotpool.http2.initial-window-size}: the receive window of each stream that hotpool
 *     advertises ({@code SETTINGS_INITIAL_WINDOW_SIZE}): how much of a response body the server may send before
 *     hotpool reads it; 65535 to 2147483647, default 1 MiB
 * @param connectionWindowSize {@code hotpool.http2.connection-window-size}: the receive window of the whole
 *     connection, shared by its streams (opened with a {@code WINDOW_UPDATE} on stream 0); 65535 to 2147483647 and at
 *     least {@code initial-window-size}, default 16 MiB
 * @param maxFrameSize {@code hotpool.http2.max-frame-size}: the largest frame payload hotpool accepts
 *     ({@code SETTINGS_MAX_FRAME_SIZE}); 16384 to 16777215, default 16384
 * @param maxHeaderListSize {@code hotpool.http2.max-header-list-size}: the largest decoded header list of a response
 *     hotpool accepts ({@code SETTINGS_MAX_HEADER_LIST_SIZE}, counted as RFC 9113 §6.5.2 says: each field's name and
 *     value plus 32 bytes); bounds what a small HPACK block may expand to; at least 1024, default 65536
 * @param headerTableSize {@code hotpool.http2.header-table-size}: the size of the HPACK dynamic table hotpool keeps for
 *     decoding the server's headers ({@code SETTINGS_HEADER_TABLE_SIZE}); 0 to 2147483647, default 4096
 * @param explicit the advertised values set explicitly, which replace a TLS profile's; the others are defaults, which
 *     a profile's values replace
 */
public record Http2Settings(int maxConcurrentStreams, int initialWindowSize, int connectionWindowSize,
        int maxFrameSize, int maxHeaderListSize, int headerTableSize, Set<Advertised> explicit) {

    /** The values hotpool advertises to the server, each of which a TLS profile's HTTP/2 fingerprint may set too. */
    public enum Advertised {

        /** {@code hotpool.http2.header-table-size}: SETTINGS_HEADER_TABLE_SIZE (1). */
        HEADER_TABLE_SIZE("header-table-size"),

        /** {@code hotpool.http2.initial-window-size}: SETTINGS_INITIAL_WINDOW_SIZE (4). */
        INITIAL_WINDOW_SIZE("initial-window-size"),

        /** {@code hotpool.http2.connection-window-size}: 65535 plus the connection-level WINDOW_UPDATE's increment. */
        CONNECTION_WINDOW_SIZE("connection-window-size"),

        /** {@code hotpool.http2.max-frame-size}: SETTINGS_MAX_FRAME_SIZE (5). */
        MAX_FRAME_SIZE("max-frame-size"),

        /** {@code hotpool.http2.max-header-list-size}: SETTINGS_MAX_HEADER_LIST_SIZE (6). */
        MAX_HEADER_LIST_SIZE("max-header-list-size");

        private final String property;

        Advertised(String property) {
            this.property = property;
        }

        /** Its property, {@code hotpool.http2.max-frame-size}. */
        public String property() {
            return "hotpool.http2." + this.property;
        }
    }

    /** The smallest flow-control window, and the one HTTP/2 starts with (RFC 9113 §6.9.2). */
    static final int MIN_WINDOW = 65_535;

    /** The smallest and largest {@code SETTINGS_MAX_FRAME_SIZE} (RFC 9113 §6.5.2). */
    static final int MIN_FRAME_SIZE = 16_384;
    static final int MAX_FRAME_SIZE = 16_777_215;

    /** The smallest header-list limit hotpool accepts: below it ordinary responses would fail. */
    static final int MIN_HEADER_LIST_SIZE = 1024;

    /**
     * No cap on concurrent streams below the server's, 1 MiB stream and 16 MiB connection windows, 16 KiB frames,
     * 64 KiB header lists, a 4 KiB HPACK table.
     */
    public static final Http2Settings DEFAULTS = new Http2Settings(0, 1 << 20, 16 << 20, MIN_FRAME_SIZE, 65_536, 4096,
            Set.of());

    /**
     * @throws IllegalArgumentException naming the property and its value, e.g.
     *     {@code hotpool.http2.initial-window-size (1000) must be from 65535 to 2147483647}
     */
    public Http2Settings {
        Objects.requireNonNull(explicit, "'explicit' must not be null");
        explicit = explicit.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(explicit));
        if (maxConcurrentStreams < 0) {
            throw new IllegalArgumentException("hotpool.http2.max-concurrent-streams (" + maxConcurrentStreams
                    + ") must not be negative (0: as many as the server allows)");
        }
        if (initialWindowSize < MIN_WINDOW) {
            throw new IllegalArgumentException("hotpool.http2.initial-window-size (" + initialWindowSize
                    + ") must be from " + MIN_WINDOW + " to " + Integer.MAX_VALUE);
        }
        if (connectionWindowSize < MIN_WINDOW) {
            throw new IllegalArgumentException("hotpool.http2.connection-window-size (" + connectionWindowSize
                    + ") must be from " + MIN_WINDOW + " to " + Integer.MAX_VALUE);
        }
        if (connectionWindowSize < initialWindowSize) {
            throw new IllegalArgumentException("hotpool.http2.connection-window-size (" + connectionWindowSize
                    + ") must not be less than hotpool.http2.initial-window-size (" + initialWindowSize + "): one "
                    + "stream could never use its whole window");
        }
        if (maxFrameSize < MIN_FRAME_SIZE || maxFrameSize > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("hotpool.http2.max-frame-size (" + maxFrameSize + ") must be from "
                    + MIN_FRAME_SIZE + " to " + MAX_FRAME_SIZE);
        }
        if (maxHeaderListSize < MIN_HEADER_LIST_SIZE) {
            throw new IllegalArgumentException("hotpool.http2.max-header-list-size (" + maxHeaderListSize
                    + ") must be at least " + MIN_HEADER_LIST_SIZE);
        }
        if (headerTableSize < 0) {
            throw new IllegalArgumentException("hotpool.http2.header-table-size (" + headerTableSize
                    + ") must not be negative");
        }
    }

    /**
     * Settings whose five advertised values are all explicit (each replaces a TLS profile's).
     *
     * @throws IllegalArgumentException as the canonical constructor
     */
    public Http2Settings(int maxConcurrentStreams, int initialWindowSize, int connectionWindowSize, int maxFrameSize,
            int maxHeaderListSize, int headerTableSize) {
        this(maxConcurrentStreams, initialWindowSize, connectionWindowSize, maxFrameSize, maxHeaderListSize,
                headerTableSize, EnumSet.allOf(Advertised.class));
    }

    /** Whether this value was set explicitly, so it replaces a TLS profile's. */
    public boolean isExplicit(Advertised value) {
        return this.explicit.contains(value);
    }

    /** A builder starting from {@link #DEFAULTS}. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds an {@link Http2Settings}; unset values are the {@link #DEFAULTS}, and each advertised value given is
     * explicit. Not thread-safe.
     */
    public static final class Builder {

        private int maxConcurrentStreams;
        private int initialWindowSize;
        private int connectionWindowSize;
        private int maxFrameSize;
        private int maxHeaderListSize;
        private int headerTableSize;
        private final Set<Advertised> explicit = EnumSet.noneOf(Advertised.class);

        private Builder(Http2Settings from) {
            this.maxConcurrentStreams = from.maxConcurrentStreams;
            this.initialWindowSize = from.initialWindowSize;
            this.connectionWindowSize = from.connectionWindowSize;
            this.maxFrameSize = from.maxFrameSize;
            this.maxHeaderListSize = from.maxHeaderListSize;
            this.headerTableSize = from.headerTableSize;
            this.explicit.addAll(from.explicit);
        }

        public Builder maxConcurrentStreams(int n) {
            this.maxConcurrentStreams = n;
            return this;
        }

        public Builder initialWindowSize(int bytes) {
            this.initialWindowSize = bytes;
            return set(Advertised.INITIAL_WINDOW_SIZE);
        }

        public Builder connectionWindowSize(int bytes) {
            this.connectionWindowSize = bytes;
            return set(Advertised.CONNECTION_WINDOW_SIZE);
        }

        public Builder maxFrameSize(int bytes) {
            this.maxFrameSize = bytes;
            return set(Advertised.MAX_FRAME_SIZE);
        }

        public Builder maxHeaderListSize(int bytes) {
            this.maxHeaderListSize = bytes;
            return set(Advertised.MAX_HEADER_LIST_SIZE);
        }

        public Builder headerTableSize(int bytes) {
            this.headerTableSize = bytes;
            return set(Advertised.HEADER_TABLE_SIZE);
        }

        private Builder set(Advertised value) {
            this.explicit.add(value);
            return this;
        }

        /** Validates and builds (see {@link Http2Settings#Http2Settings}). */
        public Http2Settings build() {
            return new Http2Settings(this.maxConcurrentStreams, this.initialWindowSize, this.connectionWindowSize,
                    this.maxFrameSize, this.maxHeaderListSize, this.headerTableSize, this.explicit);
        }
    }
}
