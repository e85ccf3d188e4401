package dev.hotpool.testsupport;

import dev.hotpool.HotPoolConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * A random, correctly framed HTTP/1.1 response: a body of random length and bytes in one of the framings a caller can
 * meet (Content-Length, chunked with random chunk sizes, extensions and trailers, until close, none for HEAD, 204 and
 * 304 or a zero length, gzip over a length or chunks), with the bytes on the wire cut into random writes. Knows, by
 * hotpool's rules, when the connection must be held, given back or closed after a caller's reads. Immutable.
 */
public final class ResponseShape {

    /** The framings. */
    public enum Kind {
        LENGTH, CHUNKED, UNTIL_CLOSE, HEAD, NO_CONTENT, NOT_MODIFIED, ZERO_LENGTH, GZIP_LENGTH, GZIP_CHUNKED;

        boolean empty() {
            return this == HEAD || this == NO_CONTENT || this == NOT_MODIFIED || this == ZERO_LENGTH;
        }

        boolean gzip() {
            return this == GZIP_LENGTH || this == GZIP_CHUNKED;
        }
    }

    private final Kind kind;
    private final byte[] body;
    private final byte[] wire;
    private final int[] cuts;

    private ResponseShape(Kind kind, byte[] body, byte[] wire, int[] cuts) {
        this.kind = kind;
        this.body = body;
        this.wire = wire;
        this.cuts = cuts;
    }

    /** A random response; gzip bodies stay small enough that closing early always drains them. */
    /**
     * The pool settings the body-contract tests run these shapes with: gzip decoding on, and a drain-timeout far beyond
     * any drain here, so whether a connection is reused follows drain-limit ({@link #reusedAfter}), not how fast a
     * loaded machine drains (a fuzzing run under load saw 64 KiB drains pass the default 500 ms; drain-timeout has a
     * test of its own in {@code Http1ExchangeTests}).
     */
    public static HotPoolConfig.Builder contractConfig() {
        return HotPoolConfig.builder().compression(true).drainTimeout(Duration.ofSeconds(60));
    }

    public static ResponseShape random(Choices c) {
        Kind kind = Kind.values()[c.nextInt(Kind.values().length)];
        int length = kind.empty() && kind != Kind.HEAD ? 0 : bodyLength(c, kind.gzip() ? 30_000 : 200_000);
        byte[] content = content(c, length);
        StringBuilder head = new StringBuilder(switch (kind) {
            case NO_CONTENT -> "HTTP/1.1 204 No Content\r\n";
            case NOT_MODIFIED -> "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n";
            default -> "HTTP/1.1 200 OK\r\n";
        });
        for (int i = c.nextInt(4); i > 0; i--) {
            head.append("X-Filler-").append(i).append(": ").append("f".repeat(c.nextInt(200))).append("\r\n");
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        byte[] payload = kind.gzip() ? gzip(content) : content;
        if (kind.gzip()) {
            head.append("Content-Encoding: gzip\r\n");
        }
        switch (kind) {
            case LENGTH, GZIP_LENGTH, HEAD -> head.append("Content-Length: ").append(payload.length).append("\r\n");
            case ZERO_LENGTH -> head.append("Content-Length: 0\r\n");
            case CHUNKED, GZIP_CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
            case UNTIL_CLOSE -> head.append("Connection: close\r\n");
            default -> {
            }
        }
        head.append("\r\n");
        wire.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        switch (kind) {
            case LENGTH, GZIP_LENGTH, UNTIL_CLOSE -> wire.writeBytes(payload);
            case CHUNKED, GZIP_CHUNKED -> chunked(c, payload, wire);
            default -> {
            }
        }
        byte[] bytes = wire.toByteArray();
        int[] cuts = new int[c.nextInt(6)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = c.nextInt(bytes.length + 1);
        }
        Arrays.sort(cuts);
        return new ResponseShape(kind, kind == Kind.HEAD ? new byte[0] : content, bytes, cuts);
    }

    /** A {@code 200} with these bytes and their {@code Content-Length}, in one write. */
    public static ResponseShape ofLength(byte[] body) {
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] wire = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, wire, head.length, body.length);
        return new ResponseShape(Kind.LENGTH, body, wire, new int[0]);
    }

    private static int bodyLength(Choices c, int max) {
        return switch (c.nextInt(10)) {
            case 0, 1, 2, 3, 4, 5 -> c.nextInt(300);
            case 6, 7 -> c.between(300, Math.min(max, 20_000));
            case 8 -> Math.min(max, (c.chance(50) ? 8192 : 65_536) + c.between(-16, 16));
            default -> c.between(20_000, max);
        };
    }

    /** Random bytes, sometimes text-like (so gzip has something to compress). */
    private static byte[] content(Choices c, int length) {
        byte[] b = c.bytes(length);
        if (c.chance(50)) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) ('a' + (b[i] & 0x0f));
            }
        }
        return b;
    }

    private static void chunked(Choices c, byte[] payload, ByteArrayOutputStream out) {
        int max = switch (c.nextInt(4)) {
            case 0 -> 1 + c.nextInt(8);
            case 1 -> 100;
            case 2 -> 5000;
            default -> 40_000;
        };
        // Chunks of a few bytes only for bodies up to 8 KiB; a larger body's chunks are at least half the largest, also
        // when the choices run out (a fuzzer's short input then chooses the smallest size every time). A 64 KiB body
        // in one-byte chunks is 900 KiB of framing, which a close may not drain within drain-timeout: its fate would
        // be the clock's, not the rule's.
        int min = payload.length <= 8192 ? 1 : Math.max(50, max / 2);
        max = Math.max(min, max);
        for (int at = 0; at < payload.length; ) {
            int n = Math.min(payload.length - at, c.between(min, max));
            String size = Integer.toHexString(n);
            out.writeBytes((c.chance(50) ? size : size.toUpperCase()).getBytes(StandardCharsets.ISO_8859_1));
            if (c.chance(10)) {
                out.writeBytes(";ext=\"v\"".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            at += n;
        }
        out.writeBytes(("0\r\n" + (c.chance(20) ? "X-Trailer: t\r\n" : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    public Kind kind() {
        return this.kind;
    }

    /** The request method it answers. */
    public String method() {
        return this.kind == Kind.HEAD ? "HEAD" : "GET";
    }

    /** The body a caller reads (decoded, for gzip). */
    public byte[] body() {
        return this.body;
    }

    /** The response on the wire. */
    public byte[] wire() {
        return this.wire;
    }

    /** Whether the server closes the connection after it. */
    public boolean serverCloses() {
        return this.kind == Kind.UNTIL_CLOSE;
    }

    /** Whether the body stream supports mark (a decoded body does not). */
    public boolean markSupported() {
        return !this.kind.gzip();
    }

    /** Writes the response in its random pieces, flushing each. */
    public void send(OutputStream out) throws IOException {
        int at = 0;
        for (int cut : this.cuts) {
            out.write(this.wire, at, cut - at);
            out.flush();
            at = cut;
        }
        out.write(this.wire, at, this.wire.length - at);
        out.flush();
    }

    /**
     * Whether the connection must still be leased after the reads of {@code outcome}, before the body is closed: until
     * the message has ended (a {@code Content-Length} body read to its last byte, any other seen to its end).
     */
    public boolean heldAfter(StreamContract.Outcome outcome) {
        if (this.kind.empty() || outcome.eofSeen()) {
            return false;
        }
        return !(this.kind == Kind.LENGTH && outcome.furthest() == this.body.length);
    }

    /**
     * Whether the connection carries the next request once the body is closed after the reads of {@code outcome}:
     * when the framing allows reuse and the message ended, or what was left was drained (no more than
     * {@code drainLimit}; a gzip body here always is).
     */
    public boolean reusedAfter(StreamContract.Outcome outcome, int drainLimit) {
        if (this.kind == Kind.UNTIL_CLOSE) {
            return false;
        }
        if (!heldAfter(outcome) || this.kind.gzip()) {
            return true;
        }
        return this.body.length - outcome.furthest() <= drainLimit;
    }

    @Override
    public String toString() {
        return this.kind + " body of " + this.body.length + " bytes, " + this.wire.length + " on the wire in "
                + (this.cuts.length + 1) + " writes";
    }
}
