package dev.hotpool.net;

import dev.hotpool.internal.util.AccessRule;
import dev.hotpool.internal.util.IpLiterals;
import dev.hotpool.internal.util.PrivateNetworks;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which addresses hotpool may connect to: {@code hotpool.access.allow}, {@code hotpool.access.deny} and
 * {@code hotpool.access.block-private-networks}. Checked on the resolved address actually connected to, so
 * a name that re-resolves to a forbidden address is refused as well.
 *
 * <p>Entries are host patterns ({@code api.example.com}; {@code *.example.com} for any name below
 * example.com, not example.com itself) or CIDR ranges ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare
 * address is a /32 or /128). See {@link AccessRule}.
 *
 * <p>A {@link #check check} decides in this order:
 * <ol>
 * <li>a deny entry that matches (pattern on the host name, or range on the address) refuses;</li>
 * <li>with {@code block-private-networks}, a non-public address (see {@link PrivateNetworks}) refuses unless
 * an allow <em>range</em> contains it: a host pattern never admits a private address, so a name that
 * re-resolves to one (DNS rebinding) is refused even when the name is allowed;</li>
 * <li>with a non-empty allow list, an allow entry that matches admits; no match refuses;</li>
 * <li>anything else is admitted.</li>
 * </ol>
 * IPv4 ranges apply to the IPv4-mapped IPv6 spelling of their addresses too.
 *
 * <p>Immutable and thread-safe. {@code check} takes no lock and, except when refusing a private address,
 * allocates nothing but the normalized host name.
 */
public final class AccessPolicy {

    /** Admits everything: no allow or deny entries, private networks allowed. */
    public static final AccessPolicy ALLOW_ALL = new AccessPolicy(List.of(), List.of(), false);

    private static final Verdict NOT_ALLOWED = new Verdict(false, "not matched by hotpool.access.allow");

    private final List<AccessRule> allow;
    private final List<AccessRule> deny;
    private final boolean blockPrivateNetworks;
    /** Index-aligned with the rules, built once so a check allocates no verdict. */
    private final List<Verdict> allowVerdicts;
    private final List<Verdict> denyVerdicts;

    private AccessPolicy(List<AccessRule> allow, List<AccessRule> deny, boolean blockPrivateNetworks) {
        this.allow = List.copyOf(allow);
        this.deny = List.copyOf(deny);
        this.blockPrivateNetworks = blockPrivateNetworks;
        this.allowVerdicts = allow.stream().map(r -> new Verdict(true, "allow entry " + r.text)).toList();
        this.denyVerdicts = deny.stream().map(r -> new Verdict(false, "deny entry " + r.text)).toList();
    }

    /**
     * Validates every entry and builds the policy.
     *
     * @param allow {@code hotpool.access.allow}; empty admits everything not denied
     * @param deny {@code hotpool.access.deny}
     * @param blockPrivateNetworks {@code hotpool.access.block-private-networks}
     * @throws IllegalArgumentException naming the list and index of a bad entry, e.g.
     *     {@code hotpool.access.allow[2] ('10.0.0.0/33') is neither a host pattern nor a CIDR range}
     */
    public static AccessPolicy of(List<String> allow, List<String> deny, boolean blockPrivateNetworks) {
        Objects.requireNonNull(allow, "'allow' must not be null");
        Objects.requireNonNull(deny, "'deny' must not be null");
        return new AccessPolicy(parse("hotpool.access.allow", allow), parse("hotpool.access.deny", deny),
                blockPrivateNetworks);
    }

    private static List<AccessRule> parse(String property, List<String> entries) {
        List<AccessRule> rules = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            AccessRule rule = AccessRule.parse(entry);
            if (rule == null) {
                throw new IllegalArgumentException(property + "[" + i + "] ('" + entry
                        + "') is neither a host pattern nor a CIDR range");
            }
            rules.add(rule);
        }
        return rules;
    }

    /**
     * Decides whether a connection to the address, resolved from the host, may be made.
     *
     * @param host the host name as requested (any case, IPv6 literals with or without brackets), or
     *     {@code null} when there is none; then only ranges can match
     * @param address the resolved address about to be connected to
     * @return the verdict; when refused, its rule says which, in words for the error message
     */
    public Verdict check(String host, InetAddress address) {
        Objects.requireNonNull(address, "'address' must not be null");
        if (this.allow.isEmpty() && this.deny.isEmpty() && !this.blockPrivateNetworks) {
            return Verdict.ALLOWED;
        }
        String name = IpLiterals.normalizeHost(host);
        byte[] bytes = IpLiterals.unmapped(address).getAddress();
        for (int i = 0; i < this.deny.size(); i++) {
            if (this.deny.get(i).matches(name, bytes)) {
                return this.denyVerdicts.get(i);
            }
        }
        String privateKind = this.blockPrivateNetworks ? PrivateNetworks.kind(bytes) : null;
        if (!this.allow.isEmpty()) {
            for (int i = 0; i < this.allow.size(); i++) {
                AccessRule rule = this.allow.get(i);
                if (rule.matches(name, bytes) && (privateKind == null || rule.isRange())) {
                    return this.allowVerdicts.get(i);
                }
            }
            if (privateKind == null) {
                return NOT_ALLOWED;
            }
        }
        if (privateKind != null) {
            return new Verdict(false,
                    "private network (" + privateKind + ") blocked by hotpool.access.block-private-networks");
        }
        return Verdict.ALLOWED;
    }

    @Override
    public String toString() {
        return "AccessPolicy[allow=" + this.allow + ", deny=" + this.deny + ", block-private-networks="
                + this.blockPrivateNetworks + "]";
    }

    /**
     * The outcome of a {@link #check}.
     *
     * @param allowed whether the connection may be made
     * @param rule what decided, in words: {@code "deny entry 10.0.0.0/8"}, {@code "allow entry *.example.com"},
     *     {@code "not matched by hotpool.access.allow"},
     *     {@code "private network (loopback) blocked by hotpool.access.block-private-networks"}, or
     *     {@code "allowed"} when no rule applied
     */
    public record Verdict(boolean allowed, String rule) {

        /** Admitted with no rule applying. */
        public static final Verdict ALLOWED = new Verdict(true, "allowed");

        public Verdict {
            Objects.requireNonNull(rule, "'rule' must not be null");
        }
    }
}
