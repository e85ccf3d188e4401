package dev.hotpool.internal.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An independent reading of RFC 9112's grammar, for differential tests of hotpool's parser: regular expressions taken
 * from the RFC's ABNF, applied to the raw bytes, with nothing shared with the code under test. It answers one
 * question: is this response framed <em>exactly</em> as RFC 9112 says (no lenient reading anywhere), and if so,
 * where does it end, what is its body, and may its connection carry another exchange. Interim (1xx) responses are read
 * past. Stateless.
 */
final class ReferenceFraming {

    private static final String TCHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]";
    private static final String VCHAR_OBS = "[\\x21-\\x7E\\x80-\\xFF]";

    /** RFC 9112 §4 {@code status-line}, with its CRLF. */
    private static final Pattern STATUS_LINE = Pattern.compile(
            "HTTP/1\\.([0-9]) ([0-9]{3}) ([\\t\\x20-\\x7E\\x80-\\xFF]*)\r\n");

    /** RFC 9112 §5 {@code field-line} (RFC 9110 §5.5 {@code field-value}), with its CRLF. */
    private static final Pattern FIELD_LINE = Pattern.compile(
            "(" + TCHAR + "+):[ \\t]*(" + VCHAR_OBS + "(?:[ \\t\\x21-\\x7E\\x80-\\xFF]*" + VCHAR_OBS + ")?)?[ \\t]*\r\n");

    /** RFC 9112 §7.1 {@code chunk-size [ chunk-ext ] CRLF}: extensions as hotpool reads past them. */
    private static final Pattern CHUNK_LINE = Pattern.compile("([0-9A-Fa-f]{1,16})((?:[ \\t]*;[\\t\\x20-\\x7E\\x80-\\xFF]*)?)\r\n");

    /** A trailer field line: a name of token characters, a colon, then no control character but HTAB. */
    private static final Pattern TRAILER_LINE = Pattern.compile(TCHAR + "+:[\\t\\x20-\\x7E\\x80-\\xFF]*\r\n");

    /**
     * A response framed exactly.
     *
     * @param end the index just after the message (its body included)
     * @param body the body (empty for responses without one)
     * @param reusable whether the connection may carry another exchange (no {@code close}, HTTP/1.1 or keep-alive,
     *     not a 101, and not delimited by the connection's end)
     * @param untilClose whether the body runs to the end of the connection (the bytes given are all of it)
     */
    record Result(int code, int end, byte[] body, boolean reusable, boolean untilClose) {
    }

    /**
     * A head framed exactly: where it ends, its status code, minor version and fields (name, value without the
     * surrounding whitespace).
     */
    record Head(int end, int minor, int code, List<String[]> fields) {
    }

    private ReferenceFraming() {
    }

    /**
     * The head at {@code at}, with hotpool's default limits, or {@code null} when it is not exactly as the grammar
     * says (or not complete).
     */
    static Head head(byte[] wire, int at) {
        return head(new String(wire, StandardCharsets.ISO_8859_1), at);
    }

    private static Head head(String s, int at) {
        int start = at;
        Matcher status = STATUS_LINE.matcher(s).region(at, s.length());
        if (!status.lookingAt() || status.end() - at - 2 > 8192) {
            return null;
        }
        int minor = Integer.parseInt(status.group(1));
        int code = Integer.parseInt(status.group(2));
        if (code < 100) {
            return null;
        }
        at = status.end();
        List<String[]> fields = new ArrayList<>();
        while (!s.startsWith("\r\n", at)) {
            Matcher field = FIELD_LINE.matcher(s).region(at, s.length());
            if (!field.lookingAt() || field.end() - at - 2 > 8192 || fields.size() == 100) {
                return null;
            }
            fields.add(new String[] {field.group(1), field.group(2) == null ? "" : field.group(2)});
            at = field.end();
        }
        at += 2;
        if (at > s.length() || at - start > 65536) {
            return null;
        }
        return new Head(at, minor, code, fields);
    }

    /** The chunked body at {@code at} (through its trailer section), or {@code null} when not exact or complete. */
    static Result chunkedBody(byte[] wire, int at) {
        return chunked(new String(wire, StandardCharsets.ISO_8859_1), wire, at, 200, true);
    }

    /**
     * Reads the response at the start of {@code wire}, with hotpool's default limits (line 8192, 100 fields, head
     * 65536 bytes); {@code null} when it is not framed exactly, or not complete in {@code wire} (a body delimited by
     * the connection's end takes all the bytes).
     */
    static Result read(byte[] wire, boolean headRequest) {
        String s = new String(wire, StandardCharsets.ISO_8859_1);
        int at = 0;
        for (int interim = 0; interim <= Http1Client.MAX_INTERIM_RESPONSES; interim++) {
            Head head = head(s, at);
            if (head == null) {
                return null;
            }
            at = head.end();
            List<String> lengths = values(head.fields(), "content-length");
            List<String> codings = values(head.fields(), "transfer-encoding");
            if (head.code() < 200 && head.code() != 101) {
                if (!lengths.isEmpty() || !codings.isEmpty()) {
                    return null; // A 1xx must not carry a body length.
                }
                continue;
            }
            return body(s, wire, at, head.minor(), head.code(), head.fields(), lengths, codings, headRequest);
        }
        return null;
    }

    private static Result body(String s, byte[] wire, int at, int minor, int code, List<String[]> fields,
            List<String> lengths, List<String> codings, boolean headRequest) {
        long length = -1;
        if (lengths.size() > 1) {
            return null; // Repeated: lenient at best.
        }
        if (lengths.size() == 1) {
            if (!lengths.get(0).matches("[0-9]{1,18}")) {
                return null;
            }
            length = Long.parseLong(lengths.get(0));
        }
        boolean noBody = headRequest || code < 200 || code == 204 || code == 304;
        boolean chunked = false;
        if (!codings.isEmpty()) {
            if (length >= 0 || minor == 0) {
                return null; // Both framings, or Transfer-Encoding in HTTP/1.0: read leniently at best.
            }
            List<String> elements = new ArrayList<>();
            for (String v : codings) {
                for (String e : v.split(",", -1)) {
                    if (!e.strip().isEmpty()) {
                        elements.add(e.strip().toLowerCase(Locale.ROOT));
                    }
                }
            }
            if (!noBody && !elements.equals(List.of("chunked"))) {
                return null;
            }
            chunked = true;
        }
        if (code == 204 && (chunked || length > 0)) {
            return null;
        }
        boolean keepAlive = false;
        boolean close = false;
        for (String v : values(fields, "connection")) {
            for (String token : v.split(",")) {
                close |= token.strip().equalsIgnoreCase("close");
                keepAlive |= token.strip().equalsIgnoreCase("keep-alive");
            }
        }
        boolean reusable = !close && code != 101 && (minor > 0 || keepAlive);
        if (noBody) {
            return new Result(code, at, new byte[0], reusable, false);
        }
        if (chunked) {
            return chunked(s, wire, at, code, reusable);
        }
        if (length >= 0) {
            if (wire.length - at < length) {
                return null;
            }
            int end = (int) (at + length);
            return new Result(code, end, java.util.Arrays.copyOfRange(wire, at, end), reusable, false);
        }
        return new Result(code, wire.length, java.util.Arrays.copyOfRange(wire, at, wire.length), false, true);
    }

    private static Result chunked(String s, byte[] wire, int at, int code, boolean reusable) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            Matcher line = CHUNK_LINE.matcher(s).region(at, s.length());
            if (!line.lookingAt() || line.end() - at - 2 > 8192) {
                return null;
            }
            String hex = line.group(1);
            if (hex.length() == 16 && Character.digit(hex.charAt(0), 16) > 7) {
                return null; // Beyond Long.MAX_VALUE.
            }
            long size = Long.parseLong(hex, 16);
            at = line.end();
            if (size == 0) {
                break;
            }
            if (wire.length - at < size + 2 || !s.startsWith("\r\n", (int) (at + size))) {
                return null;
            }
            body.write(wire, at, (int) size);
            at += (int) size + 2;
        }
        int fields = 0;
        int trailerStart = at;
        while (!s.startsWith("\r\n", at)) {
            Matcher trailer = TRAILER_LINE.matcher(s).region(at, s.length());
            if (!trailer.lookingAt() || trailer.end() - at - 2 > 8192 || ++fields > 100) {
                return null;
            }
            at = trailer.end();
            if (at - trailerStart > 65536) {
                return null;
            }
        }
        return new Result(code, at + 2, body.toByteArray(), reusable, false);
    }

    private static List<String> values(List<String[]> fields, String lowerName) {
        List<String> values = new ArrayList<>();
        for (String[] f : fields) {
            if (f[0].toLowerCase(Locale.ROOT).equals(lowerName)) {
                values.add(f[1]);
            }
        }
        return values;
    }
}
