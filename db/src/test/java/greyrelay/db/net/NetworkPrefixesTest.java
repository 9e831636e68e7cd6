package greyrelay.db.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkPrefixesTest {
    @ParameterizedTest(name = "{0} /{1} /{2} -> {3}")
    @CsvSource({
            "192.0.2.77, 24, 64, 192.0.2.0/24",
            "192.0.2.77, 16, 64, 192.0.0.0/16",
            "192.0.2.77, 32, 64, 192.0.2.77",
            "2001:db8:1:2:3:4:5:6, 24, 64, 2001:db8:1:2::/64",
            "2001:db8:1:2:3:4:5:6, 24, 48, 2001:db8:1::/48",
            "2001:db8:1:2:3:4:5:6, 24, 128, 2001:db8:1:2:3:4:5:6"})
    void picks_the_prefix_by_family(String address, int ipv4, int ipv6, String expected) {
        assertThat(new NetworkPrefixes(ipv4, ipv6).networkOf(IpNetwork.literal(address)).toString()).isEqualTo(expected);
    }

    @Test
    void the_default_is_24_and_64_and_nonsense_is_refused() {
        assertThat(NetworkPrefixes.DEFAULT).isEqualTo(new NetworkPrefixes(24, 64));
        assertThatThrownBy(() -> new NetworkPrefixes(33, 64)).hasMessage("prefix out of range: /33, /64");
        assertThatThrownBy(() -> new NetworkPrefixes(24, 129)).hasMessage("prefix out of range: /24, /129");
        assertThatThrownBy(() -> new NetworkPrefixes(-1, 64)).isInstanceOf(IllegalArgumentException.class);
    }
}
