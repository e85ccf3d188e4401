package dev.hotpool.internal.http2;

import dev.hotpool.Header;
import dev.hotpool.internal.http.FuzzSupport;

import java.io.IOException;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the HPACK decoder with any blocks, several in a row on one connection's table: each block gives fields or an
 * {@link Http2Exception} (after a connection error the table is gone, so the run ends), never another exception; the
 * decoded list never passes the header list limit; memory follows the input (an HPACK bomb costs the limit, not the
 * references); and every list decoded, encoded again by {@link HpackEncoder} and decoded by a second decoder, gives
 * the same fields with both tables in step. {@code mvn verify} replays {@code HpackDecoderFuzzTestsInputs/}.
 */
class HpackDecoderFuzzTests {

    private static final String ORIGIN = FuzzSupport.ORIGIN.toString();
    private static final int MAX_LIST = 8192;

    @FuzzTest(maxDuration = "10m")
    void blocksDecodeWithinTheLimitsAndSurviveReencoding(FuzzedDataProvider data) throws IOException {
        int tableSize = data.consumeBoolean() ? 4096 : data.consumeInt(0, 512);
        int blocks = data.consumeInt(1, 4);
        int[] lengths = new int[blocks];
        for (int i = 0; i < blocks - 1; i++) {
            lengths[i] = data.consumeInt(0, 256);
        }
        byte[] all = data.consumeRemainingAsBytes();
        FuzzSupport.runAndMeasure(checked -> decode(all, lengths, tableSize, checked), all.length,
                "the HPACK decoder");
    }

    private static void decode(byte[] all, int[] lengths, int tableSize, boolean checked) throws IOException {
        HpackDecoder decoder = new HpackDecoder(4096, MAX_LIST, ORIGIN);
        if (tableSize != 4096) {
            decoder.setMaxHeaderTableSize(tableSize);
        }
        HpackEncoder encoder = new HpackEncoder(4096);
        HpackDecoder second = new HpackDecoder(4096, Integer.MAX_VALUE, ORIGIN);
        int start = 0;
        for (int b = 0; b < lengths.length && start <= all.length; b++) {
            int len = b == lengths.length - 1 ? all.length - start : Math.min(lengths[b], all.length - start);
            List<Header> fields;
            try {
                fields = decoder.decode(all, start, len, 1 + 2 * b);
            }
            catch (Http2Exception e) {
                check(e.getMessage().startsWith("hotpool: ") && e.getMessage().contains(ORIGIN),
                        "a message without the origin: " + e.getMessage());
                check(e.errorCode() == (e.isConnectionError() ? ErrorCode.COMPRESSION_ERROR : ErrorCode.PROTOCOL_ERROR),
                        "an unexpected error: " + e.getMessage());
                if (e.isConnectionError()) {
                    return;
                }
                start += len;
                continue;
            }
            start += len;
            long size = 0;
            for (Header h : fields) {
                size += h.name().length() + h.value().length() + 32;
            }
            check(size <= MAX_LIST, "a list of " + size + " octets passed the limit " + MAX_LIST);
            check(decoder.tableSize() <= decoder.tableCapacity(), "a table above its capacity");
            if (checked) {
                byte[] again = encoder.encode(fields);
                List<Header> back = second.decode(again, 1 + 2 * b);
                check(back.equals(lower(fields)), "re-encoding changed the fields: " + fields.size() + " fields in, "
                        + back.size() + " out");
                check(second.tableSize() == encoder.tableSize(), "the tables of the re-encoding parted");
            }
        }
    }

    /** The encoder sends names in lower case; decoded names may have upper-case letters. */
    private static List<Header> lower(List<Header> fields) {
        return fields.stream().map(h -> new Header(HpackEncoder.lowerCase(h.name()), h.value())).toList();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
