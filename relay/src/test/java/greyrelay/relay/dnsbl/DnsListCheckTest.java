package greyrelay.relay.dnsbl;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Transaction;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.testing.FakeDnsServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exemptions an allow list grants, and who is exempt from the lists. */
class DnsListCheckTest {
    final FakeDnsServer dns = FakeDnsServer.start();
    final DnsListLookup lookup = new DnsListLookup(new DnsJavaResolver(List.of(dns.address()), Duration.ofMillis(300), 1),
            Duration.ofSeconds(2), new SimpleMeterRegistry());

    @AfterEach
    void close() {
        dns.close();
    }

    static PolicyRequest.Rcpt rcpt(String ip, SessionNotes notes) throws Exception {
        var tx = new Transaction("s1.1", new Sender.Address(new Mailbox("jane", "example.org")), OptionalLong.empty());
        var exemptions = EnumSet.noneOf(Exemption.class);
        exemptions.addAll(notes.exemptions());
        return new PolicyRequest.Rcpt(DnsListLookupTest.session(ip), notes, tx, "john@example.com",
                new Mailbox("john", "example.com"), exemptions);
    }

    @Test
    void an_allow_list_hit_exempts_this_recipient_and_the_rest_of_the_session_from_greylisting_and_block_lists() throws Exception {
        dns.a("5.100.51.198.white.example.net", "127.0.10.2").a("5.100.51.198.soft.example.net", "127.0.0.2");
        var check = new DnsListCheck(lookup, DnsListLookupTest.lists("soft.example.net:defer", "white.example.net:skip-greylisting"));
        SessionNotes notes = new SessionNotes();

        PolicyRequest.Rcpt first = rcpt("198.51.100.5", notes);
        assertThat(check.evaluate(first)).isEqualTo(Verdict.CONTINUE);
        assertThat(first.exemptions()).containsExactlyInAnyOrder(Exemption.GREYLISTING, Exemption.DNSBL);
        assertThat(notes.exemptions()).containsExactlyInAnyOrder(Exemption.GREYLISTING, Exemption.DNSBL);
        assertThat(rcpt("198.51.100.5", notes).exemptions()).as("next RCPT starts exempt").contains(Exemption.GREYLISTING);
    }

    @Test
    void a_recipient_exempt_from_dnsbl_by_a_whitelist_is_not_deferred() throws Exception {
        dns.a("77.2.0.192.soft.example.net", "127.0.0.2");
        var check = new DnsListCheck(lookup, DnsListLookupTest.lists("soft.example.net:defer"));

        assertThat(check.evaluate(rcpt("192.0.2.77", new SessionNotes()))).isInstanceOf(Verdict.Defer.class);
        SessionNotes whitelisted = new SessionNotes();
        whitelisted.exempt(Exemption.DNSBL);
        assertThat(check.evaluate(rcpt("192.0.2.77", whitelisted))).isEqualTo(Verdict.CONTINUE);
    }

    @Test
    void a_session_exempt_from_dnsbl_is_not_rejected_at_connect_and_not_even_looked_up() throws Exception {
        dns.a("66.2.0.192.zen.example.net", "127.0.0.2");
        var check = new DnsblRejectCheck(lookup, DnsListLookupTest.lists("zen.example.net:reject"));
        SessionNotes notes = new SessionNotes();
        assertThat(check.evaluate(new PolicyRequest.Connect(DnsListLookupTest.session("192.0.2.66"), notes)))
                .isInstanceOf(Verdict.Reject.class);

        SessionNotes exempt = new SessionNotes();
        exempt.exempt(Exemption.DNSBL);
        dns.reset();
        assertThat(check.evaluate(new PolicyRequest.Connect(DnsListLookupTest.session("192.0.2.66"), exempt))).isEqualTo(Verdict.CONTINUE);
        assertThat(dns.queries()).isEmpty();
    }
}
