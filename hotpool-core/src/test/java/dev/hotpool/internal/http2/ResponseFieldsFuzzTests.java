package dev.hotpool.internal.http2;

import dev.hotpool.Header;
import dev.hotpool.internal.http.FuzzSupport;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link ResponseFields#check} with field lists built from a small alphabet of names and values that hit the
 * rules' edges, against an independent reading of RFC 9113 §8.1-§8.3 written with regular expressions: both accept
 * the same lists, and for an accepted list agree on the status, the regular fields and the content length. Only
 * {@link Http2Exception}s leave the checker. {@code mvn verify} replays {@code ResponseFieldsFuzzTestsInputs/}.
 */
class ResponseFieldsFuzzTests {

    private static final String ORIGIN = FuzzSupport.ORIGIN.toString();

    private static final String[] NAMES = { ":status", ":status", ":path", ":", "content-length", "content-length",
        "x-a", "X-A", "connection", "te", "upgrade", "transfer-encoding", "keep-alive", "proxy-connection", "a b",
        "set-cookie", "", "x\u00e9", "x{y}", "~!#$%&'*+-.^_`|" };

    private static final String[] VALUES = { "200", "101", "100", "099", "600", "20", "2000", "204", "0", "7", "7,7",
        "7, 8", " 7", "7 ", "", ",", "0x1", "-1", "1234567890123456789", "123456789012345678", "a\rb", "a\nb",
        "a\u0000b", "a\u0001b", "\tx", "ok", "caf\u00e9", "a b" };

    private static final Pattern STATUS = Pattern.compile("[1-5][0-9][0-9]");
    private static final Pattern NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+");
    private static final Pattern VALUE = Pattern.compile("([^\\x00\\r\\n \\t]([^\\x00\\r\\n]*[^\\x00\\r\\n \\t])?)?");
    private static final Pattern LENGTH = Pattern.compile("[ \\t]*[0-9]{1,18}[ \\t]*(,[ \\t]*[0-9]{1,18}[ \\t]*)*");
    private static final Pattern CONNECTION = Pattern.compile("connection|keep-alive|proxy-connection|"
            + "transfer-encoding|upgrade");

    @FuzzTest(maxDuration = "10m")
    void theCheckerAgreesWithTheReference(FuzzedDataProvider data) {
        boolean trailers = data.consumeBoolean();
        List<Header> fields = new ArrayList<>();
        int n = data.consumeInt(0, 8);
        for (int i = 0; i < n; i++) {
            fields.add(new Header(NAMES[data.consumeInt(0, NAMES.length - 1)],
                    VALUES[data.consumeInt(0, VALUES.length - 1)]));
        }
        Expected expected = reference(fields, trailers);
        ResponseFields.Head head;
        try {
            head = ResponseFields.check(fields, trailers, 1, ORIGIN);
        }
        catch (Http2Exception e) {
            check(expected == null, "refused what the reference accepts: " + e.getMessage());
            check(e.getMessage().startsWith("hotpool: malformed response from " + ORIGIN + ": "), e.getMessage());
            return;
        }
        check(expected != null, "accepted what the reference refuses: " + fields);
        check(head.status() == expected.status, "status " + head.status() + ", the reference's " + expected.status);
        check(head.fields().equals(expected.fields), "fields differ");
        check(head.contentLength() == expected.length, "length " + head.contentLength() + ", the reference's "
                + expected.length);
    }

    private record Expected(int status, List<Header> fields, long length) {
    }

    /** RFC 9113 §8 read independently: null when the list is malformed. */
    private static Expected reference(List<Header> fields, boolean trailers) {
        List<Header> pseudo = new ArrayList<>();
        List<Header> regular = new ArrayList<>();
        for (Header h : fields) {
            if (h.name().startsWith(":")) {
                if (!regular.isEmpty()) {
                    return null;
                }
                pseudo.add(h);
            }
            else {
                regular.add(h);
            }
        }
        int status = 0;
        if (trailers) {
            if (!pseudo.isEmpty()) {
                return null;
            }
        }
        else {
            if (pseudo.size() != 1 || !pseudo.get(0).name().equals(":status")) {
                return null;
            }
            String s = pseudo.get(0).value();
            if (!STATUS.matcher(s).matches() || s.equals("101")) {
                return null;
            }
            status = Integer.parseInt(s);
        }
        long length = -1;
        for (Header h : regular) {
            if (!NAME.matcher(h.name()).matches() || !VALUE.matcher(h.value()).matches()
                    || CONNECTION.matcher(h.name()).matches()) {
                return null;
            }
            if (!trailers && h.name().equals("content-length")) {
                if (!LENGTH.matcher(h.value()).matches()) {
                    return null;
                }
                for (String element : h.value().split(",")) {
                    long v = Long.parseLong(element.strip());
                    if (length >= 0 && v != length) {
                        return null;
                    }
                    length = v;
                }
            }
        }
        return new Expected(status, regular, length);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
