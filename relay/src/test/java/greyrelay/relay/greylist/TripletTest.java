package greyrelay.relay.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.net.IpNetwork;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TripletTest {
    static final Mailbox JOHN = Mailbox.parse("John@Example.COM").orElseThrow();
    static final Sender JANE = Sender.parse("Jane+x@example.org").orElseThrow();

    @ParameterizedTest(name = "{0} /{1} /{2} -> {3}")
    @CsvSource({
            "192.0.2.10, 24, 64, 192.0.2.0/24",
            "192.0.2.77, 24, 64, 192.0.2.0/24",
            "198.51.100.20, 24, 64, 198.51.100.0/24",
            "192.0.2.77, 32, 64, 192.0.2.77",
            "192.0.2.77, 16, 64, 192.0.0.0/16",
            "192.0.2.77, 28, 64, 192.0.2.64/28",
            "2001:db8:1:2:3:4:5:6, 24, 64, 2001:db8:1:2::/64",
            "2001:db8:1:2:ffff::1, 24, 64, 2001:db8:1:2::/64",
            "2001:db8:1:3::1, 24, 64, 2001:db8:1:3::/64",
            "2001:db8:1:2:3:4:5:6, 24, 48, 2001:db8:1::/48",
            "2001:db8:1:2:3:4:5:6, 24, 128, 2001:db8:1:2:3:4:5:6",
            "::ffff:192.0.2.77, 24, 64, 192.0.2.0/24"})
    void groups_clients_by_network(String ip, int v4, int v6, String expected) {
        assertThat(new Triplet.Keying(v4, v6, true).network(IpNetwork.literal(ip))).isEqualTo(expected);
    }

    @Test
    void builds_the_triplet_from_network_normalised_sender_and_lower_case_recipient() {
        Triplet t = new Triplet.Keying(24, 64, true).of(IpNetwork.literal("192.0.2.10"), Optional.empty(), JANE, JOHN);

        assertThat(t).isEqualTo(new Triplet("192.0.2.0/24", "jane@example.org", "john@example.com"));
        assertThat(t.key().client()).isEqualTo("192.0.2.0/24");
    }

    @Test
    void finds_the_keys_a_recorded_decision_may_have() {
        assertThat(new Triplet.Keying(24, 64, false).candidates("192.0.2.10", "Jane+x@Example.org", "John@Example.COM"))
                .containsExactly(new Triplet("192.0.2.0/24", "jane@example.org", "john@example.com").key());
        assertThat(new Triplet.Keying(24, 64, true).candidates("192.0.2.10", "jane@example.org", "john@example.com"))
                .extracting(k -> k.client()).containsExactly("spf:example.org", "192.0.2.0/24");
        assertThat(new Triplet.Keying(24, 64, true).candidates("192.0.2.10", "", "john@example.com"))
                .extracting(k -> k.client() + " " + k.sender()).containsExactly("192.0.2.0/24 <>");
        assertThat(new Triplet.Keying(24, 64, false, true).candidates("192.0.2.10", "jane@example.org", "john@example.com").getFirst()
                .recipient()).startsWith("sha256:");
        assertThat(new Triplet.Keying(24, 64, false).candidates("not-an-ip", "jane@example.org", "john@example.com")).isEmpty();
        assertThat(new Triplet.Keying(24, 64, false).candidates("192.0.2.10", "jane@example.org", "bad address")).isEmpty();
    }

    @Test
    void keeps_recipient_extensions_apart() {
        Mailbox lists = Mailbox.parse("john+lists@example.com").orElseThrow();

        assertThat(Triplet.recipient(lists)).isEqualTo("john+lists@example.com");
    }

    @Test
    void the_null_sender_is_its_own_sender() {
        Triplet t = new Triplet.Keying(24, 64, true).of(IpNetwork.literal("192.0.2.10"), Optional.empty(), Sender.NULL, JOHN);

        assertThat(t.sender()).isEqualTo("<>");
        assertThat(t.key().nullSender()).isTrue();
    }

    @Test
    void an_spf_pass_keys_the_client_by_domain_when_enabled() {
        var addr = IpNetwork.literal("192.0.2.10");

        assertThat(new Triplet.Keying(24, 64, true).of(addr, Optional.of("example.org"), JANE, JOHN).client())
                .isEqualTo("spf:example.org");
        assertThat(new Triplet.Keying(24, 64, false).of(addr, Optional.of("example.org"), JANE, JOHN).client())
                .isEqualTo("192.0.2.0/24");
    }
}
