package dev.hotpool.internal.util;

/**
 * RFC 9110 §5.6.2 {@code tchar}: the characters of a token (a field name, a coding, a method), for every reader of
 * the wire, HTTP/1.1's and HTTP/2's alike.
 *
 * <p>Thread-safe: a constant table.
 */
public final class Tokens {

    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private Tokens() {
    }

    /** Whether {@code c} (a char, or a byte read as 0-255) may be part of a token. */
    public static boolean tchar(int c) {
        return (c & ~0xff) == 0 && TCHAR[c];
    }
}
