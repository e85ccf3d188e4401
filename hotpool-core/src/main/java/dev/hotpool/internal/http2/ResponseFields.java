package dev.hotpool.internal.http2;

import dev.hotpool.Header;
import dev.hotpool.internal.util.Tokens;

import java.util.List;

/**
 * Checks a decoded response field section (RFC 9113 §8.1-§8.3) as strictly as the HTTP/1.1 side reads a head: a
 * response that breaks a rule is malformed, a stream error PROTOCOL_ERROR whose message reads like the HTTP/1.1
 * side's ({@code hotpool: malformed response from https://h:443: ...}, naming the defect and field names, never a
 * value); the caller resets the stream and hands its caller {@link Http2Exception#toMalformedResponse()}.
 *
 * <p>The rules: {@code :status} exactly once, before every regular field, three digits from 100 to 599 and not 101
 * (HTTP/2 has no protocol switch, §8.6); no other pseudo-header field, and none in trailers; names are lowercase
 * tokens (RFC 9110 §5.6.2, the HTTP/1.1 side's table); values hold no NUL, CR or LF and neither start nor end with SP
 * or HTAB (§8.2.1); no connection-specific field ({@code connection}, {@code keep-alive}, {@code proxy-connection},
 * {@code transfer-encoding}, {@code upgrade}, §8.2.2); {@code content-length} is a decimal number of at most 18 digits,
 * repeated (in a list or in several fields) only with one value, as the HTTP/1.1 side's framing reads it. An interim
 * (1xx) head passes as such: {@link Head#isInterim()}, and the caller reads the next one.
 *
 * <p>Thread-safe: stateless.
 */
public final class ResponseFields {

    /** The most digits of a {@code content-length}: 18 always fit in a {@code long}. */
    static final int MAX_LENGTH_DIGITS = 18;

    /**
     * A checked field section.
     *
     * @param status the {@code :status} code, 0 for trailers
     * @param fields the regular fields, in their order
     * @param contentLength the {@code content-length} value, -1 when absent (and in trailers)
     */
    public record Head(int status, List<Header> fields, long contentLength) {

        /** Whether this is an informational (1xx) head, after which the final head follows. */
        public boolean isInterim() {
            return this.status >= 100 && this.status < 200;
        }
    }

    private ResponseFields() {
    }

    /**
     * Checks a response's header section or trailers.
     *
     * @param fields the decoded fields in block order
     * @param trailers whether the section is a trailer section (a HEADERS frame after the response's DATA)
     * @param streamId the stream they came on
     * @param origin the server's origin for messages ({@code https://api.example.com:443})
     * @throws Http2Exception a stream error PROTOCOL_ERROR naming the defect
     */
    public static Head check(List<Header> fields, boolean trailers, int streamId, String origin)
            throws Http2Exception {
        int status = 0;
        int regular = -1;
        long length = -1;
        int n = fields.size();
        for (int i = 0; i < n; i++) {
            Header h = fields.get(i);
            String name = h.name();
            if (name.isEmpty()) {
                throw malformed(streamId, origin, "a field with an empty name");
            }
            if (name.charAt(0) == ':') {
                if (trailers) {
                    throw malformed(streamId, origin, "the pseudo-header field " + printable(name) + " in trailers");
                }
                if (regular >= 0) {
                    throw malformed(streamId, origin, "the pseudo-header field " + printable(name)
                            + " after a regular field");
                }
                if (!name.equals(":status")) {
                    throw malformed(streamId, origin, "the pseudo-header field " + printable(name)
                            + ", which a response does not have");
                }
                if (status != 0) {
                    throw malformed(streamId, origin, "more than one :status");
                }
                status = status(streamId, origin, h.value());
                continue;
            }
            if (regular < 0) {
                regular = i;
            }
            checkName(streamId, origin, name);
            checkValue(streamId, origin, name, h.value());
            if (isConnectionSpecific(name)) {
                throw malformed(streamId, origin, "the connection-specific field " + name
                        + ", which HTTP/2 does not allow (RFC 9113 §8.2.2)");
            }
            if (!trailers && name.equals("content-length")) {
                length = contentLength(streamId, origin, h.value(), length);
            }
        }
        if (!trailers && status == 0) {
            throw malformed(streamId, origin, "a response without :status");
        }
        List<Header> rest = regular < 0 ? List.of() : fields.subList(regular, n);
        return new Head(status, rest, length);
    }

    private static int status(int streamId, String origin, String value) throws Http2Exception {
        if (value.length() != 3 || !digit(value.charAt(0)) || !digit(value.charAt(1)) || !digit(value.charAt(2))) {
            throw malformed(streamId, origin, "a :status that is not three digits");
        }
        int code = Integer.parseInt(value);
        if (code < 100 || code > 599) {
            throw malformed(streamId, origin, "the status code " + value + " (outside 100-599)");
        }
        if (code == 101) {
            throw malformed(streamId, origin, "the status code 101, which HTTP/2 does not allow (RFC 9113 §8.6)");
        }
        return code;
    }

    private static void checkName(int streamId, String origin, String name) throws Http2Exception {
        boolean upper = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Tokens.tchar(c)) {
                throw malformed(streamId, origin, "a field name with a character that is not a token character");
            }
            upper |= c >= 'A' && c <= 'Z';
        }
        if (upper) {
            throw malformed(streamId, origin, "a field name with an upper-case letter (" + name + ")");
        }
    }

    private static void checkValue(int streamId, String origin, String name, String value) throws Http2Exception {
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                throw malformed(streamId, origin, "a NUL, CR or LF in the value of " + name);
            }
        }
        if (n > 0 && (space(value.charAt(0)) || space(value.charAt(n - 1)))) {
            throw malformed(streamId, origin, "a space or tab at the start or end of the value of " + name);
        }
    }

    private static boolean isConnectionSpecific(String name) {
        return switch (name) {
            case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> true;
            default -> false;
        };
    }

    /**
     * A {@code content-length} value, {@code 1*DIGIT} or a comma-separated list of one number (RFC 9110 §8.6), checked
     * against the value of an earlier field, {@code before} (-1 for none).
     */
    private static long contentLength(int streamId, String origin, String value, long before) throws Http2Exception {
        long length = before;
        int start = 0;
        while (true) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            int s = start;
            int e = end;
            while (s < e && space(value.charAt(s))) {
                s++;
            }
            while (e > s && space(value.charAt(e - 1))) {
                e--;
            }
            if (s == e) {
                throw malformed(streamId, origin, "an empty Content-Length");
            }
            if (e - s > MAX_LENGTH_DIGITS) {
                throw malformed(streamId, origin, "a Content-Length of more than " + MAX_LENGTH_DIGITS + " digits");
            }
            long parsed = 0;
            for (int i = s; i < e; i++) {
                char c = value.charAt(i);
                if (!digit(c)) {
                    throw malformed(streamId, origin, "an invalid Content-Length: not a decimal number");
                }
                parsed = parsed * 10 + (c - '0');
            }
            if (length >= 0 && parsed != length) {
                throw malformed(streamId, origin, "conflicting Content-Length values " + length + " and " + parsed);
            }
            length = parsed;
            if (comma < 0) {
                return length;
            }
            start = comma + 1;
        }
    }

    /** A pseudo-header's name for a message: as sent when it is a short token, else a neutral phrase. */
    private static String printable(String name) {
        if (name.length() > 1 && name.length() <= 32) {
            boolean token = true;
            for (int i = 1; i < name.length() && token; i++) {
                token = Tokens.tchar(name.charAt(i));
            }
            if (token) {
                return name;
            }
        }
        return "(a name that is not a token)";
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean space(char c) {
        return c == ' ' || c == '\t';
    }

    private static Http2Exception malformed(int streamId, String origin, String what) {
        return Http2Exception.malformed(streamId, origin, what);
    }
}
