package dev.hotpool.testsupport;

import dev.hotpool.Header;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A random, correctly framed HTTP/2 response, the counterpart of {@link ResponseShape}: a body of random length and
 * bytes with a content-length or without one, ended by its last DATA frame, by an empty DATA frame or by trailers;
 * none for HEAD, 204 and 304 or a zero length; gzip over either; sometimes after an interim 103 head. Its DATA is cut
 * into frames of random sizes (empty ones too, some padded), which {@link H2ShapeServer} sends within the client's
 * flow-control windows. Immutable.
 */
public final class H2ResponseShape {

    /** The framings. */
    public enum Kind {
        LENGTH, NO_LENGTH, TRAILERS, HEAD, NO_CONTENT, NOT_MODIFIED, ZERO_LENGTH, GZIP_LENGTH, GZIP_NO_LENGTH;

        boolean empty() {
            return this == HEAD || this == NO_CONTENT || this == NOT_MODIFIED || this == ZERO_LENGTH;
        }

        boolean gzip() {
            return this == GZIP_LENGTH || this == GZIP_NO_LENGTH;
        }
    }

    /**
     * One DATA frame.
     *
     * @param length payload bytes taken from the body
     * @param padding padding bytes (-1: not padded; 0..255 with the PADDED flag)
     */
    public record Piece(int length, int padding) {
    }

    private final Kind kind;
    private final byte[] body;
    private final byte[] payload;
    private final List<Header> head;
    private final boolean interim;
    private final List<Piece> pieces;
    /** Whether END_STREAM comes on a frame after the last payload byte (empty DATA or trailers). */
    private final boolean endsApart;

    private H2ResponseShape(Kind kind, byte[] body, byte[] payload, List<Header> head, boolean interim,
            List<Piece> pieces, boolean endsApart) {
        this.kind = kind;
        this.body = body;
        this.payload = payload;
        this.head = head;
        this.interim = interim;
        this.pieces = pieces;
        this.endsApart = endsApart;
    }

    public static H2ResponseShape random(Choices c) {
        Kind kind = Kind.values()[c.nextInt(Kind.values().length)];
        int length = kind.empty() && kind != Kind.HEAD ? 0 : bodyLength(c, kind.gzip() ? 30_000 : 200_000);
        byte[] content = content(c, length);
        byte[] payload = kind.gzip() ? gzip(content) : content;
        List<Header> head = new ArrayList<>();
        head.add(new Header(":status", switch (kind) {
            case NO_CONTENT -> "204";
            case NOT_MODIFIED -> "304";
            default -> "200";
        }));
        for (int i = c.nextInt(4); i > 0; i--) {
            head.add(new Header("x-filler-" + i, "f".repeat(c.nextInt(200))));
        }
        if (kind.gzip()) {
            head.add(new Header("content-encoding", "gzip"));
        }
        switch (kind) {
            case LENGTH, GZIP_LENGTH, HEAD -> head.add(new Header("content-length", Integer.toString(payload.length)));
            case ZERO_LENGTH -> head.add(new Header("content-length", "0"));
            default -> {
            }
        }
        List<Piece> pieces = new ArrayList<>();
        boolean sendsData = !kind.empty() || (kind == Kind.ZERO_LENGTH && c.chance(50));
        if (sendsData) {
            int max = switch (c.nextInt(4)) {
                case 0 -> 1 + c.nextInt(8);
                case 1 -> 1000;
                case 2 -> 8192;
                default -> 16_384;
            };
            int min = payload.length <= 8192 ? 1 : Math.max(50, max / 2);
            max = Math.max(min, max);
            for (int at = 0; at < payload.length; ) {
                int n = Math.min(payload.length - at, c.between(min, max));
                int padding = c.chance(10) ? Math.min(c.nextInt(256), 16_384 - 1 - n) : -1;
                pieces.add(new Piece(n, padding));
                at += n;
                if (c.chance(3)) {
                    pieces.add(new Piece(0, -1)); // An empty DATA frame in the middle.
                }
            }
        }
        boolean endsApart = kind == Kind.TRAILERS || (sendsData && (pieces.isEmpty() || c.chance(25)));
        return new H2ResponseShape(kind, kind == Kind.HEAD ? new byte[0] : content, payload, List.copyOf(head),
                c.chance(10), List.copyOf(pieces), endsApart);
    }

    /**
     * A {@code 200} with these bytes and their content-length, in DATA frames of {@code pieceLength} bytes each with
     * {@code padding} bytes of padding (-1: none), END_STREAM on the last.
     */
    public static H2ResponseShape of(byte[] body, int pieceLength, int padding) {
        List<Piece> pieces = new ArrayList<>();
        for (int at = 0; at < body.length; at += pieceLength) {
            pieces.add(new Piece(Math.min(pieceLength, body.length - at), padding));
        }
        return new H2ResponseShape(Kind.LENGTH, body, body, List.of(new Header(":status", "200"),
                new Header("content-length", Integer.toString(body.length))), false, List.copyOf(pieces), false);
    }

    /** A response without content of this kind ({@code HEAD} of {@code length} bytes, {@code 204}, {@code 304}). */
    public static H2ResponseShape empty(Kind kind, int length) {
        String status = kind == Kind.NO_CONTENT ? "204" : kind == Kind.NOT_MODIFIED ? "304" : "200";
        List<Header> head = kind == Kind.HEAD ? List.of(new Header(":status", status),
                new Header("content-length", Integer.toString(length))) : List.of(new Header(":status", status));
        return new H2ResponseShape(kind, new byte[0], new byte[0], head, false, List.of(), false);
    }

    private static int bodyLength(Choices c, int max) {
        return switch (c.nextInt(10)) {
            case 0, 1, 2, 3, 4, 5 -> c.nextInt(300);
            case 6, 7 -> c.between(300, Math.min(max, 20_000));
            case 8 -> Math.min(max, (c.chance(50) ? 8192 : 65_536) + c.between(-16, 16));
            default -> c.between(20_000, max);
        };
    }

    private static byte[] content(Choices c, int length) {
        byte[] b = c.bytes(length);
        if (c.chance(50)) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) ('a' + (b[i] & 0x0f));
            }
        }
        return b;
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

    /** The DATA payload as sent (encoded, for gzip). */
    public byte[] payload() {
        return this.payload;
    }

    /** The response's header section, {@code :status} first. */
    public List<Header> head() {
        return this.head;
    }

    /** Whether a 103 head comes first. */
    public boolean interim() {
        return this.interim;
    }

    /** The DATA frames, in order. */
    public List<Piece> pieces() {
        return this.pieces;
    }

    /** Whether END_STREAM comes on its own frame after the payload: an empty DATA, or trailers. */
    public boolean endsApart() {
        return this.endsApart;
    }

    /** Whether trailers end the stream. */
    public boolean trailers() {
        return this.kind == Kind.TRAILERS;
    }

    /** Whether the body stream supports mark (a decoded body does not). */
    public boolean markSupported() {
        return !this.kind.gzip();
    }

    /**
     * Whether the stream must still be leased after the reads of {@code outcome}, before the body is closed:
     * {@link Boolean#TRUE} until the stream has ended and its bytes were read, {@code null} when that depends on when
     * the connection's reader saw END_STREAM (it came in a frame of its own and the last byte was read without seeing
     * the end of the stream).
     */
    public Boolean heldAfter(StreamContract.Outcome outcome) {
        if (outcome.eofSeen()) {
            return false;
        }
        if (this.kind.empty()) {
            // With END_STREAM on the head the stream is over before the body exists; apart, only once it has come
            // (it may come after the calls, which need not read).
            return this.endsApart ? null : false;
        }
        if (outcome.furthest() < this.body.length || this.kind.gzip()) {
            return true; // A decoder gives its stream back once it has seen the end of the encoded bytes.
        }
        // END_STREAM on an empty last DATA frame comes after the last byte just as one apart does.
        boolean apart = this.endsApart
                || (!this.pieces.isEmpty() && this.pieces.get(this.pieces.size() - 1).length() == 0);
        return apart ? null : false;
    }

    @Override
    public String toString() {
        return this.kind + " body of " + this.body.length + " bytes in " + this.pieces.size() + " DATA frames"
                + (this.endsApart ? ", END_STREAM apart" : "") + (this.interim ? ", after a 103" : "");
    }
}
