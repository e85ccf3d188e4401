package dev.hotpool.internal.util;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * One entry of {@code hotpool.access.allow} or {@code hotpool.access.deny}: a host pattern or a CIDR range.
 * Immutable and thread-safe.
 *
 * <ul>
 * <li>{@code api.example.com} matches that host name only (compared ignoring case and a trailing dot).</li>
 * <li>{@code *.example.com} matches any name below example.com, at any depth, but not example.com itself.</li>
 * <li>{@code 10.0.0.0/8}, {@code 2001:db8::/32} match addresses in the range; host bits set in the written
 * address are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}). A bare address is a /32 or /128. IPv4 ranges
 * also match the IPv4-mapped IPv6 spelling of their addresses, and a mapped range
 * ({@code ::ffff:10.0.0.0/104}) is the IPv4 range it maps.</li>
 * </ul>
 */
public final class AccessRule {

    /** The entry as configured, trimmed; used in messages. */
    public final String text;
    /** For a host pattern: the name, or for a wildcard the suffix with its leading dot. Null for a range. */
    private final String host;
    private final boolean wildcard;
    /** For a range: its first address (4 or 16 bytes). Null for a host pattern. */
    private final byte[] network;
    private final int prefix;

    private AccessRule(String text, String host, boolean wildcard, byte[] network, int prefix) {
        this.text = text;
        this.host = host;
        this.wildcard = wildcard;
        this.network = network;
        this.prefix = prefix;
    }

    /** The rule the entry spells, or {@code null} when it is neither a host pattern nor a CIDR range. */
    public static AccessRule parse(String entry) {
        if (entry == null || entry.isBlank()) {
            return null;
        }
        String text = entry.trim();
        int slash = text.lastIndexOf('/');
        if (slash >= 0) {
            return range(text, text.substring(0, slash), text.substring(slash + 1));
        }
        if (IpLiterals.isLiteral(text)) {
            return range(text, text, null);
        }
        return hostPattern(text);
    }

    public boolean isRange() {
        return this.network != null;
    }

    /**
     * Whether the rule matches the host name or the address.
     *
     * @param host normalized with {@link IpLiterals#normalizeHost}, or {@code null} when there is no name
     * @param address the bytes of an address passed through {@link IpLiterals#unmapped}
     */
    public boolean matches(String host, byte[] address) {
        if (this.network != null) {
            return inRange(address);
        }
        if (host == null) {
            return false;
        }
        if (this.wildcard) {
            return host.length() > this.host.length() && host.endsWith(this.host);
        }
        return host.equals(this.host);
    }

    private boolean inRange(byte[] address) {
        if (address.length != this.network.length) {
            return false;
        }
        int whole = this.prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (address[i] != this.network[i]) {
                return false;
            }
        }
        int rest = this.prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[whole] & mask) == (this.network[whole] & mask);
    }

    private static AccessRule range(String text, String addressText, String prefixText) {
        InetAddress address = IpLiterals.parse(addressText);
        if (address == null) {
            return null;
        }
        byte[] bytes = address.getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (prefixText != null) {
            if (prefixText.isEmpty() || prefixText.length() > 3 || !isDecimal(prefixText)) {
                return null;
            }
            prefix = Integer.parseInt(prefixText);
            if (address instanceof Inet4Address && addressText.indexOf(':') >= 0) {
                // An IPv4-mapped IPv6 range: the JDK hands back the IPv4 address, so the prefix shifts by 96.
                if (prefix < 96) {
                    return null;
                }
                prefix -= 96;
            }
            if (prefix > bits) {
                return null;
            }
        }
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) ((0xff << (8 - keep)) & 0xff);
        }
        return new AccessRule(text, null, false, bytes, prefix);
    }

    private static AccessRule hostPattern(String text) {
        if (text.indexOf('[') >= 0) {
            return null;
        }
        String name = IpLiterals.normalizeHost(text);
        boolean wildcard = name.startsWith("*.");
        if (wildcard) {
            name = name.substring(2);
        }
        if (!isHostName(name)) {
            return null;
        }
        return new AccessRule(text, wildcard ? "." + name : name, wildcard, null, 0);
    }

    /** Letters, digits, '-' and '_' in dot-separated labels of 1 to 63; not a mistyped IP (numeric last label). */
    private static boolean isHostName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.charAt(0) == '-'
                    || label.charAt(label.length() - 1) == '-') {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                    return false;
                }
            }
        }
        return !isDecimal(labels[labels.length - 1]);
    }

    private static boolean isDecimal(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    @Override
    public String toString() {
        return this.text;
    }
}
