package dev.hotpool.internal.http2;

/**
 * The Huffman code of HPACK string literals (RFC 7541 §5.2, Appendix B). The appendix's code is canonical (codes of
 * one length are consecutive in symbol order, and each length's first code follows the last code of the length
 * before), so the table below holds the appendix's bit lengths and the codes are derived from them; a test checks
 * derived codes against the appendix's hex column.
 *
 * <p>Thread-safe: immutable tables.
 */
final class Huffman {

    /** The end-of-string symbol: never a decoded byte; its leading bits pad the last octet. */
    static final int EOS = 256;

    /** RFC 7541 Appendix B, column "len", for symbols 0 to 256 (EOS), sixteen per line. */
    private static final byte[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, // 0x00
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, // 0x10
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, // 0x20 ' ' .. '/'
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, // 0x30 '0' .. '?'
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, // 0x40 '@' .. 'O'
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, // 0x50 'P' .. '_'
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, // 0x60 '`' .. 'o'
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, // 0x70 'p' .. 0x7f
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, // 0x80
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, // 0x90
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, // 0xa0
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, // 0xb0
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, // 0xc0
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, // 0xd0
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, // 0xe0
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, // 0xf0
        30, // EOS
    };

    private static final int MAX_LENGTH = 30;

    /** The code of each symbol, right-aligned in an int. */
    private static final int[] CODES = new int[257];

    /** Per bit length: the first code of that length, and how many codes have it. */
    private static final int[] FIRST = new int[MAX_LENGTH + 1];
    private static final int[] COUNT = new int[MAX_LENGTH + 1];

    /** Per bit length, the index in {@link #SYMBOLS} of its first symbol. */
    private static final int[] START = new int[MAX_LENGTH + 1];

    /** The symbols ordered by (length, symbol): the canonical order. */
    private static final int[] SYMBOLS = new int[257];

    static {
        for (byte length : LENGTHS) {
            COUNT[length]++;
        }
        int code = 0;
        int index = 0;
        for (int len = 1; len <= MAX_LENGTH; len++) {
            code <<= 1;
            FIRST[len] = code;
            START[len] = index;
            for (int sym = 0; sym < LENGTHS.length; sym++) {
                if (LENGTHS[sym] == len) {
                    CODES[sym] = code++;
                    SYMBOLS[index++] = sym;
                }
            }
        }
        if (code != 1 << MAX_LENGTH || index != 257) {
            throw new ExceptionInInitializerError("the Huffman table is not a complete prefix code");
        }
    }

    private Huffman() {
    }

    /** The code of a symbol (0 to 256), right-aligned; for tests against the appendix. */
    static int code(int symbol) {
        return CODES[symbol];
    }

    /** The code's length in bits. */
    static int length(int symbol) {
        return LENGTHS[symbol];
    }

    /** The length in octets of {@code s} (ISO-8859-1 chars) Huffman-coded, padding included. */
    static int encodedLength(String s) {
        long bits = 0;
        for (int i = 0; i < s.length(); i++) {
            bits += LENGTHS[s.charAt(i) & 0xff];
        }
        return (int) ((bits + 7) >>> 3);
    }

    /**
     * Writes {@code s} Huffman-coded at {@code out[pos]}, padded with ones to the octet (the leading bits of EOS).
     *
     * @return the position after the last octet
     */
    static int encode(String s, byte[] out, int pos) {
        long acc = 0;
        int bits = 0;
        for (int i = 0; i < s.length(); i++) {
            int sym = s.charAt(i) & 0xff;
            int len = LENGTHS[sym];
            acc = (acc << len) | CODES[sym];
            bits += len;
            while (bits >= 8) {
                bits -= 8;
                out[pos++] = (byte) (acc >>> bits);
            }
        }
        if (bits > 0) {
            out[pos++] = (byte) ((acc << (8 - bits)) | (0xff >>> bits));
        }
        return pos;
    }

    /** Why a Huffman-coded string could not be decoded: the messages of {@link #decode}. */
    static final String EOS_IN_STRING = "a Huffman-coded string containing the EOS symbol";
    static final String LONG_PADDING = "a Huffman-coded string with padding longer than 7 bits";
    static final String BAD_PADDING = "a Huffman-coded string whose padding is not the EOS prefix (all ones)";

    /**
     * For each 8-bit prefix whose first code is at most 8 bits long: that code's length (bits 9 and up) and symbol (low
     * 9 bits); 0 when the first code at that prefix is longer. Most header characters have codes of 5 to 8 bits.
     */
    private static final int[] FAST = new int[256];

    static {
        for (int sym = 0; sym < 256; sym++) {
            int len = LENGTHS[sym];
            if (len <= 8) {
                int first = CODES[sym] << (8 - len);
                for (int suffix = 0; suffix < 1 << (8 - len); suffix++) {
                    FAST[first | suffix] = (len << 9) | sym;
                }
            }
        }
    }

    /**
     * Decodes {@code len} octets at {@code in[off]} into {@code out} (chars 0-255), at most {@code max} of them: a
     * symbol of up to 8 bits by one table look-up, a longer one by the canonical code's lengths.
     *
     * @return the number of chars decoded, or -1 when more than {@code max} would be
     * @throws IllegalArgumentException with one of {@link #EOS_IN_STRING}, {@link #LONG_PADDING}, {@link #BAD_PADDING}
     */
    static int decode(byte[] in, int off, int len, char[] out, int max) {
        int n = 0;
        long acc = 0;
        int bits = 0;
        int i = off;
        int end = off + len;
        while (true) {
            while (bits <= 48 && i < end) {
                acc = (acc << 8) | (in[i++] & 0xff);
                bits += 8;
            }
            if (bits == 0) {
                break;
            }
            int sym = -1;
            int length = 0;
            if (bits >= 8) {
                int entry = FAST[(int) (acc >>> (bits - 8)) & 0xff];
                if (entry != 0) {
                    sym = entry & 0x1ff;
                    length = entry >>> 9;
                }
            }
            if (sym < 0) {
                for (int l = 1; l <= Math.min(bits, MAX_LENGTH); l++) {
                    int rank = ((int) (acc >>> (bits - l)) & ((1 << l) - 1)) - FIRST[l];
                    if (rank < COUNT[l]) {
                        sym = SYMBOLS[START[l] + rank];
                        length = l;
                        break;
                    }
                }
                if (sym < 0) {
                    break; // What is left is no whole code: the padding.
                }
            }
            if (sym == EOS) {
                throw new IllegalArgumentException(EOS_IN_STRING);
            }
            if (n == max) {
                return -1;
            }
            out[n++] = (char) sym;
            bits -= length;
            acc &= bits == 0 ? 0 : (1L << bits) - 1;
        }
        if (bits > 7) {
            throw new IllegalArgumentException(LONG_PADDING);
        }
        if ((int) acc != (1 << bits) - 1) {
            throw new IllegalArgumentException(BAD_PADDING);
        }
        return n;
    }
}
