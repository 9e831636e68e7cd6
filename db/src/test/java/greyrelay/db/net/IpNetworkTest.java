package greyrelay.db.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpNetworkTest {
    @ParameterizedTest(name = "{0} in {1}: {2}")
    @CsvSource({
            "192.0.2.77, 192.0.2.0/24, true",
            "192.0.3.1, 192.0.2.0/24, false",
            "192.0.2.77, 192.0.2.64/27, true",
            "192.0.2.97, 192.0.2.64/27, false",
            "192.0.2.63, 192.0.2.64/27, false",
            "192.0.2.7, 192.0.2.7, true",
            "192.0.2.8, 192.0.2.7, false",
            "192.0.2.7, 192.0.2.7/32, true",
            "203.0.113.9, 0.0.0.0/0, true",
            "255.255.255.255, 0.0.0.0/0, true",
            "127.0.0.1, 128.0.0.0/1, false",
            "128.0.0.1, 128.0.0.0/1, true",
            "192.0.2.255, 192.0.2.254/31, true",
            "192.0.2.253, 192.0.2.254/31, false",
            "2001:db8::1, 192.0.2.0/24, false",
            "192.0.2.1, ::/0, false",
            "2001:db8::1, 0.0.0.0/0, false",
            "2001:db8:0:0:ffff::1, 2001:db8::/64, true",
            "2001:db8:0:1::1, 2001:db8::/64, false",
            "2001:db8::1, ::/0, true",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ::/0, true",
            "2001:db8::1, 2001:db8::1, true",
            "2001:db8::2, 2001:db8::1/128, false",
            "2001:db8::1, 2001:db8::/127, true",
            "2001:db8::2, 2001:db8::/127, false",
            "2001:db8:0:0:8000::, 2001:db8::/65, false",
            "2001:db8:0:0:7fff::, 2001:db8::/65, true",
            "2001:db8:0:1::, 2001:db8::/63, true",
            "2001:db8:0:2::, 2001:db8::/63, false",
            "::ffff:192.0.2.9, 192.0.2.0/24, true"})
    void tells_whether_a_network_contains_an_address(String address, String network, boolean expected) {
        IpNetwork n = IpNetwork.parse(network);
        InetAddress a = IpNetwork.literal(address);
        assertThat(n.contains(a)).isEqualTo(expected);
        assertThat(n.contains(a.getAddress())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource({
            "192.0.2.77, 24, 192.0.2.0/24",
            "192.0.2.77, 16, 192.0.0.0/16",
            "192.0.2.77, 32, 192.0.2.77",
            "192.0.2.77, 0, 0.0.0.0/0",
            "255.255.255.255, 1, 128.0.0.0/1",
            "2001:db8:1:2:3:4:5:6, 64, 2001:db8:1:2::/64",
            "2001:db8:1:2:3:4:5:6, 48, 2001:db8:1::/48",
            "2001:db8:1:2:3:4:5:6, 0, ::/0",
            "2001:db8:1:2:3:4:5:6, 127, 2001:db8:1:2:3:4:5:6/127",
            "2001:db8:1:2:3:4:5:7, 127, 2001:db8:1:2:3:4:5:6/127",
            "2001:0:0:1:0:0:0:1, 128, 2001:0:0:1::1",
            "2001:db8:0:1:1:1:1:1, 128, 2001:db8:0:1:1:1:1:1",
            "2001:db8:0:0:1:0:0:1, 128, 2001:db8::1:0:0:1",
            "2001:DB8:0:0:0:0:0:ABCD, 128, 2001:db8::abcd",
            "0:0:0:0:0:0:0:1, 128, ::1",
            "0:0:0:0:0:0:0:0, 128, ::",
            "1:0:0:0:0:0:0:0, 128, 1::",
            "1:0:0:2:0:0:0:3, 128, 1:0:0:2::3",
            "::192.0.2.1, 128, ::c000:201"})
    void formats_the_network_of_an_address_canonically(String address, int prefix, String expected) {
        assertThat(IpNetwork.of(IpNetwork.literal(address), prefix).toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1} / {2}")
    @CsvSource(delimiter = '|', value = {
            "192.0.2.7              | 192.0.2.7              | 192.0.2.7/32",
            "' 192.0.2.7 '          | 192.0.2.7              | 192.0.2.7/32",
            "192.0.2.7/24           | 192.0.2.0/24           | 192.0.2.0/24",
            "192.0.2.0/32           | 192.0.2.0              | 192.0.2.0/32",
            "192.0.2.0/024          | 192.0.2.0/24           | 192.0.2.0/24",
            "0.0.0.0/0              | 0.0.0.0/0              | 0.0.0.0/0",
            "2001:DB8:0:0::1        | 2001:db8::1            | 2001:db8::1/128",
            "2001:db8:0:0:1::/64    | 2001:db8::/64          | 2001:db8::/64",
            "2001:db8:0:1:0:0:0:0/64 | 2001:db8:0:1::/64     | 2001:db8:0:1::/64",
            "2001:0db8:0000::0001   | 2001:db8::1            | 2001:db8::1/128",
            "::/0                   | ::/0                   | ::/0",
            "1:2:3:4:5:6:7::        | 1:2:3:4:5:6:7:0        | 1:2:3:4:5:6:7:0/128",
            "::2:3:4:5:6:7:8        | 0:2:3:4:5:6:7:8        | 0:2:3:4:5:6:7:8/128",
            "1:2:3:4:5:6:192.0.2.1  | 1:2:3:4:5:6:c000:201   | 1:2:3:4:5:6:c000:201/128",
            "::ffff:192.0.2.1       | 192.0.2.1              | 192.0.2.1/32",
            "::FFFF:192.0.2.1/24    | 192.0.2.0/24           | 192.0.2.0/24",
            "::ffff:c000:0201       | 192.0.2.1              | 192.0.2.1/32"})
    void parses_addresses_and_networks_to_canonical_text(String text, String canonical, String cidr) {
        IpNetwork n = IpNetwork.parse(text);
        assertThat(n.toString()).isEqualTo(canonical);
        assertThat(n.cidr()).isEqualTo(cidr);
        assertThat(IpNetwork.parse(n.toString())).isEqualTo(n);
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @CsvSource(delimiter = '|', value = {
            "''                     | 'not an IP address: '",
            "mail.example.org       | not an IP address: mail.example.org",
            "192.0.2                | not an IP address: 192.0.2",
            "192.0.2.256            | not an IP address: 192.0.2.256",
            "192.0.2.1.5            | not an IP address: 192.0.2.1.5",
            "010.0.2.1              | not an IP address: 010.0.2.1",
            "192.0.2.0001           | not an IP address: 192.0.2.0001",
            "192.0..1               | not an IP address: 192.0..1",
            "+1.0.2.1               | not an IP address: +1.0.2.1",
            "١.٢.٣.٤                | not an IP address: ١.٢.٣.٤",
            "1                      | not an IP address: 1",
            "2001:db8::1%eth0       | not an IP address: 2001:db8::1%eth0",
            "[2001:db8::1]          | not an IP address: [2001:db8::1]",
            "1:2:3:4:5:6:7:8:9      | not an IP address: 1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7          | not an IP address: 1:2:3:4:5:6:7",
            "1::2:3:4:5:6:7:8       | not an IP address: 1::2:3:4:5:6:7:8",
            "1::2::3                | not an IP address: 1::2::3",
            ":::                    | not an IP address: :::",
            ":1::                   | not an IP address: :1::",
            "1::2:                  | not an IP address: 1::2:",
            "12345::                | not an IP address: 12345::",
            "g::                    | not an IP address: g::",
            "::1.2.3                | not an IP address: ::1.2.3",
            "::01.2.3.4             | not an IP address: ::01.2.3.4",
            "1.2.3.4::              | not an IP address: 1.2.3.4::",
            "1:2:3:4:5:6:7:1.2.3.4  | not an IP address: 1:2:3:4:5:6:7:1.2.3.4",
            "/24                    | 'not an IP address: '",
            "192.0.2.0/             | 'not a prefix length: '",
            "192.0.2.0/-1           | not a prefix length: -1",
            "192.0.2.0/1234         | not a prefix length: 1234",
            "192.0.2.0/2x           | not a prefix length: 2x",
            "192.0.2.0/24/8         | not a prefix length: 24/8",
            "192.0.2.0/33           | prefix /33 too long for 192.0.2.0",
            "2001:db8::/129         | prefix /129 too long for 2001:db8::",
            "::ffff:192.0.2.0/120   | prefix /120 too long for ::ffff:192.0.2.0"})
    void refuses_bad_text_saying_why(String text, String message) {
        assertThatThrownBy(() -> IpNetwork.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void a_literal_is_an_address_never_a_name() {
        assertThat(IpNetwork.literal("::ffff:192.0.2.1").getAddress()).hasSize(4);
        assertThat(IpNetwork.literal("::ffff:192.0.2.1")).isInstanceOf(Inet4Address.class);
        assertThat(IpNetwork.literal("::192.0.2.1")).isInstanceOf(Inet6Address.class);
        assertThat(IpNetwork.literal("2001:db8::1").getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThatThrownBy(() -> IpNetwork.literal("localhost")).hasMessage("not an IP address: localhost");
        assertThatThrownBy(() -> IpNetwork.literal("192.0.2.0/24")).hasMessage("not an IP address: 192.0.2.0/24");
    }

    @Test
    void the_network_of_an_address_refuses_a_prefix_longer_than_the_address() {
        assertThatThrownBy(() -> IpNetwork.of(IpNetwork.literal("192.0.2.1"), 33)).hasMessage("prefix must be 0-32: 33");
        assertThatThrownBy(() -> IpNetwork.of(IpNetwork.literal("2001:db8::1"), -1)).hasMessage("prefix must be 0-128: -1");
        assertThat(IpNetwork.host(IpNetwork.literal("2001:db8::1")).prefix()).isEqualTo(128);
        assertThat(IpNetwork.host(IpNetwork.literal("192.0.2.1")).isSingleAddress()).isTrue();
        assertThat(IpNetwork.parse("192.0.2.0/24").isSingleAddress()).isFalse();
    }

    @Test
    void one_network_is_equal_however_it_was_spelled_and_the_families_stay_apart() {
        assertThat(IpNetwork.parse("192.0.2.77/24")).isEqualTo(IpNetwork.parse("192.0.2.0/24"))
                .hasSameHashCodeAs(IpNetwork.parse("192.0.2.0/24"));
        assertThat(IpNetwork.parse("2001:DB8::/32")).isEqualTo(IpNetwork.of(IpNetwork.literal("2001:db8:ffff::1"), 32));
        assertThat(IpNetwork.parse("0.0.0.0/0")).isNotEqualTo(IpNetwork.parse("::/0"));
        assertThat(IpNetwork.parse("192.0.2.0/24")).isNotEqualTo(IpNetwork.parse("192.0.2.0/25"));
        assertThat(IpNetwork.parse("::/0").isIpv6()).isTrue();
        assertThat(IpNetwork.parse("0.0.0.0/0").isIpv6()).isFalse();
    }

    @Test
    void the_network_address_has_the_host_bits_cleared() {
        assertThat(IpNetwork.parse("192.0.2.77/24").address()).isEqualTo(IpNetwork.literal("192.0.2.0"));
        assertThat(IpNetwork.parse("2001:db8:1:2:3::/48").address()).isEqualTo(IpNetwork.literal("2001:db8:1::"));
        assertThat(IpNetwork.ipv6("::ffff:192.0.2.1", 128).orElseThrow().address()).isInstanceOf(Inet6Address.class);
    }

    @Test
    void family_strict_parsing_keeps_a_mapped_address_ipv6() {
        IpNetwork mapped = IpNetwork.ipv6("::ffff:192.0.2.0", 120).orElseThrow();
        assertThat(mapped.isIpv6()).isTrue();
        assertThat(mapped.toString()).isEqualTo("::ffff:c000:200/120");
        assertThat(mapped.contains(IpNetwork.literal("192.0.2.1"))).isFalse();
        assertThat(IpNetwork.ipv4("192.0.2.9", 24)).contains(IpNetwork.parse("192.0.2.0/24"));
        assertThat(IpNetwork.ipv4("2001:db8::1", 32)).isEmpty();
        assertThat(IpNetwork.ipv4("192.0.2.1", 33)).isEmpty();
        assertThat(IpNetwork.ipv4("192.0.2.1/32", 32)).isEmpty();
        assertThat(IpNetwork.ipv6("192.0.2.1", 128)).isEmpty();
        assertThat(IpNetwork.ipv6("2001:db8::", 129)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "192.0.2.1, 192.0.2.1",
            "2001:db8::1, 2001:db8::1",
            "::ffff:0:0, ::ffff:0:0"})
    void formats_an_address(String address, String expected) {
        assertThat(IpNetwork.format(ipv6OrIpv4(address))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "::ffff:192.0.2.1, 192.0.2.1",
            "::192.0.2.1, ::c000:201",
            "64:ff9b::192.0.2.1, 64:ff9b::c000:201",
            "2001:db8::1, 2001:db8::1",
            "192.0.2.1, 192.0.2.1"})
    void unmaps_only_an_ipv4_mapped_address(String address, String expected) {
        InetAddress a = ipv6OrIpv4(address);
        assertThat(IpNetwork.format(IpNetwork.unmapIpv4(a))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} reaches {1}")
    @CsvSource({
            "192.0.2.1, 192.0.2.1",
            "::ffff:192.0.2.1, 192.0.2.1",
            "::ffff:127.0.0.1, 127.0.0.1",
            "::192.0.2.1, 192.0.2.1",
            "::0.0.0.2, 0.0.0.2",
            "64:ff9b::192.0.2.1, 192.0.2.1",
            "64:ff9b::c000:201, 192.0.2.1",
            "64:ff9b::a00:1, 10.0.0.1",
            "::1,",
            "::,",
            "2001:db8::1,",
            "64:ff9b:1::192.0.2.1,",
            "64:ff9b::1:0:0:1,",
            "::ffff:0:192.0.2.1,",
            "fe80::1,"})
    void unwraps_the_ipv4_address_an_ipv6_address_reaches(String address, String expected) {
        var reached = IpNetwork.unwrapIpv4(ipv6OrIpv4(address));
        if (expected == null) {
            assertThat(reached).isEmpty();
        } else {
            assertThat(reached).contains((Inet4Address) IpNetwork.literal(expected));
        }
    }

    /** An IPv6 text as an {@link Inet6Address} even when mapped (as a DNS AAAA answer gives it), else IPv4. */
    private static InetAddress ipv6OrIpv4(String text) {
        return text.indexOf(':') >= 0 ? IpNetwork.ipv6(text, 128).orElseThrow().address() : IpNetwork.literal(text);
    }
}
