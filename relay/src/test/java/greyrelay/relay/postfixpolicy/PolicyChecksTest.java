package greyrelay.relay.postfixpolicy;

import static greyrelay.relay.testing.Examples.CLIENT_IP;
import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionQuery;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.testing.PolicyClient;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.ScriptedMx;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sender verification and SPF through the policy path, against the fake DNS and scripted MX servers, on a node that
 * runs both listeners in one process, with {@code policy.deferAction: reply} (the contract's exact 4xx) and
 * {@code policy.onError: DUNNO}. Greylisting is off, so the other checks answer.
 */
class PolicyChecksTest {
    @TempDir
    static Path dir;

    static final Map<String, ScriptedMx> mxByIp = new ConcurrentHashMap<>();
    static final List<ScriptedMx> servers = new ArrayList<>();
    static final Map<String, ScriptedMx> mxByDomain = new ConcurrentHashMap<>();
    static final AtomicInteger domains = new AtomicInteger();
    static RelayHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = RelayHarness.start(dir, """
                policy:
                  enabled: true
                  port: 0
                  deferAction: reply
                  onError: DUNNO
                greylist:
                  enabled: false
                verification:
                  enabled: true
                  maxWait: 3s
                  timeouts: {inlineConnect: 500ms, inlineReply: 1s, backgroundConnect: 1s, backgroundReply: 2s}
                """, ScriptedMx.routing(mxByIp));
        h.dns.txt("spf-pass.example.org", "v=spf1 ip4:192.0.2.0/24 -all")
                .txt("spf-fail.example.org", "v=spf1 ip4:198.51.100.0/24 -all");
    }

    @AfterAll
    static void stop() {
        h.close();
        servers.forEach(ScriptedMx::close);
    }

    /** A fresh sender domain with its own scripted MX (and, when given, an SPF record). */
    static String domain(String spf) {
        int n = domains.incrementAndGet();
        String domain = "p" + n + ".example.org";
        String ip = "192.0.2." + (100 + n);
        ScriptedMx mx = ScriptedMx.start();
        servers.add(mx);
        mxByIp.put(ip, mx);
        mxByDomain.put(domain, mx);
        h.dns.mx(domain, 10, "mx." + domain).a("mx." + domain, ip);
        if (spf != null) h.dns.txt(domain, spf);
        return domain;
    }

    static String ask(String instance, String sender) throws Exception {
        try (var c = PolicyClient.open(h.relay.policyPort())) {
            return c.ask(PolicyClient.rcpt(instance, CLIENT_IP, HELO, sender, JOHN));
        }
    }

    @Test
    void a_verified_sender_with_spf_pass_gets_prepend_received_spf() throws Exception {
        String jane = "jane@" + domain("v=spf1 ip4:192.0.2.0/24 -all");
        assertThat(ask("v1", jane)).startsWith("PREPEND Received-SPF: pass (mx.example.com: domain of " + jane);
        assertThat(mxByDomain.get(jane.substring(5)).saw("RCPT TO:<" + jane + ">")).as("the sender was verified").isTrue();
    }

    @Test
    void the_next_recipient_of_the_message_gets_prepend_authentication_results_as_the_smtp_listener_writes_it() throws Exception {
        String jane = "jane@" + domain("v=spf1 ip4:192.0.2.0/24 -all");
        try (var c = PolicyClient.open(h.relay.policyPort())) {
            assertThat(c.ask(PolicyClient.rcpt("ar1", CLIENT_IP, HELO, jane, JOHN))).startsWith("PREPEND Received-SPF: pass ");
            assertThat(c.ask(PolicyClient.rcpt("ar1", CLIENT_IP, HELO, jane, "mary@example.com")))
                    .isEqualTo("PREPEND Authentication-Results: mx.example.com; spf=pass smtp.mailfrom=" + jane);
            assertThat(c.ask(PolicyClient.rcpt("ar1", CLIENT_IP, HELO, jane, "paul@example.com"))).as("each header once")
                    .isEqualTo("DUNNO");
        }
    }

    @Test
    void a_sender_whose_mx_refuses_the_mailbox_gets_the_contracts_451_with_defer_action_reply() throws Exception {
        String d = domain(null);
        String jane = "jane@" + d;
        mxByDomain.get(d).rejectRecipient(jane);
        assertThat(ask("v2", jane)).isEqualTo(Replies.senderUndeliverableTemporarily(jane).line());
        h.relay.decisions().flush();
        List<DecisionRecord> rows = new DecisionLog(h.relay.database())
                .search(DecisionQuery.newest(10).withSenderContains(jane));
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.checkName()).isEqualTo("sender-verification");
            assertThat(r.origin()).isEqualTo("policy");
            assertThat(r.replyCode()).isEqualTo(451);
        });
    }

    @Test
    void spf_fail_is_the_contracts_550() throws Exception {
        assertThat(ask("s1", "jane@spf-fail.example.org")).isEqualTo(Replies.spfFail("jane@spf-fail.example.org").line());
    }

    @Test
    void the_smtp_listener_runs_beside_it_and_its_decisions_are_marked_smtp() throws Exception {
        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<jane@spf-fail.example.org>").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(Replies.spfFail("jane@spf-fail.example.org").line());
        }
        h.relay.decisions().flush();
        List<DecisionRecord> rows = new DecisionLog(h.relay.database())
                .search(DecisionQuery.newest(10).withSenderContains("jane@spf-fail.example.org"));
        assertThat(rows).extracting(DecisionRecord::origin).contains("smtp");
    }

    @Test
    void an_undecidable_request_is_answered_with_on_error_dunno() throws Exception {
        try (var c = PolicyClient.open(h.relay.policyPort())) {
            assertThat(c.ask(PolicyClient.rcpt("e1", "not-an-ip", HELO, "jane@spf-pass.example.org", JOHN))).isEqualTo("DUNNO");
        }
    }
}
