package dev.hotpool.internal.http;

import dev.hotpool.Header;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.Origin;
import dev.hotpool.internal.util.Tokens;

import java.io.InputStream;
import java.util.Locale;

/**
 * How the body of a response is delimited (RFC 9112 §6.3) and whether the connection may carry another exchange after
 * it. The rule: a response framed exactly as RFC 9112 says may leave its connection reusable; a framing the RFCs let a
 * recipient read leniently (a repeated {@code Content-Length} of one value, {@code Transfer-Encoding} beside
 * {@code Content-Length} or in an HTTP/1.0 response, a body framing field on a 204) is delivered and its connection
 * closed after it; any other deviation in the framing fields is a {@link MalformedResponseException}.
 *
 * @param stream the body's bytes
 * @param reusable whether the connection may be pooled once the body has ended
 * @param empty whether the message has already ended (no body)
 * @param lenient why the connection is not reused although the server allowed it, or {@code null}
 */
record Framing(InputStream stream, boolean reusable, boolean empty, String lenient) {

    /** The most digits of a {@code Content-Length}: 18 always fit in a {@code long}. */
    static final int MAX_LENGTH_DIGITS = 18;

    /**
     * The framing of a response, from its head.
     *
     * @param headRequest whether the request was a HEAD (its response has no body)
     * @param lenientBefore why an interim (1xx) response before this one was read leniently, or {@code null}
     */
    static Framing of(boolean headRequest, ResponseHead head, WireReader wire, Origin origin, boolean requestSaidClose,
            String lenientBefore, int maxLineLength, int maxFieldCount, int maxHeadSize)
            throws MalformedResponseException {
        int code = head.code();
        String lenient = head.lenient() != null ? head.lenient() : lenientBefore;
        long length = -1;
        if (head.has(ResponseHead.CONTENT_LENGTH)) {
            Length announced = contentLength(origin, head);
            length = announced.value();
            if (announced.repeated() && lenient == null) {
                lenient = "repeated Content-Length values";
            }
        }
        boolean te = head.has(ResponseHead.TRANSFER_ENCODING);
        boolean noBody = headRequest || code < 200 || code == 204 || code == 304;
        if (te && !noBody) {
            chunkedOnly(origin, head);
        }
        if (te && length >= 0) {
            lenient = lenient != null ? lenient : "both Transfer-Encoding and Content-Length";
        }
        if (te && head.minorVersion() == 0) {
            lenient = lenient != null ? lenient : "Transfer-Encoding in an HTTP/1.0 response";
        }
        if ((code < 200 || code == 204) && (te || length > 0)) {
            lenient = lenient != null ? lenient : "a body length on a " + code + " response, which has no body";
        }
        boolean reusable = lenient == null && code != 101 && KeepAlive.allowed(requestSaidClose, head);
        if (noBody) {
            return new Framing(InputStream.nullInputStream(), reusable, true, lenient);
        }
        if (te) {
            return new Framing(new ChunkedBody(wire, origin, maxLineLength, maxFieldCount, maxHeadSize), reusable,
                    false, lenient);
        }
        if (length == 0) {
            return new Framing(InputStream.nullInputStream(), reusable, true, lenient);
        }
        if (length > 0) {
            return new Framing(new LengthBody(wire, origin, length), reusable, false, lenient);
        }
        return new Framing(new UntilCloseBody(wire), false, false, lenient); // Ends when the server closes.
    }

    /** The response's one content coding when {@link DecodedBody} decodes it, else {@code null}. */
    static String contentCoding(ResponseHead head) {
        if (!head.has(ResponseHead.CONTENT_ENCODING)) {
            return null;
        }
        String coding = null;
        for (Header h : head.fields()) {
            if (h.is("Content-Encoding")) {
                if (coding != null) {
                    return null; // Several codings: not decoded.
                }
                coding = h.value().trim().toLowerCase(Locale.ROOT);
            }
        }
        return coding != null && DecodedBody.decodes(coding) ? coding : null;
    }

    /** A {@code Content-Length} and whether it was repeated (in a list or in several fields). */
    private record Length(long value, boolean repeated) {
    }

    /**
     * The value of the {@code Content-Length} fields: {@code 1*DIGIT} (RFC 9110 §8.6), as a comma-separated list or in
     * several fields only when every element is the same number (which RFC 9110 lets a recipient read as one).
     */
    private static Length contentLength(Origin origin, ResponseHead head) throws MalformedResponseException {
        long length = -1;
        int elements = 0;
        for (Header h : head.fields()) {
            if (!h.is("Content-Length")) {
                continue;
            }
            String value = h.value();
            int start = 0;
            while (true) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                long parsed = decimal(origin, value, start, end);
                if (length >= 0 && parsed != length) {
                    throw ResponseHeadParser.malformed(origin,
                            "conflicting Content-Length values " + length + " and " + parsed);
                }
                length = parsed;
                elements++;
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
        }
        return new Length(length, elements > 1);
    }

    /** One list element of a {@code Content-Length}, between optional SP and HTAB. */
    private static long decimal(Origin origin, String value, int start, int end) throws MalformedResponseException {
        while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        if (start == end) {
            throw ResponseHeadParser.malformed(origin, "an empty Content-Length");
        }
        if (end - start > MAX_LENGTH_DIGITS) {
            throw ResponseHeadParser.malformed(origin,
                    "a Content-Length of more than " + MAX_LENGTH_DIGITS + " digits");
        }
        long n = 0;
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw ResponseHeadParser.malformed(origin, "an invalid Content-Length: not a decimal number");
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /**
     * Checks that the transfer codings are exactly {@code chunked} (empty list elements aside, RFC 9110 §5.6.1): hotpool
     * decodes no other transfer coding, and a body whose last coding is not chunked could not be read as sent.
     */
    private static void chunkedOnly(Origin origin, ResponseHead head) throws MalformedResponseException {
        int chunked = 0;
        for (Header h : head.fields()) {
            if (!h.is("Transfer-Encoding")) {
                continue;
            }
            for (String element : h.value().split(",", -1)) {
                String coding = element.strip();
                if (coding.isEmpty()) {
                    continue;
                }
                if (!coding.equalsIgnoreCase("chunked")) {
                    boolean token = coding.length() <= 20 && coding.chars().allMatch(Tokens::tchar);
                    throw ResponseHeadParser.malformed(origin, token ? "the transfer coding '"
                            + coding.toLowerCase(Locale.ROOT) + "', which hotpool does not decode (only chunked)"
                            : "an invalid transfer coding");
                }
                if (++chunked > 1) {
                    throw ResponseHeadParser.malformed(origin, "chunked applied more than once in Transfer-Encoding");
                }
            }
        }
        if (chunked == 0) {
            throw ResponseHeadParser.malformed(origin, "a Transfer-Encoding with no coding");
        }
    }
}
