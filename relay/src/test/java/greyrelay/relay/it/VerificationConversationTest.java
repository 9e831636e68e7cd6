package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionQuery;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.ProbeLog;
import greyrelay.db.verify.ProbeQuery;
import greyrelay.db.verify.VerificationCache;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Transaction;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.ScriptedMx;
import greyrelay.relay.testing.SmtpConversation;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Callback and recipient verification through SMTP, end to end: a whole relay on port 0, the fake DNS, scripted MX
 * servers for the sender domains (routed by their documentation addresses), the downstream sink. Greylisting is off.
 * One relay for the class; each test uses its own sender domain and MX, so verdicts cached by one test never answer
 * another.
 */
class VerificationConversationTest {

    static String yaml(String mode) {
        return """
                greylist:
                  enabled: false
                verification:
                  enabled: true
                  mode: %s
                  maxWait: 3s
                  timeouts: {inlineConnect: 500ms, inlineReply: 1s, backgroundConnect: 1s, backgroundReply: 2s}
                recipientVerification:
                  enabled: true
                  timeout: 2s
                """.formatted(mode);
    }

    @TempDir
    static Path dir;

    static final Map<String, ScriptedMx> mxByIp = new ConcurrentHashMap<>();
    static final List<ScriptedMx> servers = new ArrayList<>();
    static final AtomicInteger domains = new AtomicInteger();
    static RelayHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = RelayHarness.start(dir, yaml("enforce"), ScriptedMx.routing(mxByIp));
    }

    @AfterAll
    static void stop() {
        h.close();
        servers.forEach(ScriptedMx::close);
    }

    /** A fresh sender domain (sN.example.org) with its own scripted MX. */
    static String[] senderDomain(RelayHarness relay) {
        int n = domains.incrementAndGet();
        String domain = "s" + n + ".example.org";
        String ip = "192.0.2." + n;
        ScriptedMx mx = ScriptedMx.start();
        servers.add(mx);
        mxByIp.put(ip, mx);
        relay.dns.mx(domain, 10, "mx." + domain).a("mx." + domain, ip);
        return new String[] {domain, ip};
    }

    static ScriptedMx mx(String[] domain) {
        return mxByIp.get(domain[1]);
    }

    static SmtpConversation session(RelayHarness relay) throws Exception {
        SmtpConversation c = relay.connect();
        c.expect(220);
        c.ehlo(HELO);
        return c;
    }

    static List<DecisionRecord> decisions(RelayHarness relay, String check, String sender) {
        relay.relay.decisions().flush();
        return new DecisionLog(relay.relay.database()).search(DecisionQuery.newest(100).withSenderContains(sender)).stream()
                .filter(d -> d.checkName().equals(check)).toList();
    }

    @Test
    void a_verified_sender_and_a_known_recipient_are_accepted_and_the_mail_is_delivered() throws Exception {
        String[] d = senderDomain(h);
        String jane = "jane@" + d[0];
        try (var c = session(h)) {
            c.send("MAIL FROM:<" + jane + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(Examples.message("verified")).code()).isEqualTo(250);
            c.send("QUIT").expect(221);
        }
        h.deliverDue();

        assertThat(h.downstream.received()).anyMatch(r -> r.sender().equals(jane) && r.recipients().contains(JOHN));
        assertThat(mx(d).commands(0)).containsExactly("EHLO mx.example.com", "MAIL FROM:<>", "RCPT TO:<" + jane + ">", "RSET", "QUIT");
        assertThat(mx(d).saw("DATA")).isFalse();
        // the probe history is written behind, in batches: the row comes within milliseconds
        ProbeLog history = new ProbeLog(h.relay.database());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> history.count(ProbeQuery.newest(1).withDomain(d[0]).withCacheHit(false)) > 0);
        assertThat(history.count(ProbeQuery.newest(1).withDomain(d[0]).withCacheHit(false))).isEqualTo(1);
    }

    @Test
    void a_sender_whose_mx_refuses_the_mailbox_gets_451_4_1_7_at_rcpt() throws Exception {
        String[] d = senderDomain(h);
        String jane = "jane@" + d[0];
        mx(d).rejectRecipient(jane);
        try (var c = session(h)) {
            c.send("MAIL FROM:<" + jane + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(Replies.senderUndeliverableTemporarily(jane).line());
        }
        assertThat(decisions(h, "sender-verification", jane)).singleElement().satisfies(r -> {
            assertThat(r.replyCode()).isEqualTo(451);
            assertThat(r.recipient()).isEqualTo(JOHN);
            assertThat(r.observe()).isFalse();
        });
    }

    @Test
    void a_retry_is_answered_from_the_cache_without_a_second_probe() throws Exception {
        String[] d = senderDomain(h);
        String jane = "jane@" + d[0];
        mx(d).rejectRecipient(jane);
        for (int attempt = 0; attempt < 2; attempt++) {
            try (var c = session(h)) {
                c.send("MAIL FROM:<" + jane + ">").expect(250);
                c.send("RCPT TO:<" + JOHN + ">").expect(Replies.senderUndeliverableTemporarily(jane).line());
            }
        }
        assertThat(mx(d).connections()).isEqualTo(1);
    }

    @Test
    void the_greylisting_hook_prefetches_and_the_retry_is_answered_from_the_cache() throws Exception {
        String[] d = senderDomain(h);
        String jane = "jane@" + d[0];
        mx(d).rejectRecipient(jane);

        // what GreylistCheck.FirstSight does when a triplet is first greylisted (the lead wires it)
        h.relay.verification().prefetch(rcpt(jane));
        VerificationCache cache = new VerificationCache(h.relay.database());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (cache.find(CacheKind.SENDER, jane).isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(mx(d).connections()).isEqualTo(1);

        try (var c = session(h)) {
            c.send("MAIL FROM:<" + jane + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(Replies.senderUndeliverableTemporarily(jane).line());
        }
        assertThat(mx(d).connections()).as("the retry was answered from the cache").isEqualTo(1);
    }

    static PolicyRequest.Rcpt rcpt(String sender) throws Exception {
        SessionFacts facts = new SessionFacts("hook", InetAddress.getByName(Examples.CLIENT_IP), 40000, Optional.of(HELO), false,
                h.clock.instant());
        Transaction tx = new Transaction("hook.1", new Sender.Address(Mailbox.parse(sender).orElseThrow()), OptionalLong.empty());
        return new PolicyRequest.Rcpt(facts, new SessionNotes(), tx, JOHN, Mailbox.parse(JOHN).orElseThrow(),
                EnumSet.noneOf(greyrelay.relay.policy.Exemption.class));
    }

    @Test
    void an_unknown_recipient_downstream_gets_550_5_1_1_before_the_sender_is_probed() throws Exception {
        String[] d = senderDomain(h);
        h.downstream.replyToRecipient("nobody@example.com", "550 5.1.1 no such user");
        try (var c = session(h)) {
            c.send("MAIL FROM:<jane@" + d[0] + ">").expect(250);
            c.send("RCPT TO:<nobody@example.com>").expect(Replies.userUnknown("nobody@example.com").line());
        }
        assertThat(mx(d).connections()).isZero();
    }

    @Test
    void sender_domains_without_mail_are_refused_at_rcpt() throws Exception {
        h.dns.nxdomain("gone.example").nullMx("nomail.example");
        try (var c = session(h)) {
            c.send("MAIL FROM:<jane@gone.example>").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(Replies.senderDomainNotFound("jane@gone.example").line());
            c.send("RSET").expect(250);
            c.send("MAIL FROM:<bob@nomail.example>").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(Replies.senderNullMx("bob@nomail.example").line());
        }
    }

    @ParameterizedTest(name = "{0}")
    // "jane"@ is not here: it is the same mailbox as jane@ and probed as that (ProbeBudgetsTest)
    @ValueSource(strings = {"jane\u0000@", "jane\r@", "jane\nRCPT TO:<victim@example.net>\r\nX@", "jane doe@", "\"jane doe\"@",
            "jane\t@"})
    void sender_addresses_with_control_characters_quotes_or_spaces_never_reach_the_mx(String local) throws Exception {
        String[] d = senderDomain(h);
        try (var c = session(h)) {
            c.raw(("MAIL FROM:<" + local + d[0] + ">\r\n").getBytes(StandardCharsets.UTF_8));
            List<Integer> codes = new ArrayList<>();
            try {
                codes.add(c.read().code());
                if (codes.get(0) == 250) {
                    c.send("RCPT TO:<" + JOHN + ">");
                    codes.add(c.read().code());
                }
            } catch (IOException closed) {
                codes.add(-1); // the relay hung up on it: also fine, nothing was probed
            }
            assertThat(codes).as("MAIL (and RCPT) replies").doesNotContain(550);
        }
        assertThat(mx(d).connections()).isZero();
    }

    @Test
    void observe_mode_records_the_would_be_answer_and_lets_the_mail_through(@TempDir Path own) throws Exception {
        try (RelayHarness observing = RelayHarness.start(own, yaml("observe"), ScriptedMx.routing(mxByIp))) {
            String[] d = senderDomain(observing);
            String jane = "jane@" + d[0];
            mx(d).rejectRecipient(jane);
            try (var c = session(observing)) {
                c.send("MAIL FROM:<" + jane + ">").expect(250);
                c.send("RCPT TO:<" + JOHN + ">").expect(250);
                assertThat(c.data(Examples.message("observed")).code()).isEqualTo(250);
            }
            assertThat(decisions(observing, "sender-verification", jane)).singleElement().satisfies(r -> {
                assertThat(r.observe()).isTrue();
                assertThat(r.replyCode()).isEqualTo(451);
                assertThat(r.replyText()).contains("4.1.7");
            });
        }
    }
}
