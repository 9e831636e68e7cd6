package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.policy.Replies;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Connection hygiene over real sockets: the pre-greeting test (real time is unavoidable here: a 300 ms banner delay,
 * and the assertions are about what was sent and whether the connection was closed, never about durations) and the
 * HELO checks' replies at RCPT.
 */
class HygieneIT {
    @TempDir
    static Path dir;

    static final String BASE = """
            smtp:
              proxyProtocol: true
            greylist:
              enabled: false
            verification:
              enabled: false
            """;

    /** With the pre-greeting test on. */
    static RelayHarness h;
    /** Without it (the default), for the HELO table: no banner delay per case. */
    static RelayHarness plain;

    @BeforeAll
    static void start() throws Exception {
        h = RelayHarness.start(dir.resolve("pregreet"), BASE + "hygiene:\n  greetingDelay: 300ms\n");
        plain = RelayHarness.start(dir.resolve("plain"), BASE);
    }

    @AfterAll
    static void stop() {
        h.close();
        plain.close();
    }

    /** A raw client: PROXY header, then optionally a command at once, without waiting for the banner. */
    static Socket raw(String clientIp, String earlyBytes) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), h.smtpPort()), 5000);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        String proxy = "PROXY TCP4 " + clientIp + " 127.0.0.1 40000 25\r\n";
        out.write((proxy + earlyBytes).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** Everything the server sends until it closes the connection. */
    static String readToEnd(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    @Test
    void a_client_that_talks_before_the_banner_is_complete_gets_554_and_is_disconnected() throws Exception {
        try (Socket s = raw("192.0.2.66", "EHLO bot.example.net\r\n")) {
            assertThat(readToEnd(s)).isEqualTo("220-mx.example.com ESMTP greyrelay\r\n" + Replies.PROTOCOL_ERROR.line() + "\r\n")
                    .endsWith("554 5.5.1 Protocol error\r\n");
        }
        assertThat(AbuseDecisions.awaitRow(h, r -> r.checkName().equals("pregreet")))
                .anySatisfy(r -> {
                    assertThat(r.checkName()).isEqualTo("pregreet");
                    assertThat(r.clientIp()).isEqualTo("192.0.2.66");
                    assertThat(r.replyCode()).isEqualTo(554);
                });
        assertThat(h.relay.metrics().scrape()).contains("greyrelay_hygiene_pregreet_total{result=\"talked-early\"}");
    }

    @Test
    void a_patient_client_hears_the_whole_multi_line_banner_and_can_send_mail() throws Exception {
        try (SmtpConversation c = SmtpConversation.openAs("192.0.2.10", h.smtpPort())) {
            var banner = c.read();
            assertThat(banner.lines()).containsExactly("220-mx.example.com ESMTP greyrelay", "220 mx.example.com ESMTP greyrelay");
            c.ehlo("client.example.org");
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            c.send("QUIT").expect(221);
        }
    }

    @ParameterizedTest(name = "HELO {0} from {1}")
    @CsvSource(delimiter = '|', textBlock = """
            bad_name.example.org | 192.0.2.10 | 501 5.5.2 <bad_name.example.org>: Helo command rejected: Invalid name
            192.0.2.10           | 192.0.2.10 | 501 5.5.2 <192.0.2.10>: Helo command rejected: Invalid name
            localhost            | 192.0.2.10 | 504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname
            EXCH01               | 192.0.2.10 | 504 5.5.2 <EXCH01>: Helo command rejected: need fully-qualified hostname
            mx.example.com       | 192.0.2.10 | 554 5.7.1 <mx.example.com>: Helo command rejected: Host name is ours
            [127.0.0.1]          | 192.0.2.10 | 554 5.7.1 <[127.0.0.1]>: Helo command rejected: Host name is ours
            [192.0.2.10]         | 192.0.2.10 | 250
            [198.51.100.99]      | 192.0.2.10 | 250
            client.example.org   | 192.0.2.10 | 250
            """)
    void helo_checks_answer_at_rcpt_with_the_contract_reply(String helo, String client, String expected) throws Exception {
        try (SmtpConversation c = SmtpConversation.openAs(client, plain.smtpPort())) {
            c.expect(220);
            c.send("HELO " + helo).expect(250);
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            String reply = c.send("RCPT TO:<" + JOHN + ">").read().last();
            if (expected.length() == 3) {
                assertThat(reply).startsWith(expected);
            } else {
                assertThat(reply).isEqualTo(expected);
            }
        }
    }
}
