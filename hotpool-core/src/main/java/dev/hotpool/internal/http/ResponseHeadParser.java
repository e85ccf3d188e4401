package dev.hotpool.internal.http;

import dev.hotpool.Header;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.Origin;
import dev.hotpool.internal.util.Tokens;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Reads a response head from the raw bytes of a connection, by the grammar of RFC 9112 §2–5 and RFC 9110 §5, and
 * sorts what it reads into three kinds:
 * <ul>
 * <li><b>exact</b>: the head is what the grammar allows; its connection may carry another exchange;</li>
 * <li><b>lenient</b>: a deviation the RFCs let a recipient read anyway (a bare LF as a line end, a bare CR or NUL in a
 * field value read as SP, other control characters kept in a value, obs-fold unfolded into SP, whitespace between a
 * field name and its colon, empty lines before the status line, a status line without the space before an empty
 * reason phrase); the head is delivered and {@link ResponseHead#lenient()} says why, so the connection is closed
 * after it;</li>
 * <li><b>malformed</b>: anything else, and every deviation inside a field that frames the message
 * ({@code Content-Length}, {@code Transfer-Encoding}): a {@link MalformedResponseException} naming the origin and what
 * was wrong, never a field's value.</li>
 * </ul>
 * Limits are checked as bytes arrive, so memory follows them: {@code hotpool.max-response-line-length} per line (an
 * unfolded field counts whole), {@code hotpool.max-response-header-count}, {@code hotpool.max-response-head-size}.
 * Field values are read as ISO-8859-1.
 *
 * <p>A blocking parser: {@link #parse} reads one head whole. Not thread-safe: used only by the connection's current
 * lease holder.
 */
final class ResponseHeadParser {

    /** How many empty lines may come before a status line (each makes the head lenient). */
    private static final int MAX_EMPTY_LINES = 8;

    private final int maxLineLength;
    private final int maxHeaderCount;
    private final int maxHeadSize;

    /** The line being read, without its line end; grows up to the line limit. */
    private byte[] line = new byte[256];

    /** Whether the last line read ended in a bare LF. */
    private boolean bareLf;

    /** Bytes of the head so far. */
    private long size;

    /** Why the head is being read leniently: the first reason found, or {@code null}. */
    private String lenient;

    /** Which noted fields ({@link ResponseHead#CONTENT_LENGTH} …) the head has. */
    private int present;

    ResponseHeadParser(int maxLineLength, int maxHeaderCount, int maxHeadSize) {
        this.maxLineLength = maxLineLength;
        this.maxHeaderCount = maxHeaderCount;
        this.maxHeadSize = maxHeadSize;
    }

    /**
     * Reads one response head.
     *
     * @return the head, or {@code null} when the connection ended before its first byte
     * @throws MalformedResponseException when the head breaks the grammar, a limit, or the connection ended in it
     * @throws IOException when reading failed
     */
    ResponseHead parse(WireReader in, Origin origin) throws IOException {
        this.size = 0;
        this.lenient = null;
        this.present = 0;
        int n = readLine(in, origin, true);
        if (n < 0) {
            return null;
        }
        for (int empty = 0; n == 0; empty++) {
            if (empty == MAX_EMPTY_LINES) {
                throw malformed(origin, "more than " + MAX_EMPTY_LINES + " empty lines before the status line");
            }
            lenient("an empty line before the status line");
            n = readLine(in, origin, false);
        }
        if (this.bareLf) {
            lenient("a bare LF as a line end");
        }
        int minor = version(origin, n);
        int code = code(origin, n);
        String reason = reason(origin, n);
        List<Header> fields = fields(in, origin);
        return new ResponseHead(minor, code, reason, fields, this.present, this.size, this.lenient);
    }

    /** The minor version of {@code HTTP/1.x} at the start of the status line. */
    private int version(Origin origin, int n) throws MalformedResponseException {
        byte[] b = this.line;
        if (n < 8 || b[0] != 'H' || b[1] != 'T' || b[2] != 'T' || b[3] != 'P' || b[4] != '/' || !digit(b[5])
                || b[6] != '.' || !digit(b[7])) {
            throw malformed(origin, "the status line does not start with an HTTP version (HTTP/1.1)");
        }
        if (b[5] != '1') {
            throw malformed(origin, "unsupported HTTP version HTTP/" + (char) b[5] + "." + (char) b[7]
                    + " in an HTTP/1.1 exchange");
        }
        return b[7] - '0';
    }

    private int code(Origin origin, int n) throws MalformedResponseException {
        byte[] b = this.line;
        if (n < 12 || b[8] != ' ' || !digit(b[9]) || !digit(b[10]) || !digit(b[11]) || (n > 12 && b[12] != ' ')) {
            throw malformed(origin, "invalid status line: the version must be followed by one space and a three-digit "
                    + "status code");
        }
        int code = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
        if (code < 100) {
            throw malformed(origin, "invalid status code " + (char) b[9] + (char) b[10] + (char) b[11]);
        }
        if (n == 12) {
            lenient("no space after the status code"); // RFC 9112 §4: a server MUST send it, even with no reason.
        }
        return code;
    }

    private String reason(Origin origin, int n) throws MalformedResponseException {
        if (n <= 13) {
            return "";
        }
        for (int i = 13; i < n; i++) {
            int c = this.line[i] & 0xff;
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw malformed(origin, "invalid status line: a control character in the reason phrase");
            }
        }
        return new String(this.line, 13, n - 13, StandardCharsets.ISO_8859_1);
    }

    /** The field lines up to the empty line that ends the head. */
    private List<Header> fields(WireReader in, Origin origin) throws IOException {
        List<Header> fields = null;
        while (true) {
            int n = readLine(in, origin, false);
            if (this.bareLf) {
                lenient("a bare LF as a line end");
            }
            if (n == 0) {
                return fields == null ? List.of() : Collections.unmodifiableList(fields);
            }
            byte first = this.line[0];
            if (first == ' ' || first == '\t') {
                if (fields == null) {
                    throw malformed(origin, "whitespace before the first header field");
                }
                fields.set(fields.size() - 1, unfold(origin, fields.get(fields.size() - 1), n));
                continue;
            }
            if (fields == null) {
                fields = new ArrayList<>(16);
            }
            if (fields.size() == this.maxHeaderCount) {
                throw malformed(origin, "more than " + this.maxHeaderCount
                        + " header fields (hotpool.max-response-header-count)");
            }
            fields.add(field(origin, n));
        }
    }

    /** One {@code field-name ":" OWS field-value OWS} line. */
    private Header field(Origin origin, int n) throws MalformedResponseException {
        byte[] b = this.line;
        int colon = 0;
        while (colon < n && Tokens.tchar(b[colon] & 0xff)) {
            colon++;
        }
        int nameEnd = colon;
        if (colon < n && b[colon] != ':' && (b[colon] == ' ' || b[colon] == '\t')) {
            while (colon < n && (b[colon] == ' ' || b[colon] == '\t')) {
                colon++;
            }
            if (colon < n && b[colon] == ':' && nameEnd > 0) {
                if (framing(b, nameEnd) != 0) {
                    throw malformed(origin, "whitespace between the field name " + knownName(b, nameEnd)
                            + " and its colon");
                }
                lenient("whitespace between a field name and its colon"); // RFC 9112 §5.1: a proxy removes it.
            }
        }
        if (colon == n || b[colon] != ':') {
            throw malformed(origin, colon == n && nameEnd == n ? "a header line without a colon"
                    : "a header field name with a character that is not a token character");
        }
        if (nameEnd == 0) {
            throw malformed(origin, "a header field with an empty name");
        }
        int kind = framing(b, nameEnd);
        this.present |= kind == 0 ? noted(b, nameEnd) : kind;
        String name = new String(b, 0, nameEnd, StandardCharsets.ISO_8859_1);
        return new Header(name, value(origin, colon + 1, n, kind, name));
    }

    /**
     * The value from {@code start} to {@code end} without its surrounding SP and HTAB. A bare CR or NUL becomes SP and
     * other control characters stay, both making the head lenient (RFC 9110 §5.5); in a framing field, any of them
     * makes it malformed.
     */
    private String value(Origin origin, int start, int end, int framing, String name)
            throws MalformedResponseException {
        byte[] b = this.line;
        String irregular = null;
        for (int i = start; i < end; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                if (c == 0 || c == '\r') {
                    b[i] = ' ';
                    irregular = "a CR or NUL in a field value, read as a space";
                }
                else if (irregular == null) {
                    irregular = "a control character in a field value";
                }
            }
        }
        if (irregular != null) {
            if (framing != 0) {
                throw malformed(origin, "a control character in the " + name + " field");
            }
            lenient(irregular);
        }
        while (start < end && (b[start] == ' ' || b[start] == '\t')) {
            start++;
        }
        while (end > start && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
            end--;
        }
        return start == end ? "" : new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** An obs-fold line (RFC 9112 §5.2): its text joins the previous field's value after a space. */
    private Header unfold(Origin origin, Header previous, int n) throws MalformedResponseException {
        int kind = framing(previous.name());
        if (kind != 0) {
            throw malformed(origin, "a folded line (obs-fold) in the " + previous.name() + " field");
        }
        lenient("a folded header line (obs-fold), read as a space");
        String more = value(origin, 0, n, 0, previous.name());
        if (previous.name().length() + 2 + previous.value().length() + 1 + more.length() > this.maxLineLength) {
            throw malformed(origin, "a folded header field longer than hotpool.max-response-line-length ("
                    + this.maxLineLength + ")");
        }
        String value = previous.value().isEmpty() ? more : more.isEmpty() ? previous.value()
                : previous.value() + " " + more;
        return new Header(previous.name(), value);
    }

    /**
     * Reads a line into {@link #line}, without its line end (CRLF, or a bare LF, which {@link #bareLf} notes).
     *
     * @return its length, or {@code -1} when {@code first} and the connection ended before any byte
     */
    private int readLine(WireReader in, Origin origin, boolean first) throws IOException {
        int n = 0;
        while (true) {
            if (in.pos == in.limit && in.fill() < 0) {
                if (first && n == 0) {
                    return -1;
                }
                throw malformed(origin, "the connection closed before the end of the response head");
            }
            byte[] b = in.buf;
            int start = in.pos;
            int end = in.limit;
            int lf = start;
            while (lf < end && b[lf] != '\n') {
                lf++;
            }
            int take = lf - start;
            if (n + take > this.maxLineLength + 1) { // + 1: the CR of the line end.
                throw malformed(origin, "a line of the response head is longer than hotpool.max-response-line-length ("
                        + this.maxLineLength + ")");
            }
            long headSoFar = this.size + n + take + (lf < end ? 1 : 0);
            if (headSoFar > this.maxHeadSize) {
                throw new MalformedResponseException("hotpool: the response head from " + origin + " is about "
                        + headSoFar + " bytes, more than hotpool.max-response-head-size (" + this.maxHeadSize + ")",
                        null);
            }
            if (n + take > this.line.length) {
                this.line = Arrays.copyOf(this.line, Math.max(n + take, 2 * this.line.length));
            }
            System.arraycopy(b, start, this.line, n, take);
            n += take;
            if (lf < end) {
                in.pos = lf + 1;
                break;
            }
            in.pos = end;
        }
        this.bareLf = n == 0 || this.line[n - 1] != '\r';
        if (!this.bareLf) {
            n--;
        }
        this.size += n + (this.bareLf ? 1 : 2);
        if (n > this.maxLineLength) {
            throw malformed(origin, "a line of the response head is longer than hotpool.max-response-line-length ("
                    + this.maxLineLength + ")");
        }
        return n;
    }

    private void lenient(String why) {
        if (this.lenient == null) {
            this.lenient = why;
        }
    }

    /** {@link ResponseHead#CONTENT_LENGTH} or {@link ResponseHead#TRANSFER_ENCODING} for those names, else 0. */
    private static int framing(byte[] b, int n) {
        if (n == 14 && equalsIgnoreCase(b, "content-length")) {
            return ResponseHead.CONTENT_LENGTH;
        }
        if (n == 17 && equalsIgnoreCase(b, "transfer-encoding")) {
            return ResponseHead.TRANSFER_ENCODING;
        }
        return 0;
    }

    private static int framing(String name) {
        byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
        return framing(b, b.length);
    }

    /** The other names {@link ResponseHead} notes, or 0. */
    private static int noted(byte[] b, int n) {
        switch (n) {
            case 10:
                if (equalsIgnoreCase(b, "connection")) {
                    return ResponseHead.CONNECTION;
                }
                if (equalsIgnoreCase(b, "keep-alive")) {
                    return ResponseHead.KEEP_ALIVE;
                }
                return equalsIgnoreCase(b, "set-cookie") ? ResponseHead.SET_COOKIE : 0;
            case 16:
                return equalsIgnoreCase(b, "content-encoding") ? ResponseHead.CONTENT_ENCODING : 0;
            default:
                return 0;
        }
    }

    private static String knownName(byte[] b, int n) {
        return framing(b, n) == ResponseHead.CONTENT_LENGTH ? "Content-Length" : "Transfer-Encoding";
    }

    /** Whether the first bytes of {@code b} spell {@code lower}, ignoring ASCII case. */
    private static boolean equalsIgnoreCase(byte[] b, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            if ((b[i] | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }


    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** The exception for a response head or its framing that breaks the rules: names the origin, never a value. */
    static MalformedResponseException malformed(Origin origin, String what) {
        return new MalformedResponseException("hotpool: malformed response from " + origin + ": " + what, null);
    }
}
