package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.verify.ProbeQuery;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.testing.ScriptedMx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe budgets an attacker's DNS could otherwise turn against us or a victim, over real sockets: the overall
 * deadline of a probe, the per-address cap, the slots kept for inline probes, and senders that cannot go on the wire.
 */
class ProbeBudgetsTest {
    @TempDir
    Path dir;
    VerifyRig rig;

    @AfterEach
    void stop() {
        if (rig != null) rig.close();
    }

    static Mailbox mailbox(String address) {
        return Mailbox.parse(address).orElseThrow();
    }

    void prefetch(String address) {
        rig.verifier().prefetch(mailbox(address), new SenderVerifier.Context("bg-" + address, new SessionNotes()));
    }

    @Test
    void a_slow_drip_mx_cannot_hold_a_background_probe_past_its_overall_deadline() {
        rig = new VerifyRig(dir, "verification: {timeouts: {backgroundReply: 20s, probeTotal: 1s}}");
        ScriptedMx drip = rig.mx("slow.example", "192.0.2.30");
        // each reply comes within the per-reply deadline; all of them together take about 6 s
        drip.greeting(new ScriptedMx.Action.Drip("220 mx.slow.example ESMTP\r\n", Duration.ofMillis(100)))
                .on("EHLO", new ScriptedMx.Action.Drip("250 mx.slow.example\r\n", Duration.ofMillis(100)))
                .on("MAIL", new ScriptedMx.Action.Drip("250 2.1.0 Ok\r\n", Duration.ofMillis(100)));

        prefetch("jane@slow.example");
        rig.awaitIdle();

        List<ProbeRecord> history = rig.probes(ProbeQuery.newest(5).withAddressContains("jane@slow.example"));
        assertThat(history).extracting(ProbeRecord::outcome).containsExactly("TEMPFAIL");
        assertThat(history.getFirst().replyText()).contains("verification.timeouts.probeTotal");
        assertThat(history.getFirst().durationMs()).isLessThan(3000);
        assertThat(drip.allCommands()).noneMatch(c -> c.startsWith("RCPT"));
    }

    @Test
    void many_host_names_on_one_address_stay_within_the_per_address_cap() {
        rig = new VerifyRig(dir, "verification: {budget: {perAddressConcurrency: 2}, timeouts: {backgroundReply: 20s, probeTotal: 30s}}");
        ScriptedMx victim = ScriptedMx.start().tarpit();
        rig.servers.add(victim);
        rig.mxByIp.put("192.0.2.50", victim);
        for (int i = 0; i < 6; i++) rig.dns.mx("d" + i + ".example", 10, "mx.d" + i + ".example").a("mx.d" + i + ".example", "192.0.2.50");

        for (int i = 0; i < 6; i++) prefetch("x@d" + i + ".example");
        rig.await(() -> victim.connections() == 2 && rig.verifier().inProgress() == 2);

        assertThat(victim.maxOpenConnections()).isEqualTo(2);
        assertThat(rig.counter("greyrelay.verify.budget.refusals", "scope", "address")).isEqualTo(4);
        assertThat(rig.probes(ProbeQuery.newest(10).withOutcome("THROTTLED"))).hasSize(4);
    }

    @Test
    void a_flood_of_fresh_tarpit_domains_in_the_background_leaves_a_legitimate_inline_probe_its_slot() {
        rig = new VerifyRig(dir, """
                verification:
                  budget: {maxConcurrent: 3, reservedInline: 1, perConnection: 100}
                  timeouts: {backgroundReply: 20s, probeTotal: 30s}
                """);
        ScriptedMx tarpit = ScriptedMx.start().tarpit();
        rig.servers.add(tarpit);
        for (int i = 0; i < 8; i++) {
            String ip = "198.51.100." + (10 + i);
            rig.dns.mx("t" + i + ".example", 10, "mx.t" + i + ".example").a("mx.t" + i + ".example", ip);
            rig.mxByIp.put(ip, tarpit);
        }
        ScriptedMx legit = rig.mx("example.org", "192.0.2.1");

        for (int i = 0; i < 8; i++) prefetch("x@t" + i + ".example");
        rig.await(() -> tarpit.openConnections() == 2 && rig.verifier().inProgress() == 8);

        assertThat(rig.check("jane@example.org")).isEqualTo(Verdict.CONTINUE);
        assertThat(legit.connections()).isEqualTo(1);
        assertThat(tarpit.maxOpenConnections()).as("background probes never took the kept slot").isEqualTo(2);
    }

    @Test
    void a_quoted_local_part_equal_to_a_dot_atom_is_probed_in_its_plain_form() {
        rig = new VerifyRig(dir, null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");

        assertThat(rig.check("\"jane.doe\"@example.org")).isEqualTo(Verdict.CONTINUE);

        assertThat(mx.commands(0)).contains("RCPT TO:<jane.doe@example.org>");
    }

    @Test
    void a_sender_that_cannot_go_on_the_wire_is_deferred_and_recorded_never_accepted_unverified() {
        rig = new VerifyRig(dir, null);
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");

        Verdict v = rig.check("\"j d\"@example.org");

        assertThat(v).isInstanceOfSatisfying(Verdict.Defer.class,
                d -> assertThat(d.reply()).isEqualTo(Replies.senderVerificationTempFail("\"j d\"@example.org")));
        assertThat(mx.connections()).isZero();
        assertThat(rig.probes(ProbeQuery.newest(5).withOutcome("UNPROBEABLE"))).singleElement()
                .satisfies(r -> assertThat(r.replyText()).contains("cannot be probed as written"));
    }

    @Test
    void with_unprobeable_accept_such_a_sender_is_accepted_unverified_and_still_recorded() {
        rig = new VerifyRig(dir, "verification: {unprobeable: accept}");
        ScriptedMx mx = rig.mx("example.org", "192.0.2.1");

        assertThat(rig.check("\"x@y\"@example.org")).isEqualTo(Verdict.CONTINUE);

        assertThat(mx.connections()).isZero();
        assertThat(rig.probes(ProbeQuery.newest(5).withOutcome("UNPROBEABLE"))).hasSize(1);
    }
}
