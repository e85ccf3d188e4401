package dev.hotpool.internal.util;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * IP address literals and host names as configuration and URIs spell them. Stateless and thread-safe.
 *
 * <p>Nothing here ever asks DNS: {@link InetAddress#getByName} resolves any text it does not take for a
 * literal, and configuration must never trigger a lookup. IPv4 is accepted only as a dotted quad of decimal
 * octets without leading zeros; the shorthand forms some parsers take ({@code 127.1}, {@code 0x7f.0.0.1},
 * octal-looking {@code 010.0.0.1}) mean different addresses to different libraries, so they are refused.
 * IPv6 literals may embed an IPv4 tail; zone ids ({@code %eth0}) are not accepted.
 */
public final class IpLiterals {

    private IpLiterals() {
    }

    /** The address the text spells, or {@code null} when it is not an IP literal. Brackets around IPv6 are allowed. */
    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.charAt(0) == '[') {
            if (text.length() < 3 || text.charAt(text.length() - 1) != ']' || text.indexOf(':') < 0) {
                return null;
            }
            text = text.substring(1, text.length() - 1);
        }
        return (text.indexOf(':') >= 0) ? parseV6(text) : parseV4(text);
    }

    /** Whether the text is an IP literal. */
    static boolean isLiteral(String text) {
        return parse(text) != null;
    }

    /**
     * The address with an IPv4-mapped IPv6 form ({@code ::ffff:10.0.0.1}) turned into its IPv4 address, so
     * rules written for IPv4 apply to both spellings. Other addresses are returned as they are.
     */
    public static InetAddress unmapped(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return address;
            }
        }
        if (b[10] != (byte) 0xff || b[11] != (byte) 0xff) {
            return address;
        }
        return byAddress(new byte[] { b[12], b[13], b[14], b[15] });
    }

    /** The host as compared by hotpool: lower case, without IPv6 brackets or a trailing dot; null stays null. */
    public static String normalizeHost(String host) {
        if (host == null) {
            return null;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.length() > 2 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']') {
            h = h.substring(1, h.length() - 1);
        }
        if (h.length() > 1 && h.charAt(h.length() - 1) == '.') {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    private static InetAddress parseV4(String text) {
        byte[] bytes = new byte[4];
        int octet = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '.') {
                int length = i - start;
                if (octet == 4 || length == 0 || length > 3 || (length > 1 && text.charAt(start) == '0')) {
                    return null;
                }
                int value = 0;
                for (int j = start; j < i; j++) {
                    char c = text.charAt(j);
                    if (c < '0' || c > '9') {
                        return null;
                    }
                    value = value * 10 + (c - '0');
                }
                if (value > 255) {
                    return null;
                }
                bytes[octet++] = (byte) value;
                start = i + 1;
            }
        }
        return (octet == 4) ? byAddress(bytes) : null;
    }

    private static InetAddress parseV6(String text) {
        if (text.charAt(0) == '.') {
            return null; // The JDK would take this for a name and look it up.
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'
                    || c == '.';
            if (!allowed) {
                return null;
            }
        }
        try {
            // Text with a colon is only ever parsed as a literal by the JDK, never looked up.
            return InetAddress.getByName(text);
        }
        catch (UnknownHostException ex) {
            return null;
        }
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        }
        catch (UnknownHostException ex) {
            throw new IllegalStateException("4 or 16 bytes are always an address", ex);
        }
    }

    /** The addresses as IP literals, without the host names {@code InetAddress.toString()} adds: {@code [a, b]}. */
    public static String describe(java.util.List<InetAddress> addresses) {
        StringBuilder sb = new StringBuilder("[");
        for (InetAddress a : addresses) {
            sb.append(sb.length() > 1 ? ", " : "").append(a.getHostAddress());
        }
        return sb.append(']').toString();
    }
}
