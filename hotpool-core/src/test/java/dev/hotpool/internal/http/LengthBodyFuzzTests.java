package dev.hotpool.internal.http;

import dev.hotpool.MalformedResponseException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the Content-Length decoder: a length the input announces (any, up to {@code Long.MAX_VALUE}), then bytes read
 * in blocks the input chooses: exactly the announced bytes are delivered and nothing after them is consumed; a
 * connection that ends sooner is a {@link MalformedResponseException} saying how many of how many arrived; memory
 * follows what arrived, never the announced length. The first 8 bytes are the length, the 9th the read size.
 */
class LengthBodyFuzzTests {

    private static final int[] READ_SIZES = {1, 2, 5, 64, 4096, 8192, 100_000};

    @FuzzTest(maxDuration = "10m")
    void deliversExactlyTheAnnouncedBytes(byte[] data) throws IOException {
        if (data.length < 9) {
            return;
        }
        FuzzSupport.runAndMeasure(checked -> read(data), data.length, "the Content-Length decoder");
    }

    private static void read(byte[] data) throws IOException {
        long announced = ByteBuffer.wrap(data, 0, 8).getLong() & Long.MAX_VALUE;
        int readSize = READ_SIZES[(data[8] & 0xff) % READ_SIZES.length];
        byte[] wire = Arrays.copyOfRange(data, 9, data.length);
        WireReader in = new WireReader(new ByteArrayInputStream(wire));
        LengthBody body = new LengthBody(in, FuzzSupport.ORIGIN, announced);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[readSize];
        try {
            for (int n; (n = body.read(buffer, 0, readSize)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            if (announced > wire.length) {
                throw new AssertionError("delivered " + out.size() + " of " + announced + " bytes without an error");
            }
        }
        catch (MalformedResponseException e) {
            String expected = "(expected: " + announced + "; received: " + wire.length + ")";
            if (announced <= wire.length || !e.getMessage().endsWith(expected)
                    || !e.getMessage().contains(FuzzSupport.ORIGIN.toString())) {
                throw new AssertionError("unexpected failure: " + e.getMessage());
            }
        }
        int delivered = (int) Math.min(announced, wire.length);
        if (!Arrays.equals(out.toByteArray(), 0, out.size(), wire, 0, delivered) || out.size() != delivered) {
            throw new AssertionError("delivered " + out.size() + " bytes, expected " + delivered);
        }
        if (in.received() - in.buffered() != delivered) {
            throw new AssertionError("consumed " + (in.received() - in.buffered()) + " bytes, expected " + delivered);
        }
    }
}
