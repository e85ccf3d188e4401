package dev.hotpool.internal.util;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** IP literals are parsed without DNS, strictly; host names are normalized for comparison. */
class IpLiteralsTests {

    @Test
    void dottedQuadsAndIpv6LiteralsAreParsed() throws Exception {
        assertThat(IpLiterals.parse("203.0.113.7")).isEqualTo(InetAddress.getByAddress(new byte[] { (byte) 203, 0, 113, 7 }));
        assertThat(IpLiterals.parse("0.0.0.0")).isInstanceOf(Inet4Address.class);
        assertThat(IpLiterals.parse("2001:db8::7")).isInstanceOf(Inet6Address.class)
                .extracting(InetAddress::getHostAddress).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(IpLiterals.parse("[2001:DB8::7]")).isEqualTo(IpLiterals.parse("2001:db8::7"));
        assertThat(IpLiterals.parse("::ffff:10.0.0.1")).isEqualTo(IpLiterals.parse("10.0.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "127.1", "010.0.0.1", "0x7f.0.0.1", "256.0.0.1", "1.2.3.4.5", "1..2.3", "1.2.3.",
            "1.2.3.4 ", "", "localhost", "api.example.com", ".:", "fe80::1%eth0", "[1.2.3.4]", "[::1", "2001:db8::g",
            "1:2:3:4:5:6:7:8:9", "١٢٧.0.0.1" })
    void anythingButAStrictLiteralIsNotAnAddress(String text) {
        assertThat(IpLiterals.parse(text)).isNull();
        assertThat(IpLiterals.isLiteral(text)).isFalse();
    }

    @Test
    void nullIsNotAnAddress() {
        assertThat(IpLiterals.parse(null)).isNull();
    }

    @Test
    void ipv4MappedIpv6AddressIsUnmappedToIpv4() throws Exception {
        byte[] mapped = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1 };
        InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);

        assertThat(v6).isInstanceOf(Inet6Address.class);
        assertThat(IpLiterals.unmapped(v6)).isEqualTo(IpLiterals.parse("10.0.0.1"));
        assertThat(IpLiterals.unmapped(IpLiterals.parse("::1"))).isEqualTo(IpLiterals.parse("::1"));
        assertThat(IpLiterals.unmapped(IpLiterals.parse("10.0.0.1"))).isEqualTo(IpLiterals.parse("10.0.0.1"));
    }

    @Test
    void hostNamesAreComparedInLowerCaseWithoutBracketsOrTrailingDot() {
        assertThat(IpLiterals.normalizeHost("API.Example.COM.")).isEqualTo("api.example.com");
        assertThat(IpLiterals.normalizeHost("[2001:DB8::7]")).isEqualTo("2001:db8::7");
        assertThat(IpLiterals.normalizeHost("api.example.com")).isSameAs(IpLiterals.normalizeHost("api.example.com"));
        assertThat(IpLiterals.normalizeHost(null)).isNull();
    }
}
