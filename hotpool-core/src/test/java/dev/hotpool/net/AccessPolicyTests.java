package dev.hotpool.net;

import dev.hotpool.internal.util.IpLiterals;
import dev.hotpool.net.AccessPolicy.Verdict;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Allow and deny lists of host patterns and CIDR ranges, and the private-network guard. No socket is opened. */
class AccessPolicyTests {

    private static InetAddress ip(String literal) {
        InetAddress address = IpLiterals.parse(literal);
        assertThat(address).as(literal).isNotNull();
        return address;
    }

    private static Verdict refused(String rule) {
        return new Verdict(false, rule);
    }

    private static Verdict allowedBy(String entry) {
        return new Verdict(true, "allow entry " + entry);
    }

    @Test
    void allowAllAdmitsEveryAddressEvenPrivateOnes() {
        assertThat(AccessPolicy.ALLOW_ALL.check("api.example.com", ip("203.0.113.7"))).isEqualTo(Verdict.ALLOWED);
        assertThat(AccessPolicy.ALLOW_ALL.check("localhost", ip("127.0.0.1"))).isEqualTo(Verdict.ALLOWED);
        assertThat(AccessPolicy.of(List.of(), List.of(), false).check(null, ip("::1")).allowed()).isTrue();
    }

    @Test
    void denyEntryRefusesEvenWhatTheAllowListAdmits() {
        AccessPolicy policy = AccessPolicy.of(List.of("*.example.com"), List.of("10.0.0.0/8"), false);

        assertThat(policy.check("api.example.com", ip("10.1.2.3"))).isEqualTo(refused("deny entry 10.0.0.0/8"));
        assertThat(policy.check("api.example.com", ip("203.0.113.7"))).isEqualTo(allowedBy("*.example.com"));
    }

    @Test
    void denyEntryMatchesHostPatternsToo() {
        AccessPolicy policy = AccessPolicy.of(List.of(), List.of("evil.example.net", "*.tracker.example"), false);

        assertThat(policy.check("EVIL.example.net", ip("203.0.113.7"))).isEqualTo(refused("deny entry evil.example.net"));
        assertThat(policy.check("a.tracker.example", ip("203.0.113.7")))
                .isEqualTo(refused("deny entry *.tracker.example"));
        assertThat(policy.check("good.example.net", ip("203.0.113.7"))).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void nonEmptyAllowListAdmitsOnlyMatchingHostsOrAddresses() {
        AccessPolicy policy = AccessPolicy.of(List.of("api.example.com", "203.0.113.0/24"), List.of(), false);

        assertThat(policy.check("api.example.com", ip("198.51.100.1"))).isEqualTo(allowedBy("api.example.com"));
        assertThat(policy.check("other.example.net", ip("203.0.113.9"))).isEqualTo(allowedBy("203.0.113.0/24"));
        assertThat(policy.check("other.example.net", ip("198.51.100.1")))
                .isEqualTo(refused("not matched by hotpool.access.allow"));
    }

    @Test
    void hostPatternsMatchIgnoringCaseAndATrailingDot() {
        AccessPolicy policy = AccessPolicy.of(List.of("Api.Example.com."), List.of(), false);

        assertThat(policy.check("api.example.COM", ip("203.0.113.7")).allowed()).isTrue();
        assertThat(policy.check("api.example.com.", ip("203.0.113.7")).allowed()).isTrue();
        assertThat(policy.check("www.api.example.com", ip("203.0.113.7")).allowed()).isFalse();
    }

    @Test
    void wildcardMatchesAnySubdomainButNotTheApexOrLookalikes() {
        AccessPolicy policy = AccessPolicy.of(List.of("*.example.com"), List.of(), false);

        assertThat(policy.check("a.example.com", ip("203.0.113.7")).allowed()).isTrue();
        assertThat(policy.check("a.b.example.com", ip("203.0.113.7")).allowed()).isTrue();
        assertThat(policy.check("example.com", ip("203.0.113.7")).allowed()).isFalse();
        assertThat(policy.check("badexample.com", ip("203.0.113.7")).allowed()).isFalse();
        assertThat(policy.check(".example.com", ip("203.0.113.7")).allowed()).isFalse();
    }

    @Test
    void cidrRangesMatchIpv4AndIpv6AddressesInside() {
        AccessPolicy policy = AccessPolicy.of(List.of("10.1.2.3/8", "172.16.0.0/12", "2001:db8::/32"), List.of(),
                false);

        assertThat(policy.check(null, ip("10.255.0.1"))).isEqualTo(allowedBy("10.1.2.3/8"));
        assertThat(policy.check(null, ip("11.0.0.1")).allowed()).isFalse();
        assertThat(policy.check(null, ip("172.31.255.255")).allowed()).isTrue();
        assertThat(policy.check(null, ip("172.32.0.0")).allowed()).isFalse();
        assertThat(policy.check(null, ip("2001:db8:ffff::7")).allowed()).isTrue();
        assertThat(policy.check(null, ip("2001:db9::7")).allowed()).isFalse();
    }

    @Test
    void bareAddressIsARangeOfOne() {
        AccessPolicy policy = AccessPolicy.of(List.of("203.0.113.7", "2001:db8::7"), List.of(), false);

        assertThat(policy.check("any.example", ip("203.0.113.7")).allowed()).isTrue();
        assertThat(policy.check("any.example", ip("203.0.113.8")).allowed()).isFalse();
        assertThat(policy.check("any.example", ip("2001:db8:0::7")).allowed()).isTrue();
        assertThat(policy.check("any.example", ip("2001:db8::8")).allowed()).isFalse();
    }

    @Test
    void zeroLengthPrefixMatchesEveryAddressOfItsFamily() {
        AccessPolicy policy = AccessPolicy.of(List.of(), List.of("0.0.0.0/0"), false);

        assertThat(policy.check(null, ip("203.0.113.7")).allowed()).isFalse();
        assertThat(policy.check(null, ip("2001:db8::7")).allowed()).isTrue();
    }

    @Test
    void ipv4RangeAppliesToTheIpv4MappedSpellingOfItsAddresses() throws Exception {
        byte[] mapped = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1 };
        InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);

        assertThat(AccessPolicy.of(List.of(), List.of("10.0.0.0/8"), false).check(null, v6))
                .isEqualTo(refused("deny entry 10.0.0.0/8"));
        assertThat(AccessPolicy.of(List.of(), List.of(), true).check(null, v6))
                .isEqualTo(refused("private network (private) blocked by hotpool.access.block-private-networks"));
    }

    @Test
    void mappedRangeIsTheIpv4RangeItMaps() {
        AccessPolicy policy = AccessPolicy.of(List.of(), List.of("::ffff:10.0.0.0/104"), false);

        assertThat(policy.check(null, ip("10.9.9.9")).allowed()).isFalse();
        assertThat(policy.check(null, ip("11.0.0.1")).allowed()).isTrue();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1|loopback", "127.255.255.254|loopback", "0.0.0.0|unspecified", "0.1.2.3|unspecified",
            "10.1.2.3|private", "172.16.0.1|private", "172.31.255.255|private", "192.168.1.1|private",
            "169.254.169.254|link-local, cloud metadata", "169.254.1.1|link-local", "100.64.0.1|carrier-grade NAT",
            "100.127.255.255|carrier-grade NAT", "::1|loopback", "::|unspecified", "fc00::1|unique-local",
            "fd00:ec2::254|unique-local", "fe80::1|link-local", "febf::1|link-local", "fec0::1|site-local",
            "::ffff:127.0.0.1|loopback", "::7f00:1|loopback", "64:ff9b::a9fe:a9fe|link-local, cloud metadata" })
    void blockPrivateNetworksRefusesEachNonPublicRange(String address, String kind) {
        AccessPolicy policy = AccessPolicy.of(List.of(), List.of(), true);

        assertThat(policy.check("rebind.example.com", ip(address))).isEqualTo(
                refused("private network (" + kind + ") blocked by hotpool.access.block-private-networks"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "203.0.113.7", "8.8.8.8", "172.15.255.255", "172.32.0.1", "192.169.0.1", "100.63.255.255",
            "100.128.0.1", "169.253.0.1", "1.0.0.0", "2001:db8::1", "2606:4700::1111", "fbff::1", "fe7f::1",
            "::ffff:8.8.8.8", "64:ff9b::808:808" })
    void blockPrivateNetworksAdmitsPublicAddressesNextToThoseRanges(String address) {
        assertThat(AccessPolicy.of(List.of(), List.of(), true).check("api.example.com", ip(address)))
                .isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void privateAddressIsAdmittedOnlyByAnAllowRangeThatContainsIt() {
        AccessPolicy byRange = AccessPolicy.of(List.of("10.0.0.0/8"), List.of(), true);
        AccessPolicy byHost = AccessPolicy.of(List.of("internal.example.com", "*.example.org"), List.of(), true);

        assertThat(byRange.check("internal.example.com", ip("10.0.0.5"))).isEqualTo(allowedBy("10.0.0.0/8"));
        assertThat(byRange.check("internal.example.com", ip("127.0.0.1")).allowed()).isFalse();
        // A host pattern does not name an address: a name that resolves (or re-resolves) privately is refused.
        assertThat(byHost.check("internal.example.com", ip("10.0.0.5")))
                .isEqualTo(refused("private network (private) blocked by hotpool.access.block-private-networks"));
        assertThat(byHost.check("rebind.example.org", ip("127.0.0.1")))
                .isEqualTo(refused("private network (loopback) blocked by hotpool.access.block-private-networks"));
        assertThat(byHost.check("rebind.example.org", ip("203.0.113.7"))).isEqualTo(allowedBy("*.example.org"));
    }

    @Test
    void nameThatReResolvesToLoopbackIsRefusedOnTheSecondCheck() {
        AccessPolicy policy = AccessPolicy.of(List.of(), List.of(), true);

        assertThat(policy.check("rebind.example.com", ip("203.0.113.7")).allowed()).isTrue();
        assertThat(policy.check("rebind.example.com", ip("127.0.0.1")))
                .isEqualTo(refused("private network (loopback) blocked by hotpool.access.block-private-networks"));
    }

    @Test
    void withoutAHostNameOnlyRangesCanMatch() {
        AccessPolicy policy = AccessPolicy.of(List.of("api.example.com"), List.of(), false);

        assertThat(policy.check(null, ip("203.0.113.7"))).isEqualTo(refused("not matched by hotpool.access.allow"));
    }

    @Test
    void bracketedIpv6HostIsCheckedByItsAddress() {
        assertThat(AccessPolicy.of(List.of(), List.of(), true).check("[::1]", ip("::1")).allowed()).isFalse();
        assertThat(AccessPolicy.of(List.of("::1"), List.of(), true).check("[::1]", ip("::1")))
                .isEqualTo(allowedBy("::1"));
    }

    @Test
    void badAllowEntryIsRefusedNamingTheListIndexAndValue() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> AccessPolicy.of(List.of("api.example.com", "10.0.0.0/8", "10.0.0.0/33"), List.of(),
                        false))
                .withMessage("hotpool.access.allow[2] ('10.0.0.0/33') is neither a host pattern nor a CIDR range");
    }

    @Test
    void badDenyEntryIsRefusedNamingTheDenyList() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> AccessPolicy.of(List.of(), List.of("*"), false))
                .withMessage("hotpool.access.deny[0] ('*') is neither a host pattern nor a CIDR range");
    }

    @ParameterizedTest
    @ValueSource(strings = { "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/1a", "10.0.0.256",
            "10.0.0", "127.1", "*", "*.", "a*.example.com", "*.*.example.com", "api..example.com", "-api.example.com",
            "api-.example.com", "api.example.com/8", "http://api.example.com", "api.example.com:443", "", " ",
            "::ffff:10.0.0.0/95", "fe80::1%eth0", "[api.example.com]", "exämple.com" })
    void entryThatIsNeitherPatternNorRangeIsRefused(String entry) {
        assertThatIllegalArgumentException().isThrownBy(() -> AccessPolicy.of(List.of(entry), List.of(), false))
                .withMessage("hotpool.access.allow[0] ('" + entry + "') is neither a host pattern nor a CIDR range");
    }

    @Test
    void nullEntryIsRefusedLikeABadOne() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> AccessPolicy.of(java.util.Arrays.asList("api.example.com", null), List.of(), false))
                .withMessage("hotpool.access.allow[1] ('null') is neither a host pattern nor a CIDR range");
    }

    @Test
    void entriesAroundWhitespaceAndUnderscoresAreAccepted() {
        AccessPolicy policy = AccessPolicy.of(List.of(" _svc.example.com ", " 10.0.0.0/8"), List.of(), false);

        assertThat(policy.check("_svc.example.com", ip("203.0.113.7"))).isEqualTo(allowedBy("_svc.example.com"));
        assertThat(policy.check(null, ip("10.0.0.1"))).isEqualTo(allowedBy("10.0.0.0/8"));
    }

    @Test
    void toStringShowsTheEntriesAsConfigured() {
        assertThat(AccessPolicy.of(List.of("*.example.com"), List.of("10.0.0.0/8"), true)).hasToString(
                "AccessPolicy[allow=[*.example.com], deny=[10.0.0.0/8], block-private-networks=true]");
    }
}
