package dev.hotpool;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The HTTP protocols a pool or a host may speak ({@code hotpool.protocols}, {@code hotpool.hosts.<pattern>.protocols}),
 * and their checks. Values are ALPN identifiers (RFC 7301): {@code h2} (HTTP/2 over TLS, negotiated by ALPN),
 * {@code http/1.1}, and {@code h2c} (cleartext HTTP/2 by prior knowledge, per host only).
 *
 * <p>Thread-safe (stateless).
 */
final class Protocols {

    static final String H2 = "h2";
    static final String HTTP_1_1 = "http/1.1";
    static final String H2C = "h2c";

    /** {@code hotpool.protocols}'s default: HTTP/1.1 only, so nothing changes for a pool that does not ask. */
    static final List<String> DEFAULT = List.of(HTTP_1_1);

    private static final List<String> KNOWN = List.of(H2, HTTP_1_1, H2C);

    private Protocols() {
    }

    /**
     * The list checked and normalised (trimmed, lower case), in the order given.
     *
     * @param property the setting's name for messages ({@code hotpool.protocols},
     *     {@code hotpool.hosts[api.example.com].protocols})
     * @param perHost whether {@code h2c} is allowed (only a host's list may name it)
     * @throws IllegalArgumentException naming the property (with the index) and the value
     */
    static List<String> check(String property, List<String> given, boolean perHost) {
        if (given == null || given.isEmpty()) {
            throw new IllegalArgumentException(property + " must name at least one protocol: h2, http/1.1"
                    + (perHost ? ", h2c" : ""));
        }
        List<String> protocols = new ArrayList<>(given.size());
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String value = given.get(i);
            String p = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            String at = property + "[" + i + "] (" + value + ")";
            if (!KNOWN.contains(p)) {
                throw new IllegalArgumentException(at + " is not a protocol hotpool speaks: use h2 (HTTP/2 over TLS,"
                        + " negotiated by ALPN), http/1.1" + (perHost ? " or h2c (cleartext HTTP/2 by prior knowledge)"
                                : ", or h2c on a host of its own (hotpool.hosts.<host>.protocols)"));
            }
            if (p.equals(H2C) && !perHost) {
                throw new IllegalArgumentException(at + " is allowed only per host: cleartext HTTP/2 by prior"
                        + " knowledge works only with servers known to speak it, so set"
                        + " hotpool.hosts.<host>.protocols: h2c for each of them");
            }
            if (!seen.add(p)) {
                throw new IllegalArgumentException(at + " is listed twice");
            }
            protocols.add(p);
        }
        return List.copyOf(protocols);
    }
}
