package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.PostfixInstance;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real Postfix using greyrelay as its {@code check_policy_service}: a throwaway Postfix instance in a temporary
 * directory (its own main.cf and master.cf, queue and data directories, log file; smtpd on a free loopback port, no
 * chroot), relaying example.com to the downstream sink, asking a policy-only greyrelay at RCPT and at end of data.
 * A first delivery attempt through Postfix is deferred with greyrelay's text; a retry after the delay (the relay's
 * clock moved) is accepted, and the message reaches the sink with the {@code X-Greylist} header.
 *
 * <p>Postfix runs as a {@link greyrelay.relay.testing.PostfixInstance}. Needs {@code /usr/sbin/postfix} and root
 * (Postfix starts as root and drops to {@code postfix}); skipped without them unless {@code REQUIRE_POSTFIX=1} (set by {@code .ci/run}, which installs Postfix), then it fails.
 */
class PostfixPolicyIT {
    @TempDir
    Path dir;

    RelayHarness h;
    DownstreamSink sink;
    PostfixInstance postfix;
    int smtpdPort;

    @BeforeEach
    void start() throws Exception {
        if (!PostfixInstance.available()) {
            if ("1".equals(System.getenv("REQUIRE_POSTFIX"))) {
                throw new AssertionError("REQUIRE_POSTFIX=1 but Postfix cannot run here (needs /usr/sbin/postfix and root)");
            }
            Assumptions.abort("Postfix is not installed (or not root): apt-get install postfix");
        }
        h = RelayHarness.start(dir.resolve("relay"), """
                smtp:
                  enabled: false
                policy:
                  enabled: true
                  port: 0
                spf:
                  enabled: false
                greylist:
                  defaultWhitelist: false
                """);
        sink = h.downstream;
        int policy = h.relay.policyPort();
        postfix = PostfixInstance.start(dir, new PostfixInstance.Settings("192.0.2.0/24",
                List.of(new PostfixInstance.Transport(Examples.OUR_DOMAIN, sink.port())), """
                smtpd_recipient_restrictions = reject_unauth_destination, check_policy_service inet:127.0.0.1:%1$d
                smtpd_end_of_data_restrictions = check_policy_service inet:127.0.0.1:%1$d
                """.formatted(policy)));
        smtpdPort = postfix.port();
    }

    @AfterEach
    void stop() throws Exception {
        if (postfix != null) postfix.close();
        if (h != null) h.close();
    }

    @Test
    void a_first_attempt_through_postfix_is_deferred_with_our_text_and_the_retry_arrives_with_x_greylist() throws Exception {
        String jane = "jane@" + Examples.SENDER_DOMAIN;
        try (SmtpConversation c = SmtpConversation.open(smtpdPort)) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + jane + ">").expect(250);
            SmtpConversation.Reply r = c.send("RCPT TO:<" + JOHN + ">").read();
            assertThat(r.code()).as(maillog()).isEqualTo(450);
            assertThat(r.last()).contains("4.7.1").contains("Greylisted, please try again in 300 seconds");
            c.send("QUIT").expect(221);
        }

        h.clock.advance(Duration.ofSeconds(301));
        try (SmtpConversation c = SmtpConversation.open(smtpdPort)) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + jane + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(Examples.message("through-postfix")).code()).as(maillog()).isEqualTo(250);
            c.send("QUIT").expect(221);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sink.received().isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(sink.received()).as(maillog()).singleElement().satisfies(m -> {
            assertThat(m.sender()).isEqualTo(jane);
            assertThat(m.recipients()).containsExactly(JOHN);
            assertThat(m.text()).containsPattern("(?m)^X-Greylist: delayed 301 seconds by greyrelay-\\S+ \\(mx\\.example\\.com\\); ");
            assertThat(m.text()).contains("Subject: through-postfix");
        });
    }

    String maillog() {
        return postfix.maillog();
    }
}
