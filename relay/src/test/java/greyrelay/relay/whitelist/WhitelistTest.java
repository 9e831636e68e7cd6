package greyrelay.relay.whitelist;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.net.IpNetwork;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.policy.Exemption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each kind of entry, matched in memory. */
class WhitelistTest {
    static WhitelistEntry e(WhitelistKind kind, String value) {
        return WhitelistEntry.of(kind, value, null, "admin", Instant.EPOCH);
    }

    static final Whitelist W = Whitelist.of(List.of(
            e(WhitelistKind.CLIENT_ADDRESS, "192.0.2.0/24"),
            e(WhitelistKind.CLIENT_ADDRESS, "198.51.100.7"),
            e(WhitelistKind.CLIENT_ADDRESS, "2001:db8:aa::/48"),
            e(WhitelistKind.CLIENT_HOST, "mail.example.org"),
            e(WhitelistKind.CLIENT_HOST, "/^mx[0-9]+\\.example\\.net$/"),
            e(WhitelistKind.SENDER, "jane@example.org"),
            e(WhitelistKind.SENDER, "lists.example.net"),
            e(WhitelistKind.RECIPIENT, "john@example.com"),
            e(WhitelistKind.RECIPIENT, "postmaster@"),
            e(WhitelistKind.RECIPIENT, "sales.example.com"),
            e(WhitelistKind.RECIPIENT, "/^noc-.*@example\\.com$/")));

    static Mailbox box(String a) {
        return Mailbox.parse(a).orElseThrow();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "192.0.2.1, true", "192.0.2.254, true", "192.0.3.1, false",
            "198.51.100.7, true", "198.51.100.8, false",
            "2001:db8:aa:1::25, true", "2001:db8:ab::25, false"})
    void client_addresses_and_networks(String ip, boolean matches) {
        assertThat(W.clientAddress(IpNetwork.literal(ip)).isPresent()).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "mail.example.org, true", "out1.mail.example.org, true", "MAIL.Example.ORG, true",
            "evilmail.example.org, false", "mail.example.org.evil.example, false", "example.org, false",
            "mx12.example.net, true", "mx.example.net, false", "mx12.example.net.evil.example, false"})
    void client_host_names_by_suffix_or_regex(String name, boolean matches) {
        assertThat(W.clientHost(name).isPresent()).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "jane@example.org, true", "Jane@Example.ORG, true", "jane+x@example.org, false", "john@example.org, false",
            "anyone@lists.example.net, true", "bounce@eu.lists.example.net, true", "someone@example.net, false"})
    void sender_addresses_and_domains(String sender, boolean matches) {
        assertThat(W.sender(box(sender)).isPresent()).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "john@example.com, true", "John+lists@Example.com, true", "johnny@example.com, false",
            "postmaster@example.org, true", "postmaster+x@example.net, true",
            "anyone@sales.example.com, true", "anyone@eu.sales.example.com, true", "anyone@example.com, false",
            "noc-1@example.com, true", "noc-1@example.org, false"})
    void recipients_by_address_local_part_domain_or_regex(String rcpt, boolean matches) {
        assertThat(W.recipient(box(rcpt)).isPresent()).isEqualTo(matches);
    }

    @Test
    void a_match_says_which_entry_and_source() {
        Optional<Whitelist.Match> m = W.sender(box("x@lists.example.net"));

        assertThat(m.orElseThrow().toString()).isEqualTo("sender lists.example.net (admin)");
    }

    @Test
    void only_host_entries_need_the_client_name() {
        assertThat(W.hasHostRules()).isTrue();
        assertThat(Whitelist.of(List.of(e(WhitelistKind.CLIENT_ADDRESS, "192.0.2.0/24"))).hasHostRules()).isFalse();
    }

    @Test
    void the_first_entry_wins_and_duplicates_count_once() {
        Whitelist w = Whitelist.of(List.of(e(WhitelistKind.SENDER, "example.org"),
                WhitelistEntry.of(WhitelistKind.SENDER, "example.org", null, "default", Instant.EPOCH)));

        assertThat(w.size()).isEqualTo(1);
        assertThat(w.sender(box("a@example.org")).orElseThrow().source()).isEqualTo("admin");
    }

    @Test
    void exemptions_by_kind_of_entry() {
        assertThat(Whitelist.CLIENT_EXEMPTIONS).containsExactlyInAnyOrder(Exemption.values());
        assertThat(Whitelist.SENDER_EXEMPTIONS).containsExactlyInAnyOrder(Exemption.GREYLISTING, Exemption.SENDER_VERIFICATION);
        assertThat(Whitelist.RECIPIENT_EXEMPTIONS).containsExactly(Exemption.GREYLISTING);
    }
}
