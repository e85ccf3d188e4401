package dev.hotpool.http;

import dev.hotpool.HotRequest;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.Origin;
import dev.hotpool.pool.Connection;

import java.io.InputStream;
import java.util.Locale;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.impl.io.ChunkedInputStream;
import org.apache.hc.core5.http.impl.io.ContentLengthInputStream;
import org.apache.hc.core5.http.impl.io.IdentityInputStream;

/**
 * How the body of a response is delimited (RFC 9112 §6.3) and whether the connection may carry another
 * exchange after it.
 *
 * @param stream the body's bytes
 * @param reusable whether the connection may be pooled once the body has ended
 * @param empty whether the message has already ended (no body)
 * @param length the announced {@code Content-Length}, or {@code -1}
 */
record Framing(InputStream stream, boolean reusable, boolean empty, long length) {

    Framing(InputStream stream, boolean reusable, boolean empty) {
        this(stream, reusable, empty, -1);
    }

    /** The framing of a response to the request, from its head. */
    static Framing of(HotRequest request, ClassicHttpResponse head, Connection connection, Http1Codec codec,
            boolean requestSaidClose) throws MalformedResponseException {
        int code = head.getCode();
        boolean reusable = KeepAlive.allowed(requestSaidClose, head) && code != 101; // No protocol switches.
        if (request.method().equals("HEAD") || code < 200 || code == 204 || code == 304) {
            return new Framing(InputStream.nullInputStream(), reusable, true);
        }
        InputStream in = connection.in();
        if (head.containsHeader("Transfer-Encoding")) {
            String codings = joined(head, "Transfer-Encoding");
            String last = codings.substring(codings.lastIndexOf(',') + 1).trim();
            if (last.equalsIgnoreCase("chunked")) {
                // Both framings sent: read as chunked, then do not trust the connection.
                return new Framing(new ChunkedInputStream(codec.in, in, codec.h1),
                        reusable && !head.containsHeader("Content-Length"), false);
            }
            return new Framing(new IdentityInputStream(codec.in, in), false, false);
        }
        if (head.containsHeader("Content-Length")) {
            long length = contentLength(request.origin(), head);
            return length == 0 ? new Framing(InputStream.nullInputStream(), reusable, true)
                    : new Framing(new ContentLengthInputStream(codec.in, in, length), reusable, false, length);
        }
        return new Framing(new IdentityInputStream(codec.in, in), false, false); // Ends when the server closes.
    }

    /** The response's one content coding when {@link DecodedBody} decodes it, else {@code null}. */
    static String contentCoding(ClassicHttpResponse head) {
        if (!head.containsHeader("Content-Encoding")) {
            return null;
        }
        String coding = joined(head, "Content-Encoding").trim().toLowerCase(Locale.ROOT);
        return DecodedBody.decodes(coding) ? coding : null;
    }

    private static long contentLength(Origin origin, ClassicHttpResponse head) throws MalformedResponseException {
        long length = -1;
        for (String part : joined(head, "Content-Length").split(",")) {
            String v = part.trim();
            long parsed;
            if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
                throw new MalformedResponseException("hotpool: malformed response from " + origin
                        + ": invalid Content-Length '" + v + "'", null);
            }
            parsed = Long.parseLong(v);
            if (length >= 0 && parsed != length) {
                throw new MalformedResponseException("hotpool: malformed response from " + origin
                        + ": conflicting Content-Length values " + length + " and " + parsed, null);
            }
            length = parsed;
        }
        return length;
    }

    static String joined(ClassicHttpResponse head, String name) {
        StringBuilder sb = new StringBuilder();
        for (org.apache.hc.core5.http.Header h : head.getHeaders(name)) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(h.getValue());
        }
        return sb.toString();
    }
}
