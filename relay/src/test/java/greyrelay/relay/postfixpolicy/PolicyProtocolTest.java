package greyrelay.relay.postfixpolicy;

import static greyrelay.relay.testing.Examples.CLIENT_IP;
import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JOHN;
import static greyrelay.relay.testing.Examples.MARY;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionQuery;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.testing.PolicyClient;
import greyrelay.relay.testing.RelayHarness;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy protocol over real sockets, against a policy-only relay ({@code smtp.enabled: false}) with greylisting on
 * and an injected clock: the answers Postfix would get, the message ({@code instance}) tying recipients together, the
 * null sender at END-OF-MESSAGE, every action, and each malformed form answered {@code policy.onError} and closed
 * while the listener keeps serving. Each test uses its own sender, so triplets never collide. SPF is off here (its
 * {@code Received-SPF} would be prepended too); {@code PolicyChecksTest} has it.
 */
class PolicyProtocolTest {
    static final String ON_ERROR = "DEFER_IF_PERMIT Service temporarily unavailable";

    @TempDir
    static Path dir;

    static RelayHarness h;
    static final AtomicInteger senders = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        h = RelayHarness.start(dir, """
                smtp:
                  enabled: false
                policy:
                  enabled: true
                  port: 0
                greylist:
                  autoWhitelistAfter: 0
                spf:
                  enabled: false
                """);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String sender() {
        return "jane" + senders.incrementAndGet() + "@example.org";
    }

    static String defer(long seconds) {
        return "DEFER_IF_PERMIT " + Replies.greylisted(seconds).message();
    }

    static PolicyClient client() throws Exception {
        return PolicyClient.open(h.relay.policyPort());
    }

    static Map<String, String> rcpt(String instance, String sender, String recipient) {
        return PolicyClient.rcpt(instance, CLIENT_IP, HELO, sender, recipient);
    }

    @Test
    void a_policy_only_node_has_no_smtp_listener() {
        assertThat(h.relay.smtpPort()).isEqualTo(-1);
        assertThat(h.relay.policyPort()).isPositive();
        assertThat(h.relay.health().smtpListening()).isTrue();
    }

    @Test
    void greylisting_end_to_end_defers_then_passes_with_prepend_x_greylist_then_dunno() throws Exception {
        String jane = sender();
        try (var c = client()) {
            assertThat(c.ask(rcpt("i1", jane, JOHN))).isEqualTo(defer(300));
            h.clock.advance(Duration.ofSeconds(100));
            assertThat(c.ask(rcpt("i2", jane, JOHN))).isEqualTo(defer(200));
            h.clock.advance(Duration.ofSeconds(201));
            assertThat(c.ask(rcpt("i3", jane, JOHN)))
                    .startsWith("PREPEND X-Greylist: delayed 301 seconds by greyrelay-")
                    .containsPattern("\\(mx\\.example\\.com\\); \\w{3}, \\d{1,2} \\w{3} 2026 \\d\\d:\\d\\d:\\d\\d \\+0000$");
            assertThat(c.ask(rcpt("i4", jane, JOHN))).isEqualTo("DUNNO");
        }
        List<DecisionRecord> rows = decisions(jane);
        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.origin()).isEqualTo("policy"));
        assertThat(rows).filteredOn(r -> r.checkName().equals("greylist")).hasSize(2)
                .allSatisfy(r -> assertThat(r.replyCode()).isEqualTo(451));
        assertThat(rows).filteredOn(r -> r.checkName().equals("policy")).hasSize(2)
                .anySatisfy(r -> assertThat(r.reason()).contains("greylist: passed after 301 s"));
    }

    @Test
    void many_requests_on_one_connection_and_the_recipients_of_one_message_share_its_instance() throws Exception {
        String jane = sender();
        try (var c = client()) {
            assertThat(c.ask(rcpt("m1", jane, JOHN))).isEqualTo(defer(300));
            assertThat(c.ask(rcpt("m1", jane, MARY))).isEqualTo(defer(300));
            h.clock.advance(Duration.ofSeconds(400));
            // the retry: one message, two recipients; the header is prepended once per message
            assertThat(c.ask(rcpt("m2", jane, JOHN))).startsWith("PREPEND X-Greylist: delayed 400 seconds");
            assertThat(c.ask(rcpt("m2", jane, MARY))).isEqualTo("DUNNO");
            assertThat(c.ask(PolicyClient.endOfMessage("m2", CLIENT_IP, HELO, jane, 2))).isEqualTo("DUNNO");
            // the next message on the same connection is a new transaction
            assertThat(c.ask(rcpt("m3", jane, "bob@example.com"))).isEqualTo(defer(300));
        }
        List<DecisionRecord> passed = decisions(jane).stream().filter(r -> r.checkName().equals("policy")).toList();
        assertThat(passed).hasSize(2);
        assertThat(passed.get(0).transactionId()).isEqualTo(passed.get(1).transactionId()).contains("m2");
    }

    @Test
    void the_null_sender_passes_at_rcpt_and_is_greylisted_at_end_of_message() throws Exception {
        try (var c = client()) {
            String client = "192.0.2.55";
            assertThat(c.ask(PolicyClient.rcpt("n1", client, HELO, "", JOHN))).isEqualTo("DUNNO");
            assertThat(c.ask(PolicyClient.endOfMessage("n1", client, HELO, "", 1))).isEqualTo(defer(300));
            h.clock.advance(Duration.ofSeconds(301));
            assertThat(c.ask(PolicyClient.rcpt("n2", client, HELO, "", JOHN))).isEqualTo("DUNNO");
            // passed; Postfix cannot PREPEND at end of data, so no header here
            assertThat(c.ask(PolicyClient.endOfMessage("n2", client, HELO, "", 1))).isEqualTo("DUNNO");
        }
    }

    @Test
    void a_reject_is_the_contracts_5xx_reply() throws Exception {
        try (var c = client()) {
            assertThat(c.ask(PolicyClient.rcpt("r1", CLIENT_IP, "mx.example.com", sender(), JOHN)))
                    .isEqualTo(Replies.heloIsOurs("mx.example.com").line());
        }
    }

    @Test
    void other_protocol_states_are_dunno_and_an_unusable_client_address_is_on_error_on_an_open_connection() throws Exception {
        try (var c = client()) {
            var helo = rcpt("h1", sender(), JOHN);
            helo.put("protocol_state", "HELO");
            assertThat(c.ask(helo)).isEqualTo("DUNNO");
            assertThat(c.ask(PolicyClient.rcpt("h2", "not-an-ip", HELO, sender(), JOHN))).isEqualTo(ON_ERROR);
            assertThat(c.ask(rcpt("h3", sender(), JOHN))).startsWith("DEFER_IF_PERMIT 4.7.1 Greylisted");
        }
    }

    @Test
    void a_request_without_request_attribute_is_answered_on_error_and_closed() throws Exception {
        try (var c = client()) {
            var a = rcpt("x1", sender(), JOHN);
            a.remove("request");
            assertThat(c.ask(a)).isEqualTo(ON_ERROR);
            assertThat(c.closedByServer()).isTrue();
        }
        stillServes();
    }

    @Test
    void a_request_cut_off_without_its_empty_line_gets_no_answer_and_harms_nothing() throws Exception {
        try (var c = client()) {
            c.send("request=smtpd_access_policy\nprotocol_state=RCPT\nclient_address=192.0.2.10\n".getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            assertThat(c.readAction()).isNull();
        }
        stillServes();
    }

    @Test
    void a_one_megabyte_line_is_answered_on_error_and_closed() throws Exception {
        byte[] line = ("request=" + "a".repeat(1 << 20) + "\n\n").getBytes(StandardCharsets.US_ASCII);
        assertMalformed(line);
    }

    @Test
    void binary_is_answered_on_error_and_closed() throws Exception {
        byte[] junk = new byte[64 * 1024];
        new Random(13).nextBytes(junk);
        junk[0] = 0; // at least one NUL, early
        assertMalformed(junk);
    }

    @Test
    void ten_thousand_attributes_are_answered_on_error_and_closed() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("request=smtpd_access_policy\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 10_000; i++) b.writeBytes(("a" + i + "=x\n").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes("\n".getBytes(StandardCharsets.US_ASCII));
        assertMalformed(b.toByteArray());
    }

    /** Sends the bytes (from another thread: the server answers before reading them all), expects onError, then EOF. */
    static void assertMalformed(byte[] bytes) throws Exception {
        try (var c = client()) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.send(bytes);
                } catch (java.io.IOException ignored) {
                    // the server may close before taking everything: that is the point
                }
            });
            assertThat(c.readAction()).isEqualTo(ON_ERROR);
            assertThat(c.closedByServer()).isTrue();
            writer.join(10_000);
        }
        stillServes();
    }

    /** A fresh connection still gets a real answer. */
    static void stillServes() throws Exception {
        try (var c = client()) {
            assertThat(c.ask(rcpt("ok", sender(), JOHN))).startsWith("DEFER_IF_PERMIT 4.7.1 Greylisted");
        }
    }

    static List<DecisionRecord> decisions(String sender) {
        h.relay.decisions().flush();
        return new DecisionLog(h.relay.database()).search(DecisionQuery.newest(100).withSenderContains(sender)).reversed();
    }
}
