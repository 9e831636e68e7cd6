package greyrelay.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.net.IpNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which X-Forwarded-For entry is the client: only trusted proxies are believed, read from the right. */
class ClientAddressTest {
    final ClientAddress none = new ClientAddress(List.of());
    final ClientAddress proxies = new ClientAddress(List.of(IpNetwork.parse("10.0.0.0/8"), IpNetwork.parse("2001:db8:1::/48")));

    @Test
    void without_trusted_proxies_the_header_is_ignored() {
        assertThat(none.resolve("192.0.2.9", List.of("203.0.113.5"))).isEqualTo("192.0.2.9");
        assertThat(none.resolve("10.0.0.1", List.of("203.0.113.5"))).isEqualTo("10.0.0.1");
    }

    @Test
    void a_peer_that_is_not_a_trusted_proxy_cannot_claim_another_address() {
        assertThat(proxies.resolve("192.0.2.9", List.of("203.0.113.5"))).isEqualTo("192.0.2.9");
    }

    @Test
    void the_rightmost_address_that_is_not_a_trusted_proxy_is_the_client() {
        assertThat(proxies.resolve("10.0.0.1", List.of("203.0.113.5"))).isEqualTo("203.0.113.5");
        // the client wrote 198.51.100.1 itself; the proxies appended 203.0.113.5 and 10.1.1.1
        assertThat(proxies.resolve("10.0.0.1", List.of("198.51.100.1, 203.0.113.5", "10.1.1.1"))).isEqualTo("203.0.113.5");
        assertThat(proxies.resolve("2001:db8:1::7", List.of("2001:DB8:2::0:1"))).isEqualTo("2001:db8:2::1");
        assertThat(proxies.resolve("10.0.0.1", List.of("[2001:db8:2::1]"))).isEqualTo("2001:db8:2::1");
        assertThat(proxies.resolve("10.0.0.1", List.of("::ffff:203.0.113.5"))).isEqualTo("203.0.113.5");
    }

    @Test
    void only_proxies_all_the_way_gives_the_leftmost_and_garbage_stops_at_the_last_trusted_hop() {
        assertThat(proxies.resolve("10.0.0.1", List.of("10.2.2.2, 10.3.3.3"))).isEqualTo("10.2.2.2");
        assertThat(proxies.resolve("10.0.0.1", List.of("203.0.113.5, unknown, 10.3.3.3"))).isEqualTo("10.3.3.3");
        assertThat(proxies.resolve("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
        assertThat(proxies.resolve("10.0.0.1", List.of("example.com"))).isEqualTo("10.0.0.1");
    }
}
