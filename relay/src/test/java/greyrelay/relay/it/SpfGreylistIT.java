package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.policy.Replies;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The most common complaint about greylisting: a large sender retries from another address of its pool and is
 * greylisted again. With an SPF pass the triplet is keyed on the authorised domain, so it is greylisted once.
 */
class SpfGreylistIT {
    @TempDir
    Path dir;

    private static SmtpConversation.Reply attempt(RelayHarness h, String clientIp, String sender) throws Exception {
        try (SmtpConversation c = SmtpConversation.openAs(clientIp, h.smtpPort())) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + sender + ">").expect(250);
            SmtpConversation.Reply r = c.send("RCPT TO:<" + JOHN + ">").read();
            if (r.code() == 250) assertThat(c.data(Examples.message("pool")).code()).isEqualTo(250);
            return r;
        }
    }

    @Test
    void an_spf_authorised_pool_is_greylisted_once_across_its_addresses() throws Exception {
        try (RelayHarness h = RelayHarness.start(dir, """
                smtp: {proxyProtocol: true}
                verification: {enabled: false}
                greylist: {defaultWhitelist: false}
                """)) {
            // the sender's pool spans two unrelated networks, both authorised by its SPF record
            h.dns.txt("bigsender.example", "v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 -all");
            assertThat(attempt(h, "192.0.2.10", "news@bigsender.example").last()).isEqualTo(Replies.greylisted(300).line());
            h.clock.advance(Duration.ofMinutes(6));
            // the retry comes from another network of the pool: still the same triplet
            assertThat(attempt(h, "198.51.100.20", "news@bigsender.example").code()).isEqualTo(250);
        }
    }

    @Test
    void without_spf_the_client_network_is_the_key_and_another_network_is_greylisted_again() throws Exception {
        try (RelayHarness h = RelayHarness.start(dir, """
                smtp: {proxyProtocol: true}
                verification: {enabled: false}
                greylist: {defaultWhitelist: false}
                """)) {
            h.dns.txt("nospf.example", "v=spf1 ?all");
            assertThat(attempt(h, "192.0.2.10", "news@nospf.example").code()).isEqualTo(451);
            h.clock.advance(Duration.ofMinutes(6));
            assertThat(attempt(h, "198.51.100.20", "news@nospf.example").last()).isEqualTo(Replies.greylisted(300).line());
            assertThat(attempt(h, "192.0.2.77", "news@nospf.example").code()).as("same /24 as the first").isEqualTo(250);
        }
    }
}
