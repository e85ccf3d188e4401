package dev.hotpool.internal.util;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A list of host patterns and CIDR ranges matched against a host <em>as requested</em> (a name or an IP literal,
 * never a resolved address): {@code hotpool.proxy.non-proxy-hosts}. The entries are spelt as those of
 * {@code hotpool.access.*}: {@code localhost} (that name), {@code *.internal} (any name below internal),
 * {@code 10.0.0.0/8} or {@code ::1} (IP literals in the range).
 *
 * <p>Immutable and thread-safe. Public for {@link dev.hotpool.ProxySettings} and the access policy; this package depends
 * on nothing of hotpool's, so the API packages may use it.
 */
public final class HostPatterns {

    /** Matches nothing. */
    public static final HostPatterns NONE = new HostPatterns(List.of());

    private static final byte[] NO_ADDRESS = new byte[0];

    private final List<AccessRule> rules;
    private final boolean anyRange;

    private HostPatterns(List<AccessRule> rules) {
        this.rules = List.copyOf(rules);
        this.anyRange = rules.stream().anyMatch(AccessRule::isRange);
    }

    /**
     * Parses the entries.
     *
     * @param property the setting's name, for the message
     * @throws IllegalArgumentException naming the property and index of a bad entry, e.g.
     *     {@code hotpool.proxy.non-proxy-hosts[1] ('10.0.0.0/33') is neither a host pattern nor a CIDR range}
     */
    public static HostPatterns parse(String property, List<String> entries) {
        Objects.requireNonNull(entries, "'entries' must not be null");
        List<AccessRule> rules = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            AccessRule rule = AccessRule.parse(entry);
            if (rule == null) {
                throw new IllegalArgumentException(property + "[" + i + "] ('" + entry
                        + "') is neither a host pattern (localhost, *.internal) nor a CIDR range (10.0.0.0/8)");
            }
            rules.add(rule);
        }
        return rules.isEmpty() ? NONE : new HostPatterns(rules);
    }

    /** Whether the host (a name, or an IP literal, IPv6 with or without brackets) matches an entry. */
    public boolean matches(String host) {
        if (this.rules.isEmpty() || host == null) {
            return false;
        }
        String name = IpLiterals.normalizeHost(host);
        InetAddress literal = this.anyRange ? IpLiterals.parse(name) : null;
        byte[] address = literal == null ? null : IpLiterals.unmapped(literal).getAddress();
        for (int i = 0; i < this.rules.size(); i++) {
            AccessRule rule = this.rules.get(i);
            if (rule.isRange() ? address != null && rule.matches(null, address) : rule.matches(name, NO_ADDRESS)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return this.rules.isEmpty();
    }

    @Override
    public String toString() {
        return this.rules.toString();
    }
}
