package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.policy.Replies;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.ScriptedMx;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Greylisting and callback verification together, as they are meant to work: the first (greylisted) attempt starts the
 * probe in the background, so the retry is answered from the cache and legitimate mail waits no longer than greylisting
 * already makes it; a forged sender is refused at the retry without a second probe.
 */
class GreylistVerifyIT {
    @TempDir
    Path dir;

    static final String YAML = """
            smtp: {proxyProtocol: true}
            spf: {enabled: false}
            greylist: {defaultWhitelist: false}
            verification:
              enabled: true
              timeouts: {inlineConnect: 500ms, inlineReply: 1s, backgroundConnect: 1s, backgroundReply: 2s}
            """;

    private static SmtpConversation.Reply rcpt(RelayHarness h, String sender) throws Exception {
        try (SmtpConversation c = SmtpConversation.openAs(Examples.CLIENT_IP, h.smtpPort())) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + sender + ">").expect(250);
            SmtpConversation.Reply r = c.send("RCPT TO:<" + JOHN + ">").read();
            if (r.code() == 250) assertThat(c.data(Examples.message("greylisted-then-verified")).code()).isEqualTo(250);
            return r;
        }
    }

    @Test
    void the_greylisted_first_attempt_starts_the_probe_and_the_retry_is_answered_from_the_cache() throws Exception {
        Map<String, ScriptedMx> mxByIp = new ConcurrentHashMap<>();
        try (ScriptedMx mx = ScriptedMx.start(); RelayHarness h = RelayHarness.start(dir, YAML, ScriptedMx.routing(mxByIp))) {
            mxByIp.put("192.0.2.53", mx);
            h.dns.mx("sender.example.org", 10, "mx.sender.example.org").a("mx.sender.example.org", "192.0.2.53");

            assertThat(rcpt(h, "jane@sender.example.org").last()).isEqualTo(Replies.greylisted(300).line());
            // the probe runs in the background while the client waits out the greylisting delay
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> mx.connections() == 1 && mx.openConnections() == 0);
            assertThat(mx.commands(0)).containsExactly("EHLO " + Examples.RELAY_HOSTNAME, "MAIL FROM:<>",
                    "RCPT TO:<jane@sender.example.org>", "RSET", "QUIT");

            h.clock.advance(Duration.ofMinutes(6));
            assertThat(rcpt(h, "jane@sender.example.org").code()).isEqualTo(250);
            assertThat(mx.connections()).as("the retry used the cached verdict").isEqualTo(1);
            h.deliverDue();
            assertThat(h.downstream.received()).singleElement().satisfies(m -> assertThat(m.text())
                    .contains("X-Greylist: delayed 360 seconds"));
        }
    }

    @Test
    void a_forged_sender_is_refused_at_the_retry_from_the_cached_probe() throws Exception {
        Map<String, ScriptedMx> mxByIp = new ConcurrentHashMap<>();
        try (ScriptedMx mx = ScriptedMx.start().rejectRecipient("forged@sender.example.org");
                RelayHarness h = RelayHarness.start(dir, YAML, ScriptedMx.routing(mxByIp))) {
            mxByIp.put("192.0.2.53", mx);
            h.dns.mx("sender.example.org", 10, "mx.sender.example.org").a("mx.sender.example.org", "192.0.2.53");

            assertThat(rcpt(h, "forged@sender.example.org").code()).isEqualTo(451);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> mx.connections() == 1 && mx.openConnections() == 0);
            h.clock.advance(Duration.ofMinutes(6));
            assertThat(rcpt(h, "forged@sender.example.org").last())
                    .isEqualTo(Replies.senderUndeliverableTemporarily("forged@sender.example.org").line());
            assertThat(mx.connections()).isEqualTo(1);
            assertThat(h.downstream.received()).isEmpty();
        }
    }
}
