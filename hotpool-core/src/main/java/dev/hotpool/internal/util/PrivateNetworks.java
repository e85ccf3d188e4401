package dev.hotpool.internal.util;

/**
 * Names the non-public network an address belongs to, for {@code hotpool.access.block-private-networks}.
 * Stateless and thread-safe.
 *
 * <p>IPv4: loopback 127/8, unspecified 0/8 (0.0.0.0 reaches the local host on Linux), private 10/8, 172.16/12
 * and 192.168/16, link-local 169.254/16 (with the cloud metadata address 169.254.169.254 named as such) and
 * carrier-grade NAT 100.64/10. IPv6: loopback ::1, unspecified ::, unique-local fc00::/7, link-local
 * fe80::/10 and the retired site-local fec0::/10. IPv6 addresses that carry an IPv4 address, and would reach
 * it, are judged by that address: IPv4-mapped (callers pass them through {@link IpLiterals#unmapped} first),
 * IPv4-compatible {@code ::a.b.c.d} and NAT64 {@code 64:ff9b::a.b.c.d}.
 */
public final class PrivateNetworks {

    private PrivateNetworks() {
    }

    /** The kind of non-public network, e.g. {@code "loopback"}, or {@code null} for a public address. */
    public static String kind(byte[] address) {
        return (address.length == 4) ? kindV4(address, 0) : kindV6(address);
    }

    private static String kindV4(byte[] a, int at) {
        int b0 = a[at] & 0xff;
        int b1 = a[at + 1] & 0xff;
        if (b0 == 127) {
            return "loopback";
        }
        if (b0 == 0) {
            return "unspecified";
        }
        if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
            return "private";
        }
        if (b0 == 169 && b1 == 254) {
            boolean metadata = (a[at + 2] & 0xff) == 169 && (a[at + 3] & 0xff) == 254;
            return metadata ? "link-local, cloud metadata" : "link-local";
        }
        if (b0 == 100 && (b1 & 0xc0) == 64) {
            return "carrier-grade NAT";
        }
        return null;
    }

    private static String kindV6(byte[] a) {
        if (zeros(a, 0, 15)) {
            return (a[15] == 0) ? "unspecified" : (a[15] == 1) ? "loopback" : kindV4(a, 12);
        }
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if ((b0 & 0xfe) == 0xfc) {
            return "unique-local";
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return "link-local";
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return "site-local";
        }
        if (zeros(a, 0, 12)) {
            return kindV4(a, 12); // IPv4-compatible ::a.b.c.d
        }
        if (b0 == 0x00 && b1 == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b && zeros(a, 4, 12)) {
            return kindV4(a, 12); // NAT64 well-known prefix 64:ff9b::/96
        }
        return null;
    }

    private static boolean zeros(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
