package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.ProbeQuery;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.testing.ScriptedMx;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipientVerificationCheckTest {

    @TempDir
    Path dir;

    VerifyRig rig;

    RecipientVerificationCheck check(String yaml) {
        rig = new VerifyRig(dir, yaml == null ? "recipientVerification: {enabled: true, timeout: 1s}" : yaml);
        return rig.verification.recipientCheck();
    }

    @AfterEach
    void stop() {
        if (rig != null) rig.close();
    }

    Verdict ask(RecipientVerificationCheck check, String recipient) {
        return check.evaluate(rig.rcptTo("jane@example.org", recipient, rig.connection()));
    }

    @Test
    void a_recipient_the_downstream_knows_passes_and_is_cached() throws Exception {
        RecipientVerificationCheck check = check(null);

        assertThat(ask(check, "john@example.com")).isEqualTo(Verdict.CONTINUE);
        rig.downstream.down();
        assertThat(ask(check, "john@example.com")).as("from the cache").isEqualTo(Verdict.CONTINUE);

        rig.history().flush();
        assertThat(rig.probes(ProbeQuery.newest(10).withKind(CacheKind.RECIPIENT)))
                .extracting(ProbeRecord::cacheHit, ProbeRecord::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(true, "DELIVERABLE"),
                        org.assertj.core.groups.Tuple.tuple(false, "DELIVERABLE"));
        ProbeRecord probe = rig.probes(ProbeQuery.newest(1).withCacheHit(false)).get(0);
        assertThat(probe.transcript()).contains("C: MAIL FROM:<>", "C: RCPT TO:<john@example.com>", "C: RSET", "C: QUIT")
                .doesNotContain("C: DATA");
    }

    @Test
    void a_recipient_the_downstream_refuses_is_550_5_1_1() {
        RecipientVerificationCheck check = check(null);
        rig.downstream.replyToRecipient("nobody@example.com", "550 5.1.1 no such user");

        assertThat(ask(check, "nobody@example.com")).isInstanceOfSatisfying(Verdict.Reject.class,
                r -> assertThat(r.reply()).isEqualTo(Replies.userUnknown("nobody@example.com")));
    }

    @Test
    void a_downstream_that_is_down_or_unsure_is_451_4_4_3_and_a_later_answer_counts() {
        RecipientVerificationCheck check = check("recipientVerification: {enabled: true, timeout: 1s, tempFailTtl: 1m}");
        rig.downstream.replyToRecipient("mary@example.com", "451 4.3.0 try later");
        assertThat(ask(check, "mary@example.com")).isInstanceOfSatisfying(Verdict.Defer.class,
                d -> assertThat(d.reply()).isEqualTo(Replies.recipientVerificationTempFail("mary@example.com")));

        rig.downstream.down();
        assertThat(ask(check, "other@example.com")).isInstanceOfSatisfying(Verdict.Defer.class,
                d -> assertThat(d.reply()).isEqualTo(Replies.recipientVerificationTempFail("other@example.com")));

        rig.downstream.up();
        rig.downstream.replyToRecipient("mary@example.com", null);
        rig.clock.advance(Duration.ofMinutes(2));
        assertThat(ask(check, "mary@example.com")).isEqualTo(Verdict.CONTINUE);
    }

    @Test
    void role_recipients_are_never_asked_about() {
        RecipientVerificationCheck check = check(null);
        rig.downstream.down();

        assertThat(ask(check, "postmaster@example.com")).isEqualTo(Verdict.CONTINUE);
        assertThat(ask(check, "Abuse@example.com")).isEqualTo(Verdict.CONTINUE);
        assertThat(rig.probes(ProbeQuery.newest(10))).isEmpty();
    }

    @Test
    void a_static_recipient_list_replaces_the_downstream() {
        RecipientVerificationCheck check = check("""
                recipientVerification:
                  enabled: true
                  source: list
                  recipients: [john@example.com, "@sales.example.com"]
                """);
        rig.downstream.down();

        assertThat(ask(check, "John@example.com")).isEqualTo(Verdict.CONTINUE);
        assertThat(ask(check, "anyone@sales.example.com")).isEqualTo(Verdict.CONTINUE);
        assertThat(ask(check, "mary@example.com")).isInstanceOfSatisfying(Verdict.Reject.class,
                r -> assertThat(r.reply()).isEqualTo(Replies.userUnknown("mary@example.com")));
    }

    @Test
    void recipients_of_a_routed_domain_are_asked_at_its_route() {
        ScriptedMx other = ScriptedMx.start().rejectRecipient("gone@example.net");
        rig = null;
        try {
            RecipientVerificationCheck check = check("recipientVerification: {enabled: true, timeout: 1s}\n"
                    + "downstream: {routes: {example.net: \"127.0.0.1:" + other.port() + "\"}}");

            assertThat(ask(check, "gone@example.net")).isInstanceOf(Verdict.Reject.class);
            assertThat(ask(check, "john@example.com")).isEqualTo(Verdict.CONTINUE);
            assertThat(other.connections()).isEqualTo(1);
            assertThat(other.commands(0)).containsExactly("EHLO mx.example.com", "MAIL FROM:<>", "RCPT TO:<gone@example.net>",
                    "RSET", "QUIT");
        } finally {
            other.close();
        }
    }

    @Test
    void a_recipient_with_a_quoted_local_part_cannot_be_verified_and_is_refused() {
        RecipientVerificationCheck check = check(null);

        assertThat(ask(check, "\"john doe\"@example.com")).isInstanceOf(Verdict.Reject.class);
        assertThat(rig.probes(ProbeQuery.newest(10))).isEmpty();
    }
}
