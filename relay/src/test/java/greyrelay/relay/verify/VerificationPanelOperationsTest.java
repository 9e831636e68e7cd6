package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.probes.Reverify;
import greyrelay.admin.probes.VerificationOperations;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.CacheStatus;
import greyrelay.db.verify.ProbeQuery;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.db.verify.VerificationCache;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.testing.ScriptedMx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin panel's "verify again now" and "forget" over the real verifiers, scheduler, scripted MXs and H2. */
class VerificationPanelOperationsTest {
    static final String JANE = "jane@example.org";

    @TempDir
    Path dir;
    VerifyRig rig;

    VerificationOperations ops(String yaml) {
        rig = new VerifyRig(dir, yaml);
        return rig.verification.panelOperations();
    }

    @AfterEach
    void close() {
        if (rig != null) rig.close();
    }

    @Test
    void verify_again_probes_a_sender_whose_verdict_is_still_fresh_and_stores_the_new_verdict() throws Exception {
        VerificationOperations ops = ops(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");
        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        rig.awaitIdle();
        assertThat(rig.cached(JANE)).hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(CacheStatus.VALID));
        mx.rejectRecipient(JANE);

        assertThat(ops.reverify(CacheKind.SENDER, JANE)).isEqualTo(new Reverify.Started());
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
        VerificationOperations ops = ops("verification: {timeouts: {backgroundConnect: 500ms, backgroundReply: 500ms}}");
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1").tarpit();

        assertThat(ops.reverify(CacheKind.SENDER, JANE)).isEqualTo(new Reverify.Started());
        assertThat(ops.reverify(CacheKind.SENDER, JANE)).isEqualTo(new Reverify.AlreadyRunning());
        rig.awaitIdle();

        assertThat(mx.connections()).isEqualTo(1);
    }

    @Test
    void verify_again_refuses_what_must_not_be_probed_and_says_why() {
        VerificationOperations ops = ops(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");

        assertThat(ops.reverify(CacheKind.SENDER, "not an address")).isInstanceOf(Reverify.Refused.class);
        assertThat(ops.reverify(CacheKind.SENDER, "\"jane doe\"@example.org"))
                .isEqualTo(new Reverify.Refused("not a plain ASCII local@domain address: it is never probed"));
        assertThat(ops.reverify(CacheKind.RECIPIENT, "john@example.com"))
                .isEqualTo(new Reverify.Refused("recipient verification is off (recipientVerification.enabled: false)"));
        assertThat(mx.connections()).isZero();
    }

    @Test
    void verify_again_is_refused_when_the_domains_budget_is_used_up() {
        VerificationOperations ops = ops("verification: {budget: {perDomainRate: 1, perDomainRatePeriod: 1m}}");
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");
        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);

        Reverify r = ops.reverify(CacheKind.SENDER, JANE);

        assertThat(r).isInstanceOfSatisfying(Reverify.Refused.class, f -> assertThat(f.why()).contains("example.org"));
        assertThat(mx.connections()).isEqualTo(1);
    }

    @Test
    void verify_again_is_refused_while_sender_verification_is_off() {
        VerificationOperations ops = ops("verification: {enabled: false}");

        assertThat(ops.reverify(CacheKind.SENDER, JANE))
                .isEqualTo(new Reverify.Refused("sender verification is off (verification.enabled: false)"));
        assertThat(ops.profileTtl()).isEqualTo(rig.config.verification().cache().profileTtl());
    }

    @Test
    void forget_deletes_the_cached_verdict_so_the_next_mail_probes_again() throws Exception {
        VerificationOperations ops = ops(null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");
        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        rig.awaitIdle();

        assertThat(ops.forget(CacheKind.SENDER, JANE)).isTrue();
        assertThat(ops.forget(CacheKind.SENDER, JANE)).isFalse();
        assertThat(rig.cached(JANE)).isEmpty();

        assertThat(rig.check(JANE)).isEqualTo(Verdict.CONTINUE);
        assertThat(mx.connections()).isEqualTo(2);
    }

    @Test
    void verify_again_asks_the_downstream_about_a_recipient_afresh() throws Exception {
        VerificationOperations ops = ops("recipientVerification: {enabled: true}");
        rig.downstream.replyToRecipient("john@example.com", "550 5.1.1 <john@example.com>: no such user");

        assertThat(ops.reverify(CacheKind.RECIPIENT, "John@Example.com")).isEqualTo(new Reverify.Started());
        rig.await(() -> !rig.probes(ProbeQuery.newest(5).withKind(CacheKind.RECIPIENT)).isEmpty());

        ProbeRecord r = rig.probes(ProbeQuery.newest(5).withKind(CacheKind.RECIPIENT)).getFirst();
        assertThat(r.origin()).isEqualTo("ADMIN");
        assertThat(r.address()).isEqualTo("john@example.com");
        assertThat(r.outcome()).isEqualTo("UNDELIVERABLE");
        assertThat(new VerificationCache(rig.database).find(CacheKind.RECIPIENT, "john@example.com"))
                .hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(CacheStatus.INVALID));
    }
}
