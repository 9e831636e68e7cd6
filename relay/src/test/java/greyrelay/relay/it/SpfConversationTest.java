package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JOHN;
import static greyrelay.relay.testing.Examples.MARY;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SPF through the whole relay: client addresses presented with the PROXY protocol, policies served by the fake DNS,
 * replies per result, and the trace headers on what the downstream receives.
 */
class SpfConversationTest {
    private static final String CLIENT = Examples.CLIENT_IP; // 192.0.2.10

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
                """);
        h.dns.txt("pass.example.org", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all")
                .txt("fail.example.org", "v=spf1 ip4:198.51.100.0/24 -all")
                .txt("softfail.example.org", "v=spf1 ~all")
                .txt("neutral.example.org", "v=spf1 ?all")
                .txt("permerror.example.org", "v=spf1 ip4:192.0.2.0/33 -all")
                .timeout("temperror.example.org")
                .txt("exists.example.org", "v=spf1 exists:%{i}.list.example.net -all")
                .timeout("192.0.2.10.list.example.net")
                .txt("client.example.org", "v=spf1 a -all").a("client.example.org", CLIENT);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static SmtpConversation session(String clientIp) throws Exception {
        SmtpConversation c = SmtpConversation.openAs(clientIp, h.smtpPort());
        c.expect(220);
        c.ehlo(HELO);
        return c;
    }

    private static DownstreamSink.Received delivered(String subject) {
        h.deliverDue();
        return h.downstream.received().stream().filter(r -> r.text().contains("Subject: " + subject + "\r\n")).findFirst()
                .orElseThrow(() -> new AssertionError("not delivered: " + subject));
    }

    /** The header lines above the message as sent, unfolded lines kept as they are. */
    private static List<String> headerLines(DownstreamSink.Received r) {
        String text = r.text();
        return List.of(text.substring(0, text.indexOf("\r\n\r\n")).split("\r\n"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "pass.example.org      | 250",
            "fail.example.org      | 550 5.7.23 <jane@fail.example.org>: SPF validation failed",
            "softfail.example.org  | 250",
            "neutral.example.org   | 250",
            "none.example.org      | 250",
            "permerror.example.org | 250",
            "temperror.example.org | 451 4.7.24 <jane@temperror.example.org>: SPF validation error, try again later",
            "exists.example.org    | 451 4.7.24 <jane@exists.example.org>: SPF validation error, try again later"})
    void each_spf_result_gets_its_reply_at_rcpt(String domain, String reply) throws Exception {
        try (var c = session(CLIENT)) {
            c.send("MAIL FROM:<jane@" + domain + ">").expect(250);
            var got = c.send("RCPT TO:<" + JOHN + ">").read();
            if (reply.equals("250")) {
                assertThat(got.code()).isEqualTo(250);
            } else {
                assertThat(got.last()).isEqualTo(reply);
            }
        }
    }

    @Test
    void a_temporary_dns_failure_is_asked_once_per_transaction_not_once_per_recipient() throws Exception {
        h.dns.timeout("once.example.org");
        try (var c = session(CLIENT)) {
            c.send("MAIL FROM:<jane@once.example.org>").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(451);
            c.send("RCPT TO:<" + MARY + ">").expect(451);
        }
        assertThat(h.dns.queryCount("once.example.org", "TXT")).isEqualTo(1);
    }

    @Test
    void delivered_mail_carries_authentication_results_and_received_spf_above_our_received() throws Exception {
        try (var c = session(CLIENT)) {
            c.send("MAIL FROM:<jane@pass.example.org>").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(Examples.message("spf-pass")).code()).isEqualTo(250);
        }
        List<String> lines = headerLines(delivered("spf-pass"));

        assertThat(lines.subList(0, 4)).containsExactly(
                "Authentication-Results: mx.example.com;",
                "\tspf=pass smtp.mailfrom=jane@pass.example.org",
                "Received-SPF: pass (mx.example.com: domain of jane@pass.example.org designates 192.0.2.10 as permitted sender)"
                        + " receiver=mx.example.com; client-ip=192.0.2.10; envelope-from=\"jane@pass.example.org\";"
                        + " helo=client.example.org; identity=mailfrom; mechanism=\"ip4:192.0.2.0/24\";",
                "Received: from client.example.org ([192.0.2.10])");
    }

    @Test
    void an_ipv6_client_address_is_quoted_in_received_spf() throws Exception {
        try (var c = session("2001:db8::25")) {
            c.send("MAIL FROM:<jane@pass.example.org>").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(Examples.message("spf-ipv6")).code()).isEqualTo(250);
        }
        assertThat(headerLines(delivered("spf-ipv6"))).anySatisfy(l -> assertThat(l).startsWith(
                "Received-SPF: pass (mx.example.com: domain of jane@pass.example.org designates 2001:db8::25 as permitted sender)")
                .contains(" client-ip=\"2001:db8::25\";").contains(" mechanism=\"ip6:2001:db8::/32\";"));
    }

    @Test
    void a_bounce_is_checked_with_the_helo_identity() throws Exception {
        try (var c = session(CLIENT)) {
            c.send("MAIL FROM:<>").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(Examples.message("spf-bounce")).code()).isEqualTo(250);
        }
        List<String> lines = headerLines(delivered("spf-bounce"));
        assertThat(lines).contains("\tspf=pass smtp.helo=client.example.org");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("Received-SPF: pass (mx.example.com: domain of"
                + " postmaster@client.example.org designates 192.0.2.10 as permitted sender)").contains("identity=helo;"));
    }

    @Test
    void a_forged_authentication_results_for_our_host_is_removed_and_anothers_is_kept() throws Exception {
        String message = "Authentication-Results: mx.example.com; spf=pass smtp.mailfrom=jane@pass.example.org\r\n"
                + "Authentication-Results: MX.EXAMPLE.COM (forged)\r\n\t; dkim=pass header.d=example.org\r\n"
                + "Authentication-Results: mail.example.net; spf=fail smtp.mailfrom=jane@softfail.example.org\r\n"
                + Examples.message("spf-forged");
        try (var c = session(CLIENT)) {
            c.send("MAIL FROM:<jane@softfail.example.org>").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(message).code()).isEqualTo(250);
        }
        List<String> lines = headerLines(delivered("spf-forged"));

        assertThat(lines.stream().filter(l -> l.startsWith("Authentication-Results:"))).containsExactly(
                "Authentication-Results: mx.example.com;",
                "Authentication-Results: mail.example.net; spf=fail smtp.mailfrom=jane@softfail.example.org");
        assertThat(lines).contains("\tspf=softfail smtp.mailfrom=jane@softfail.example.org")
                .noneMatch(l -> l.contains("(forged)") || l.contains("dkim=pass"));
    }

    @Test
    void in_observe_mode_a_fail_is_recorded_and_the_mail_goes_through(@TempDir Path observeDir) throws Exception {
        try (RelayHarness o = RelayHarness.start(observeDir, """
                smtp:
                  proxyProtocol: true
                spf:
                  mode: observe
                greylist:
                  enabled: false
                """)) {
            o.dns.txt("fail.example.org", "v=spf1 -all");
            try (var c = SmtpConversation.openAs(CLIENT, o.smtpPort())) {
                c.expect(220);
                c.ehlo(HELO);
                c.send("MAIL FROM:<jane@fail.example.org>").expect(250);
                c.send("RCPT TO:<" + JOHN + ">").expect(250);
            }
            assertThat(o.relay.metrics().counter("greyrelay.decisions", "phase", "rcpt", "check", "spf", "outcome", "rejected",
                    "observe", "true", "origin", "smtp").count()).isEqualTo(1.0);
            assertThat(o.relay.metrics().counter("greyrelay.spf.results", "result", "fail").count()).isEqualTo(1.0);
        }
    }
}
