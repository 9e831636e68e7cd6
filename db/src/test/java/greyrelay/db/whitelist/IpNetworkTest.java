package greyrelay.db.whitelist;

import static org.assertj.core.api.Assertions.assertThat;

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
            "192.0.2.7, 192.0.2.7, true",
            "2001:db8::1, 192.0.2.0/24, false",
            "2001:db8:0:0:ffff::1, 2001:db8::/64, true",
            "2001:db8:0:1::1, 2001:db8::/64, false",
            "203.0.113.9, 0.0.0.0/0, true"})
    void tells_whether_a_network_contains_an_address(String address, String network, boolean expected) {
        assertThat(IpNetwork.parse(network).contains(IpNetwork.literal(address))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource({
            "192.0.2.77, 24, 192.0.2.0/24",
            "192.0.2.77, 16, 192.0.0.0/16",
            "2001:db8:1:2:3:4:5:6, 64, 2001:db8:1:2::/64",
            "2001:db8:1:2:3:4:5:6, 48, 2001:db8:1::/48",
            "2001:0:0:1:0:0:0:1, 128, 2001:0:0:1::1",
            "2001:db8:0:1:1:1:1:1, 128, 2001:db8:0:1:1:1:1:1"})
    void formats_networks_canonically(String address, int prefix, String expected) {
        assertThat(IpNetwork.of(IpNetwork.literal(address), prefix).toString()).isEqualTo(expected);
    }

    @Test
    void an_ipv4_mapped_ipv6_literal_is_the_ipv4_address() {
        assertThat(IpNetwork.literal("::ffff:192.0.2.1").getAddress()).hasSize(4);
    }
}
