package dev.hotpool.internal.http;

import dev.hotpool.MalformedResponseException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the chunked decoder: any bytes after a head that says chunked, read in blocks of a size the input chooses,
 * against the chunked grammar read independently ({@link ReferenceFraming#chunkedBody}): an exact coding decodes to
 * the same bytes and stops exactly after its last CRLF (the next message's bytes untouched); anything else is a
 * {@link MalformedResponseException} naming the origin; memory follows the input, never a chunk size it announces.
 * The first byte chooses the read size; the rest is the coding.
 */
class ChunkedBodyFuzzTests {

    private static final int[] READ_SIZES = {1, 2, 3, 7, 64, 1000, 8192, 100_000};

    @FuzzTest(maxDuration = "10m")
    void decodesExactlyWhatTheGrammarSays(byte[] data) throws IOException {
        if (data.length == 0) {
            return;
        }
        FuzzSupport.runAndMeasure(checked -> decode(data, checked), data.length, "the chunked decoder");
    }

    private static void decode(byte[] data, boolean checked) throws IOException {
        byte[] coding = Arrays.copyOfRange(data, 1, data.length);
        int readSize = READ_SIZES[(data[0] & 0xff) % READ_SIZES.length];
        WireReader in = new WireReader(new ByteArrayInputStream(coding));
        ChunkedBody body = new ChunkedBody(in, FuzzSupport.ORIGIN, 8192, 100, 65536);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[readSize];
        String failure = null;
        try {
            for (int n; (n = body.read(buffer, 0, readSize)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            if (body.read(buffer, 0, readSize) != -1 || body.read() != -1) {
                throw new AssertionError("read past the end of the coding");
            }
        }
        catch (MalformedResponseException e) {
            if (!e.getMessage().contains(FuzzSupport.ORIGIN.toString())) {
                throw new AssertionError("a message without the origin: " + e.getMessage());
            }
            failure = e.getMessage();
        }
        if (!checked) {
            return;
        }
        ReferenceFraming.Result expected = ReferenceFraming.chunkedBody(coding, 0);
        if (expected == null && failure == null) {
            throw new AssertionError("decoded a coding the grammar refuses: " + out.size() + " bytes");
        }
        if (expected != null) {
            if (failure != null) {
                throw new AssertionError("refused an exact coding: " + failure);
            }
            if (!Arrays.equals(out.toByteArray(), expected.body())) {
                throw new AssertionError("decoded " + out.size() + " bytes, the grammar " + expected.body().length);
            }
            long consumed = in.received() - in.buffered();
            if (consumed != expected.end()) {
                throw new AssertionError("stopped at " + consumed + ", the coding ends at " + expected.end());
            }
        }
    }
}
