package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.CacheStatus;
import greyrelay.db.verify.ProbeQuery;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.db.verify.VerificationCache;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.testing.ScriptedMx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An administrator's "verify again now" ({@link Verification#reprobe}) and "forget" ({@link Verification#forget}) over
 * the real verifiers, scheduler, scripted MXs and H2. The admin panel reaches them through
 * {@code greyrelay.relay.admin.VerificationPanelOperations}.
 */
class VerificationReprobeTest {
    static final String JANE = "jane@example.org";

    @TempDir
    Path dir;
    VerifyRig rig;

    Verification verification(String yaml) {
        rig = new VerifyRig(dir, yaml);
        return rig.verification;
    }

    static Mailbox mailbox(String address) {
        return Mailbox.parse(address).orElseThrow();
    }

    @AfterEach
    void close() {
        if (rig != null) rig.close();
    }

    @Test
    void verify_again_probes_a_sender_whose_verdict_is_still_fresh_and_stores_the_new_verdict() throws Exception {
        Verification verification = verification(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");
        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        rig.awaitIdle();
        assertThat(rig.cached(JANE)).hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(CacheStatus.VALID));
        mx.rejectRecipient(JANE);

        assertThat(verification.reprobe(CacheKind.SENDER, mailbox(JANE))).isEqualTo(new Reprobe.Started());
        rig.awaitIdle();

        assertThat(mx.connections()).isEqualTo(2);
        assertThat(mx.commands(1)).containsExactly("EHLO " + greyrelay.relay.testing.Examples.RELAY_HOSTNAME, "MAIL FROM:<>",
                "RCPT TO:<" + JANE + ">", "RSET", "QUIT");
        assertThat(rig.cached(JANE)).hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(CacheStatus.INVALID));
        ProbeRecord newest = rig.probes(ProbeQuery.newest(1)).getFirst();
        assertThat(newest.origin()).isEqualTo("ADMIN");
        assertThat(newest.sessionId()).isEqualTo("admin");
        assertThat(newest.outcome()).isEqualTo("UNDELIVERABLE");
        assertThat(newest.transcript()).contains("C: RCPT TO:<" + JANE + ">");
    }

    @Test
    void verify_again_joins_a_probe_of_the_same_address_already_running() throws Exception {
        Verification verification = verification("verification: {timeouts: {backgroundConnect: 500ms, backgroundReply: 500ms}}");
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1").tarpit();

        assertThat(verification.reprobe(CacheKind.SENDER, mailbox(JANE))).isEqualTo(new Reprobe.Started());
        assertThat(verification.reprobe(CacheKind.SENDER, mailbox(JANE))).isEqualTo(new Reprobe.Joined());
        rig.awaitIdle();

        assertThat(mx.connections()).isEqualTo(1);
    }

    @Test
    void verify_again_refuses_what_must_not_be_probed_and_says_why() {
        Verification verification = verification(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");

        assertThat(verification.reprobe(CacheKind.SENDER, mailbox("\"jane doe\"@example.org")))
                .isEqualTo(new Reprobe.Refused("not a plain ASCII local@domain address: it is never probed"));
        assertThat(verification.reprobe(CacheKind.RECIPIENT, mailbox("john@example.com")))
                .isEqualTo(new Reprobe.Refused("recipient verification is off (recipientVerification.enabled: false)"));
        assertThat(mx.connections()).isZero();
    }

    @Test
    void verify_again_is_refused_when_the_domains_budget_is_used_up() {
        Verification verification = verification("verification: {budget: {perDomainRate: 1, perDomainRatePeriod: 1m}}");
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");
        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);

        Reprobe r = verification.reprobe(CacheKind.SENDER, mailbox(JANE));

        assertThat(r).isInstanceOfSatisfying(Reprobe.Refused.class, f -> assertThat(f.why()).contains("example.org"));
        assertThat(mx.connections()).isEqualTo(1);
    }

    @Test
    void verify_again_is_refused_while_sender_verification_is_off() {
        Verification verification = verification("verification: {enabled: false}");

        assertThat(verification.reprobe(CacheKind.SENDER, mailbox(JANE)))
                .isEqualTo(new Reprobe.Refused("sender verification is off (verification.enabled: false)"));
    }

    @Test
    void forget_deletes_the_cached_verdict_so_the_next_mail_probes_again() throws Exception {
        Verification verification = verification(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");
        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        rig.awaitIdle();

        assertThat(verification.forget(CacheKind.SENDER, JANE)).isTrue();
        assertThat(verification.forget(CacheKind.SENDER, JANE)).isFalse();
        assertThat(rig.cached(JANE)).isEmpty();

        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        assertThat(mx.connections()).isEqualTo(2);
    }

    @Test
    void verify_again_asks_the_downstream_about_a_recipient_afresh() throws Exception {
        Verification verification = verification("recipientVerification: {enabled: true}");
        rig.downstream.replyToRecipient("john@example.com", "550 5.1.1 <john@example.com>: no such user");

        assertThat(verification.reprobe(CacheKind.RECIPIENT, mailbox("John@Example.com"))).isEqualTo(new Reprobe.Started());
        rig.await(() -> !rig.probes(ProbeQuery.newest(5).withKind(CacheKind.RECIPIENT)).isEmpty());

        ProbeRecord r = rig.probes(ProbeQuery.newest(5).withKind(CacheKind.RECIPIENT)).getFirst();
        assertThat(r.origin()).isEqualTo("ADMIN");
        assertThat(r.address()).isEqualTo("john@example.com");
        assertThat(r.outcome()).isEqualTo("UNDELIVERABLE");
        assertThat(new VerificationCache(rig.database).find(CacheKind.RECIPIENT, "john@example.com"))
                .hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(CacheStatus.INVALID));
    }
}
