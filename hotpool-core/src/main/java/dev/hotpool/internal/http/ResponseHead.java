package dev.hotpool.internal.http;

import dev.hotpool.Header;

import java.util.List;

/**
 * A response head as {@link ResponseHeadParser} read it: the status line, the header fields in order, and whether it
 * was framed exactly as RFC 9112 says. A head read leniently ({@link #lenient()} not {@code null}) is delivered, but
 * its connection never carries another exchange. Immutable.
 */
final class ResponseHead {

    /** Header names whose presence the parser notes, so that the framing rules do not search for them. */
    static final int CONTENT_LENGTH = 1;
    static final int TRANSFER_ENCODING = 1 << 1;
    static final int CONNECTION = 1 << 2;
    static final int KEEP_ALIVE = 1 << 3;
    static final int SET_COOKIE = 1 << 4;
    static final int CONTENT_ENCODING = 1 << 5;

    private final int minorVersion;
    private final int code;
    private final String reason;
    private final List<Header> fields;
    private final int present;
    private final long size;
    private final String lenient;

    ResponseHead(int minorVersion, int code, String reason, List<Header> fields, int present, long size,
            String lenient) {
        this.minorVersion = minorVersion;
        this.code = code;
        this.reason = reason;
        this.fields = fields;
        this.present = present;
        this.size = size;
        this.lenient = lenient;
    }

    /** {@code 0} for HTTP/1.0, {@code 1} or more for HTTP/1.1 (a higher minor version is read as 1.1). */
    int minorVersion() {
        return this.minorVersion;
    }

    /** {@code HTTP/1.1}, {@code HTTP/1.0}, or the version the server named ({@code HTTP/1.2} …). */
    String protocol() {
        return this.minorVersion == 1 ? "HTTP/1.1" : this.minorVersion == 0 ? "HTTP/1.0" : "HTTP/1." + this.minorVersion;
    }

    int code() {
        return this.code;
    }

    /** The reason phrase, possibly empty. */
    String reason() {
        return this.reason;
    }

    /** The header fields in the order received, unmodifiable. */
    List<Header> fields() {
        return this.fields;
    }

    /** Whether a field of one of the noted names ({@link #CONTENT_LENGTH} …) is present. */
    boolean has(int name) {
        return (this.present & name) != 0;
    }

    /** The first value of the named field, or {@code null}. */
    String first(String name) {
        for (Header h : this.fields) {
            if (h.is(name)) {
                return h.value();
            }
        }
        return null;
    }

    /** Bytes of the head on the wire (status line, field lines, the empty line, with their line ends). */
    long size() {
        return this.size;
    }

    /** Why the head was read leniently (its connection must then close after it), or {@code null}: it was exact. */
    String lenient() {
        return this.lenient;
    }

    /** This head, made lenient for {@code why} unless it already is (an interim response before it was irregular). */
    ResponseHead lenient(String why) {
        return this.lenient != null ? this
                : new ResponseHead(this.minorVersion, this.code, this.reason, this.fields, this.present, this.size, why);
    }

    @Override
    public String toString() {
        return protocol() + " " + this.code + (this.lenient == null ? "" : " (read leniently: " + this.lenient + ")");
    }
}
