package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionQuery;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.ScriptedMx;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vouching (issue 18) over SMTP: a flood of forged senders of {@value #Y} from hosts outside its SPF record freezes
 * probes to it; meanwhile its real mail, from its SPF host or from a network its verified mail came from before, is
 * accepted without a probe, and everyone else still gets {@code 451 4.4.5}. Fake DNS (Y's MX and SPF record), a
 * scripted MX for Y that refuses the forged mailboxes, the test clock.
 */
class VouchingConversationTest {
    static final String Y = "y.example.org";
    static final String MX_IP = "192.0.2.53";
    /** Y's published SPF host. */
    static final String SPF_HOST = "198.51.100.7";
    /** A host Y never authorised, on no network that sent verified mail of Y. */
    static final String UNLISTED = "198.18.0.5";
    /** A network that delivers Y's verified mail (an outsourced mailer not in Y's SPF record). */
    static final String KNOWN_HOST = "192.0.2.10";
    static final String KNOWN_NET_OTHER_HOST = "192.0.2.99";
    static final int FLOOD = 1000;

    @TempDir
    Path dir;

    /** @param verification more {@code verification.*} lines, indented by two */
    static String yaml(String verification) {
        return "smtp: {proxyProtocol: true, maxRecipients: 1000}\n"
                + "greylist: {enabled: false}\n"
                + "verification:\n"
                + "  enabled: true\n"
                + verification
                + "  maxWait: 3s\n"
                + "  budget: {perConnection: 1000}\n"
                + "  timeouts: {inlineConnect: 500ms, inlineReply: 1s, backgroundConnect: 1s, backgroundReply: 2s}\n"
                + "recipientVerification: {enabled: false}\n";
    }

    /** Y with an MX that refuses every "forged-" mailbox and an SPF record naming only {@link #SPF_HOST}. */
    static ScriptedMx domainY(RelayHarness h, Map<String, ScriptedMx> mxByIp) {
        ScriptedMx mx = ScriptedMx.start().on("RCPT", line -> line.contains("<forged-"),
                new ScriptedMx.Action.Reply("550 5.1.1 User unknown"), Integer.MAX_VALUE);
        mxByIp.put(MX_IP, mx);
        h.dns.mx(Y, 10, "mx." + Y).a("mx." + Y, MX_IP).txt(Y, "v=spf1 ip4:" + SPF_HOST + " ~all");
        return mx;
    }

    /** One transaction from {@code clientIp}; DATA when the recipient was accepted. */
    static SmtpConversation.Reply send(RelayHarness h, String clientIp, String sender) throws Exception {
        try (SmtpConversation c = SmtpConversation.openAs(clientIp, h.smtpPort())) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + sender + ">").expect(250);
            SmtpConversation.Reply r = c.send("RCPT TO:<" + JOHN + ">").read();
            if (r.code() == 250) assertThat(c.data(Examples.message("from " + sender)).code()).isEqualTo(250);
            return r;
        }
    }

    /** {@value #FLOOD} forged senders of Y from 20 hosts outside its SPF record, 50 transactions per connection. */
    static void flood(RelayHarness h) throws Exception {
        int n = 0;
        for (int host = 1; host <= 20; host++) {
            try (SmtpConversation c = SmtpConversation.openAs("203.0.113." + host, h.smtpPort())) {
                c.expect(220);
                c.ehlo("forger" + host + ".example.net");
                for (int i = 0; i < FLOOD / 20; i++, n++) {
                    c.send("MAIL FROM:<forged-" + n + "@" + Y + ">").expect(250);
                    assertThat(c.send("RCPT TO:<" + JOHN + ">").read().code()).as("forged sender %d", n).isGreaterThanOrEqualTo(400);
                    c.send("RSET").expect(250);
                }
            }
        }
    }

    static List<DecisionRecord> queued(RelayHarness h, String sender) {
        h.relay.decisions().flush();
        return new DecisionLog(h.relay.database()).search(DecisionQuery.newest(10).withSenderContains(sender)).stream()
                .filter(d -> d.checkName().equals("queue")).toList();
    }

    static String tooMany() {
        return Replies.probeBudgetExhausted(Y).line();
    }

    @Test
    void during_a_forged_flood_the_domains_spf_host_and_known_network_are_vouched_for_and_others_wait() throws Exception {
        Map<String, ScriptedMx> mxByIp = new ConcurrentHashMap<>();
        try (RelayHarness h = RelayHarness.start(dir, yaml(""), ScriptedMx.routing(mxByIp));
                ScriptedMx mx = domainY(h, mxByIp)) {
            // before the flood: a verified sender of Y from an outsourced mailer teaches Y its network
            assertThat(send(h, KNOWN_HOST, "newsletter@" + Y).code()).isEqualTo(250);
            assertThat(mx.connections()).isEqualTo(1);

            flood(h);
            assertThat(h.relay.verification().isFrozen(Y)).as("the flood froze Y").isTrue();
            assertThat(new greyrelay.relay.admin.VerificationPanelOperations(h.relay.verification()).freeze(Y))
                    .as("the panel's domain page sees the freeze").hasValueSatisfying(f -> {
                        assertThat(f.until()).isEqualTo(h.clock.instant().plus(Duration.ofHours(1)));
                        assertThat(f.why()).contains("a burst of 50 distinct new local parts within 10m");
                    });
            int probesDuringFlood = mx.connections();
            assertThat(probesDuringFlood).as("probes to Y's MX within its budget (perDomainRate 20 + the first)")
                    .isLessThanOrEqualTo(21);

            for (int i = 0; i < 20; i++) {
                String real = "real-" + i + "@" + Y;
                assertThat(send(h, SPF_HOST, real).code()).as(real).isEqualTo(250);
            }
            for (int i = 0; i < 20; i++) {
                assertThat(send(h, UNLISTED, "other-" + i + "@" + Y).last()).isEqualTo(tooMany());
            }
            assertThat(send(h, KNOWN_NET_OTHER_HOST, "billing@" + Y).code()).as("known network").isEqualTo(250);
            assertThat(mx.connections()).as("vouching sent no probe").isEqualTo(probesDuringFlood);

            assertThat(queued(h, "real-3@" + Y)).singleElement().satisfies(d -> assertThat(d.reason()).contains("vouched by SPF"));
            assertThat(queued(h, "billing@" + Y)).singleElement()
                    .satisfies(d -> assertThat(d.reason()).contains("vouched by known network"));
            assertThat(h.relay.metrics().counter("greyrelay.verify.vouched", "reason", "spf").count()).isEqualTo(20);
            assertThat(h.relay.metrics().counter("greyrelay.verify.vouched", "reason", "known-network").count()).isEqualTo(1);

            // after the freeze, probing resumes: an unlisted host's sender is probed and accepted
            h.clock.advance(Duration.ofMinutes(61));
            assertThat(h.relay.verification().isFrozen(Y)).isFalse();
            assertThat(h.relay.verification().frozenUntil(Y)).isEmpty();
            assertThat(send(h, UNLISTED, "late@" + Y).code()).isEqualTo(250);
            assertThat(mx.connections()).isEqualTo(probesDuringFlood + 1);
            assertThat(queued(h, "late@" + Y)).singleElement().satisfies(d -> assertThat(d.reason()).doesNotContain("vouched"));
        }
    }

    @Test
    void vouch_empty_restores_the_451_for_the_domains_own_hosts() throws Exception {
        Map<String, ScriptedMx> mxByIp = new ConcurrentHashMap<>();
        try (RelayHarness h = RelayHarness.start(dir, yaml("  vouch: []\n"), ScriptedMx.routing(mxByIp));
                ScriptedMx mx = domainY(h, mxByIp)) {
            assertThat(send(h, KNOWN_HOST, "newsletter@" + Y).code()).isEqualTo(250);
            flood(h);
            assertThat(send(h, SPF_HOST, "real@" + Y).last()).isEqualTo(tooMany());
            assertThat(send(h, KNOWN_NET_OTHER_HOST, "billing@" + Y).last()).isEqualTo(tooMany());
        }
    }

    @Test
    void vouch_when_always_skips_the_probe_for_an_spf_pass_without_a_flood_and_greylisting_still_applies() throws Exception {
        Map<String, ScriptedMx> mxByIp = new ConcurrentHashMap<>();
        String yaml = yaml("  vouchWhen: always\n").replace("greylist: {enabled: false}",
                "greylist: {enabled: true, defaultWhitelist: false}");
        try (RelayHarness h = RelayHarness.start(dir, yaml, ScriptedMx.routing(mxByIp));
                ScriptedMx mx = domainY(h, mxByIp)) {
            assertThat(send(h, SPF_HOST, "real@" + Y).last()).isEqualTo(Replies.greylisted(300).line());
            h.clock.advance(Duration.ofMinutes(6));
            assertThat(send(h, SPF_HOST, "real@" + Y).code()).isEqualTo(250);
            assertThat(mx.connections()).as("no probe, not even ahead of the retry").isZero();
            assertThat(queued(h, "real@" + Y)).singleElement().satisfies(d -> assertThat(d.reason())
                    .contains("greylist: passed").contains("vouched by SPF (vouchWhen: always)"));

            // a sender from a host outside the SPF record is still probed
            assertThat(send(h, UNLISTED, "other@" + Y).last()).isEqualTo(Replies.greylisted(300).line());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> mx.connections() == 1);
        }
    }
}
