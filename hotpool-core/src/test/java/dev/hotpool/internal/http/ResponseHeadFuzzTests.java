package dev.hotpool.internal.http;

import dev.hotpool.Header;
import dev.hotpool.MalformedResponseException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the response head parser with any bytes, several heads in a row on one connection's buffer, against the
 * grammar read independently ({@link ReferenceFraming}): a head the parser calls exact is exact by the grammar, ends
 * where the grammar's does and has the same status and fields; a head the grammar calls exact is never refused or
 * read leniently; only {@link MalformedResponseException}s leave the parser, naming the origin; memory follows the
 * input. {@code mvn verify} replays {@code ResponseHeadFuzzTestsInputs/}; docs/framing.md says how to fuzz.
 */
class ResponseHeadFuzzTests {

    @FuzzTest(maxDuration = "10m")
    void headsParseExactlyWhenTheGrammarSaysSo(byte[] data) throws IOException {
        FuzzSupport.runAndMeasure(checked -> parse(data, checked), data.length, "the head parser");
    }

    private static void parse(byte[] data, boolean checked) throws IOException {
        WireReader in = new WireReader(new ByteArrayInputStream(data));
        ResponseHeadParser parser = new ResponseHeadParser(8192, 100, 65536);
        int start = 0;
        for (int i = 0; i < 4 && start < data.length; i++) {
            ReferenceFraming.Head expected = checked ? ReferenceFraming.head(data, start) : null;
            ResponseHead head;
            try {
                head = parser.parse(in, FuzzSupport.ORIGIN);
            }
            catch (MalformedResponseException e) {
                check(e.getMessage().startsWith("hotpool: ") && e.getMessage().contains(FuzzSupport.ORIGIN.toString()),
                        "a message without the origin: " + e.getMessage());
                check(!checked || expected == null, "refused an exact head: " + e.getMessage());
                break;
            }
            if (head == null) {
                check(!checked || expected == null, "no head where the grammar has one");
                break;
            }
            int end = (int) (in.received() - in.buffered());
            if (!checked) {
                start = end;
                continue;
            }
            if (head.lenient() != null) {
                check(expected == null, "read an exact head leniently: " + head.lenient());
            }
            else {
                check(expected != null, "called a head exact that the grammar does not: " + head);
                check(expected.end() == end, "ended at " + end + ", the grammar at " + expected.end());
                check(expected.code() == head.code(), "status " + head.code() + ", the grammar's " + expected.code());
                List<Header> fields = head.fields();
                check(fields.size() == expected.fields().size(), "field count " + fields.size());
                for (int f = 0; f < fields.size(); f++) {
                    check(fields.get(f).name().equals(expected.fields().get(f)[0])
                            && fields.get(f).value().equals(expected.fields().get(f)[1]), "field " + f + " differs");
                }
            }
            start = end;
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
