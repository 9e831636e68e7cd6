package greyrelay.relay.whitelist;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.net.IpNetwork;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Transaction;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@code whitelist} (RCPT): sender and recipient entries mark exemptions and never decide. */
class WhitelistCheckTest {
    static WhitelistEntry e(WhitelistKind kind, String value) {
        return WhitelistEntry.of(kind, value, null, "file:test", Instant.EPOCH);
    }

    static PolicyRequest.Rcpt rcpt(String sender, String recipient) {
        SessionFacts s = new SessionFacts("S1", IpNetwork.literal("192.0.2.10"), 40000, Optional.of("client.example.org"), false,
                TestClock.START);
        Transaction tx = new Transaction("S1.1", Sender.parse(sender).orElseThrow(), OptionalLong.empty());
        return new PolicyRequest.Rcpt(s, new SessionNotes(), tx, recipient, Mailbox.parse(recipient).orElseThrow(),
                EnumSet.noneOf(Exemption.class));
    }

    /** Entries as if from a file; the database part is empty. */
    static WhitelistCheck check(WhitelistEntry... entries) {
        Whitelists w = new Whitelists(List::of, List.of(entries), new SimpleMeterRegistry());
        w.refresh();
        return new WhitelistCheck(w);
    }

    @Test
    void a_whitelisted_sender_skips_greylisting_and_sender_verification() {
        PolicyRequest.Rcpt r = rcpt("news@lists.example.org", "john@example.com");

        assertThat(check(e(WhitelistKind.SENDER, "example.org")).evaluate(r)).isEqualTo(Verdict.CONTINUE);

        assertThat(r.exemptions()).containsExactlyInAnyOrder(Exemption.GREYLISTING, Exemption.SENDER_VERIFICATION);
    }

    @Test
    void a_whitelisted_recipient_skips_greylisting_only() {
        PolicyRequest.Rcpt r = rcpt("jane@example.org", "john+tickets@example.com");

        check(e(WhitelistKind.RECIPIENT, "john@example.com")).evaluate(r);

        assertThat(r.exemptions()).containsExactly(Exemption.GREYLISTING);
    }

    @Test
    void the_null_sender_matches_no_sender_entry() {
        PolicyRequest.Rcpt r = rcpt("", "john@example.com");

        check(e(WhitelistKind.SENDER, "example.org")).evaluate(r);

        assertThat(r.exemptions()).isEmpty();
    }

    @Test
    void nothing_matches_nothing_is_granted() {
        PolicyRequest.Rcpt r = rcpt("jane@example.net", "john@example.com");

        check(e(WhitelistKind.SENDER, "example.org"), e(WhitelistKind.RECIPIENT, "mary@example.com")).evaluate(r);

        assertThat(r.exemptions()).isEmpty();
    }
}
