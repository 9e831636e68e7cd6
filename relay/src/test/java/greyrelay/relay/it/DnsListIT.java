package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS block and allow lists end to end: the fake DNS server holds the list zones, clients come with the PROXY
 * protocol. Reject at connect (instead of the banner), defer at RCPT, miss, timeout (not listed), allow list.
 */
class DnsListIT {
    @TempDir
    static Path dir;

    static RelayHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = RelayHarness.start(dir, """
                smtp:
                  proxyProtocol: true
                greylist:
                  enabled: false
                verification:
                  enabled: false
                dnsbl:
                  lists:
                    - "zen.example.net:reject:127.0.0.2..127.0.0.11"
                    - "soft.example.net:defer"
                    - "white.example.net:skip-greylisting"
                  timeout: 2s
                """);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @BeforeEach
    void lists() {
        h.dns.reset();
        // 192.0.2.66: on the reject list; 192.0.2.77: on the defer list; 198.51.100.5: on the allow list and the
        // reject list; 203.0.113.9: the reject list times out; anyone else: on no list (NXDOMAIN)
        h.dns.a("66.2.0.192.zen.example.net", "127.0.0.2")
                .a("77.2.0.192.soft.example.net", "127.0.0.3")
                .a("5.100.51.198.white.example.net", "127.0.10.2")
                .a("5.100.51.198.zen.example.net", "127.0.0.4")
                .timeout("9.113.0.203.zen.example.net");
    }

    static SmtpConversation session(String ip) throws Exception {
        SmtpConversation c = SmtpConversation.openAs(ip, h.smtpPort());
        c.expect(220);
        c.ehlo(HELO);
        c.send("MAIL FROM:<" + JANE + ">").expect(250);
        return c;
    }

    @Test
    void a_client_on_a_reject_list_hears_554_naming_the_list_instead_of_the_banner_and_is_disconnected() throws Exception {
        try (SmtpConversation c = SmtpConversation.openAs("192.0.2.66", h.smtpPort())) {
            assertThat(c.read().last()).isEqualTo("554 5.7.1 Service unavailable; client [192.0.2.66] blocked using zen.example.net");
            assertThat(c.isClosedByServer()).isTrue();
        }
        assertThat(AbuseDecisions.awaitRow(h, r -> r.checkName().equals("dnsbl"))).anySatisfy(r -> {
            assertThat(r.checkName()).isEqualTo("dnsbl");
            assertThat(r.clientIp()).isEqualTo("192.0.2.66");
            assertThat(r.reason()).isEqualTo("listed on zen.example.net (127.0.0.2)");
        });
        assertThat(h.relay.metrics().scrape()).contains("greyrelay_dnsbl_lookups_total{list=\"zen.example.net\",result=\"listed\"}");
    }

    @Test
    void a_client_on_a_defer_list_gets_451_at_rcpt() throws Exception {
        try (SmtpConversation c = session("192.0.2.77")) {
            assertThat(c.send("RCPT TO:<" + JOHN + ">").read().last())
                    .isEqualTo("451 4.7.1 Service unavailable; client [192.0.2.77] blocked using soft.example.net");
        }
    }

    @Test
    void a_client_on_no_list_is_served_and_each_list_is_asked_once_per_session() throws Exception {
        try (SmtpConversation c = session("192.0.2.10")) {
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            c.send("RCPT TO:<mary@example.com>").expect(250);
        }
        assertThat(h.dns.queryCount("10.2.0.192.zen.example.net", "A")).isEqualTo(1);
        assertThat(h.dns.queryCount("10.2.0.192.soft.example.net", "A")).isEqualTo(1);
        assertThat(h.dns.queryCount("10.2.0.192.white.example.net", "A")).isEqualTo(1);
    }

    @Test
    void a_list_that_times_out_counts_as_not_listed() throws Exception {
        try (SmtpConversation c = session("203.0.113.9")) {
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
        }
        assertThat(h.relay.metrics().scrape()).contains("greyrelay_dnsbl_lookups_total{list=\"zen.example.net\",result=\"failed\"}");
    }

    @Test
    void a_client_on_an_allow_list_is_not_blocked_by_a_block_list() throws Exception {
        try (SmtpConversation c = session("198.51.100.5")) {
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
        }
    }
}
