package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static greyrelay.relay.testing.Examples.MARY;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionQuery;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import greyrelay.db.whitelist.WhitelistStore;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Greylisting end to end over SMTP: a relay behind a PROXY-protocol front, so each test presents its own client
 * address; the clock is moved, never slept on. Client networks are /26 here so that each test has its own network
 * within the three documentation /24s (a trap hit blocks a whole network).
 */
class GreylistConversationTest {
    static final String TRAP = "spamtrap@example.com";

    @TempDir
    static Path dir;

    static RelayHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = RelayHarness.start(dir, """
                smtp:
                  proxyProtocol: true
                greylist:
                  ipv4Prefix: 26
                  spamtraps: [%s]
                verification:
                  enabled: false
                """.formatted(TRAP));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static SmtpConversation as(String ip) throws Exception {
        SmtpConversation c = SmtpConversation.openAs(ip, h.smtpPort());
        c.expect(220);
        c.ehlo(HELO);
        return c;
    }

    static DownstreamSink.Received delivered(String subject) {
        h.deliverDue();
        return h.downstream.received().stream().filter(r -> r.text().contains("Subject: " + subject + "\r\n")).findFirst()
                .orElseThrow(() -> new AssertionError("not delivered: " + subject));
    }

    static List<DecisionRecord> decisionsFor(String recipient) {
        h.relay.decisions().flush();
        return new DecisionLog(h.relay.database()).search(DecisionQuery.newest(50).withRecipientContains(recipient));
    }

    @Test
    void first_attempt_is_greylisted_an_early_retry_waits_on_and_the_retry_after_the_delay_is_delivered_with_x_greylist()
            throws Exception {
        String rcpt = "greylist-e2e@example.com";
        try (var c = as("192.0.2.10")) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect("451 4.7.1 Greylisted, please try again in 300 seconds");
            c.send("QUIT").expect(221);
        }
        h.clock.advance(Duration.ofSeconds(120));
        try (var c = as("192.0.2.40")) { // same /26, another server of the same sender
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect("451 4.7.1 Greylisted, please try again in 180 seconds");
        }
        h.clock.advance(Duration.ofSeconds(240));
        Instant retryAt = h.clock.instant();
        try (var c = as("192.0.2.10")) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect(250);
            assertThat(c.data(Examples.message("greylisted-then-passed")).code()).isEqualTo(250);
            c.send("QUIT").expect(221);
        }

        String text = delivered("greylisted-then-passed").text();
        assertThat(text).contains("\r\nX-Greylist: delayed 360 seconds by greyrelay-dev (" + Examples.RELAY_HOSTNAME
                + "); Fri, 27 Nov 2026 " + retryAt.toString().substring(11, 19) + " +0000\r\n");
        assertThat(decisionsFor(rcpt)).extracting(d -> d.checkName() + " " + d.outcome() + " " + d.reason())
                .contains("queue ACCEPTED queued; greylist: passed after 360 s")
                .anyMatch(s -> s.startsWith("greylist DEFERRED greylisted: new triplet (192.0.2.0/26, jane@example.org, " + rcpt));
    }

    @Test
    void mail_that_was_not_delayed_carries_no_x_greylist() throws Exception {
        String rcpt = "known-triplet@example.com";
        try (var c = as("198.51.100.10")) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect(451);
        }
        h.clock.advance(Duration.ofMinutes(6));
        try (var c = as("198.51.100.10")) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect(250);
            c.data(Examples.message("first-pass"));
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect(250);
            assertThat(c.data(Examples.message("known-triplet")).code()).isEqualTo(250);
        }

        assertThat(delivered("known-triplet").text()).doesNotContain("X-Greylist");
    }

    @Test
    void an_ipv6_client_is_greylisted_by_its_64_network() throws Exception {
        try (var c = as("2001:db8:5:6::10")) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<ipv6-user@example.com>").expect(451);
        }
        h.clock.advance(Duration.ofMinutes(5));
        try (var c = as("2001:db8:5:6:ffff::25")) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<ipv6-user@example.com>").expect(250);
        }
    }

    @Test
    void the_null_sender_is_accepted_at_rcpt_deferred_at_the_end_of_data_and_the_session_goes_on() throws Exception {
        String rcpt = "bounce-target@example.com";
        try (var c = as("203.0.113.10")) {
            c.send("MAIL FROM:<>").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect(250);
            assertThat(c.data(Examples.message("bounce-1")).last()).isEqualTo(Replies.greylisted(300).line());
            // the session is still usable: a new transaction, and a plain command
            c.send("NOOP").expect(250);
            c.send("MAIL FROM:<>").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect(250);
            assertThat(c.data(Examples.message("bounce-2")).last()).isEqualTo("451 4.7.1 Greylisted, please try again in 300 seconds");
            c.send("QUIT").expect(221);
        }
        h.clock.advance(Duration.ofMinutes(10));
        try (var c = as("203.0.113.10")) {
            c.send("MAIL FROM:<>").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect(250);
            assertThat(c.data(Examples.message("bounce-3")).code()).isEqualTo(250);
        }
        assertThat(delivered("bounce-3").text()).contains("X-Greylist: delayed 600 seconds");
    }

    @Test
    void a_spamtrap_hit_blocks_the_client_network_for_everything() throws Exception {
        try (var c = as("192.0.2.130")) {
            c.send("MAIL FROM:<spammer@example.net>").expect(250);
            c.send("RCPT TO:<" + TRAP + ">").expect("451 4.7.1 Client host [192.0.2.130] temporarily blocked");
            c.send("RCPT TO:<" + JOHN + ">").expect("451 4.7.1 Client host [192.0.2.130] temporarily blocked");
        }
        try (var c = as("192.0.2.131")) {
            c.send("MAIL FROM:<>").expect(250);
            c.send("RCPT TO:<" + MARY + ">").expect("451 4.7.1 Client host [192.0.2.131] temporarily blocked");
            c.send("RCPT TO:<postmaster@example.com>").expect(250); // role recipients still reach us
        }
    }

    @Test
    void a_null_sender_probe_to_a_trap_does_not_block() throws Exception {
        try (var c = as("198.51.100.200")) {
            c.send("MAIL FROM:<>").expect(250);
            c.send("RCPT TO:<" + TRAP + ">").expect(250);
            c.send("RSET").expect(250);
            c.send("QUIT").expect(221);
        }
        try (var c = as("198.51.100.200")) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<probe-check@example.com>").expect("451 4.7.1 Greylisted, please try again in 300 seconds");
        }
    }

    @Test
    void a_bounce_actually_sent_to_a_trap_blocks_at_the_end_of_data() throws Exception {
        try (var c = as("203.0.113.200")) {
            c.send("MAIL FROM:<>").expect(250);
            c.send("RCPT TO:<" + TRAP + ">").expect(250);
            assertThat(c.data(Examples.message("to-the-trap")).last()).isEqualTo("451 4.7.1 Client host [203.0.113.200] temporarily blocked");
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect("451 4.7.1 Client host [203.0.113.200] temporarily blocked");
        }
    }

    @Test
    void a_whitelisted_client_and_a_whitelisted_recipient_are_not_greylisted() throws Exception {
        WhitelistStore store = new WhitelistStore(h.relay.database());
        store.add(WhitelistEntry.of(WhitelistKind.CLIENT_ADDRESS, "192.0.2.240/28", null, "admin", Instant.EPOCH));
        store.add(WhitelistEntry.of(WhitelistKind.RECIPIENT, "no-greylisting@example.com", null, "admin", Instant.EPOCH));
        h.relay.whitelisting().whitelists().invalidate();

        try (var c = as("192.0.2.241")) {
            c.send("MAIL FROM:<someone@example.org>").expect(250);
            c.send("RCPT TO:<whitelisted-client@example.com>").expect(250);
        }
        try (var c = as("198.51.100.77")) {
            c.send("MAIL FROM:<someone@example.org>").expect(250);
            c.send("RCPT TO:<no-greylisting+tag@example.com>").expect(250);
            c.send("RCPT TO:<other@example.com>").expect(451);
        }
    }
}
