package dev.hotpool.internal.http2;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table-driven Huffman decoder against a bit-by-bit reading of the canonical code (RFC 7541 Appendix B), on
 * encoded strings of random octets and on random bytes: the same chars, the same {@code max} cut-off, the same
 * error for EOS, long padding and padding that is not all ones.
 */
class HuffmanDecodeTests {

    @Test
    void decodesAsTheBitByBitReadingDoesOnEncodedAndOnRandomInput() {
        long seed = Long.getLong("hotpool.huffman.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int round = 0; round < 50_000; round++) {
            byte[] input;
            if (round % 2 == 0) {
                char[] chars = new char[random.nextInt(40)];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = (char) (random.nextInt(4) == 0 ? random.nextInt(256) : 32 + random.nextInt(95));
                }
                String s = new String(chars);
                input = new byte[Huffman.encodedLength(s)];
                Huffman.encode(s, input, 0);
                if (random.nextInt(10) == 0 && input.length > 0) {
                    input[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8)); // Now and then broken.
                }
            }
            else {
                input = new byte[random.nextInt(12)];
                random.nextBytes(input);
            }
            int max = random.nextInt(4) == 0 ? random.nextInt(20) : 1000;
            assertThat(outcome(input, max, false)).as("seed %d round %d", seed, round)
                    .isEqualTo(outcome(input, max, true));
        }
    }

    @Test
    void decodesTheAppendixExample() {
        byte[] www = {(byte) 0xf1, (byte) 0xe3, (byte) 0xc2, (byte) 0xe5, (byte) 0xf2, 0x3a, 0x6b, (byte) 0xa0,
                (byte) 0xab, (byte) 0x90, (byte) 0xf4, (byte) 0xff};
        char[] out = new char[64];
        int n = Huffman.decode(www, 0, www.length, out, 64);
        assertThat(new String(out, 0, n)).isEqualTo("www.example.com");
        assertThat(new String(out, 0, n).getBytes(StandardCharsets.ISO_8859_1)).hasSize(15);
    }

    private static String outcome(byte[] in, int max, boolean reference) {
        char[] out = new char[Math.max(1, max)];
        try {
            int n = reference ? bitByBit(in, out, max) : Huffman.decode(in, 0, in.length, out, max);
            return n < 0 ? "too long" : "ok " + new String(out, 0, n);
        }
        catch (IllegalArgumentException e) {
            return "error " + e.getMessage();
        }
    }

    /** The canonical code read one bit at a time, from the code lengths alone. */
    private static int bitByBit(byte[] in, char[] out, int max) {
        int n = 0;
        int code = 0;
        int bits = 0;
        for (byte b : in) {
            for (int k = 7; k >= 0; k--) {
                code = (code << 1) | ((b >>> k) & 1);
                bits++;
                int sym = symbolOf(code, bits);
                if (sym >= 0) {
                    if (sym == Huffman.EOS) {
                        throw new IllegalArgumentException(Huffman.EOS_IN_STRING);
                    }
                    if (n == max) {
                        return -1;
                    }
                    out[n++] = (char) sym;
                    code = 0;
                    bits = 0;
                }
            }
        }
        if (bits > 7) {
            throw new IllegalArgumentException(Huffman.LONG_PADDING);
        }
        if (code != (1 << bits) - 1) {
            throw new IllegalArgumentException(Huffman.BAD_PADDING);
        }
        return n;
    }

    private static int symbolOf(int code, int bits) {
        for (int sym = 0; sym <= Huffman.EOS; sym++) {
            if (Huffman.length(sym) == bits && Huffman.code(sym) == code) {
                return sym;
            }
        }
        return -1;
    }
}
