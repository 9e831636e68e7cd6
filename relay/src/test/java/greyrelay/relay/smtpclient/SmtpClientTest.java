package greyrelay.relay.smtpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.relay.smtpclient.SmtpClientException.Kind;
import greyrelay.relay.testing.RawSmtpPeer;
import greyrelay.relay.testing.SelfSignedTls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Conversations with well-behaved peers: what is sent, what comes back, what the transcript says. */
class SmtpClientTest {

    private static final ClientLimits LIMITS = ClientLimits.defaults()
            .withConnectTimeout(Duration.ofSeconds(5))
            .withReplyTimeout(Duration.ofSeconds(5))
            .withDataTimeout(Duration.ofSeconds(5));
    private static final String HELO_NAME = "relay.example.org";

    @Test
    void relays_a_message_through_a_full_conversation_and_records_the_transcript() throws Exception {
        String message = "From: sender@example.org\r\nTo: jane@example.com\r\nSubject: hi\r\n\r\nHello Jane.\r\n";
        Transcript transcript = Transcript.recording();
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("EHLO ")
                .line("250-mx.example.com").line("250-PIPELINING").line("250 SIZE 10240000")
                .expect("MAIL FROM:").line("250 2.1.0 Ok")
                .expect("RCPT TO:").line("250 2.1.5 Ok")
                .expect("RCPT TO:").line("450 4.2.0 <john@example.com>: Recipient address rejected: Greylisted")
                .expect("DATA").line("354 End data with <CR><LF>.<CR><LF>")
                .readData().line("250 2.0.0 Ok: queued as 4F2A")
                .expect("QUIT").line("221 2.0.0 Bye"))) {

            ServerReply mail;
            ServerReply jane;
            ServerReply john;
            ServerReply data;
            Optional<ServerReply> quit;
            try (SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, transcript)) {
                assertThat(client.greeting()).isEqualTo(ServerReply.of(220, "mx.example.com ESMTP"));
                EhloReply ehlo = client.ehlo(HELO_NAME);
                assertThat(ehlo.isPositive()).isTrue();
                mail = client.command("MAIL FROM:<sender@example.org>");
                jane = client.command("RCPT TO:<jane@example.com>");
                john = client.command("RCPT TO:<john@example.com>");
                data = client.data(bytes(message));
                quit = client.quit();
                assertThat(client.isOpen()).isFalse();
            }

            assertThat(mail.isPositive()).isTrue();
            assertThat(jane.code()).isEqualTo(250);
            assertThat(john.isTransient()).isTrue();
            assertThat(john.enhancedCode()).contains("4.2.0");
            assertThat(data).hasToString("250 2.0.0 Ok: queued as 4F2A");
            assertThat(quit).contains(ServerReply.of(221, "2.0.0 Bye"));
            assertThat(peer.received()).containsExactly("EHLO relay.example.org", "MAIL FROM:<sender@example.org>",
                    "RCPT TO:<jane@example.com>", "RCPT TO:<john@example.com>", "DATA", "QUIT");
            assertThat(peer.data()).containsExactly(message + ".\r\n");
            assertThat(peer.problems()).isEmpty();
            assertThat(transcript.lines()).containsExactly(
                    "-- connected to [127.0.0.1]:" + peer.port(),
                    "S: 220 mx.example.com ESMTP",
                    "C: EHLO relay.example.org",
                    "S: 250-mx.example.com",
                    "S: 250-PIPELINING",
                    "S: 250 SIZE 10240000",
                    "C: MAIL FROM:<sender@example.org>",
                    "S: 250 2.1.0 Ok",
                    "C: RCPT TO:<jane@example.com>",
                    "S: 250 2.1.5 Ok",
                    "C: RCPT TO:<john@example.com>",
                    "S: 450 4.2.0 <john@example.com>: Recipient address rejected: Greylisted",
                    "C: DATA",
                    "S: 354 End data with <CR><LF>.<CR><LF>",
                    "C: <message body, " + message.length() + " bytes>",
                    "C: .",
                    "S: 250 2.0.0 Ok: queued as 4F2A",
                    "C: QUIT",
                    "S: 221 2.0.0 Bye");
        }
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.argumentSet("a line starting with a dot gets a second dot",
                        "Subject: dots\r\n\r\n.leading\r\n..two\r\nmid.dot\r\n.\r\n",
                        "Subject: dots\r\n\r\n..leading\r\n...two\r\nmid.dot\r\n..\r\n.\r\n"),
                Arguments.argumentSet("a dot at the very start is doubled", ".first\r\n", "..first\r\n.\r\n"),
                Arguments.argumentSet("a body without final CRLF gets one", "Subject: x\r\n\r\nno end", "Subject: x\r\n\r\nno end\r\n.\r\n"),
                Arguments.argumentSet("a body ending in CRLF gets no second one", "Subject: x\r\n\r\nend\r\n", "Subject: x\r\n\r\nend\r\n.\r\n"),
                Arguments.argumentSet("an empty body is only the final dot", "", ".\r\n"));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void sends_the_body_dot_stuffed_and_ended_with_crlf_dot_crlf(String message, String wire) throws Exception {
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("DATA").line("354 go ahead")
                .readData().line("250 2.0.0 queued"));
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, Transcript.none())) {

            ServerReply reply = client.data(bytes(message));

            assertThat(reply.code()).isEqualTo(250);
            assertThat(peer.data()).containsExactly(wire);
        }
    }

    @Test
    void parses_a_multi_line_ehlo_into_extensions() throws Exception {
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("EHLO")
                .line("250-mx.example.com greets relay.example.org")
                .line("250-SIZE 10240000")
                .line("250-8BITMIME")
                .line("250-starttls")
                .line("250-PIPELINING")
                .line("250-AUTH PLAIN LOGIN")
                .line("250-AUTH=LOGIN")
                .line("250-SMTPUTF8")
                .line("250 ENHANCEDSTATUSCODES"));
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, Transcript.none())) {

            EhloReply ehlo = client.ehlo(HELO_NAME);

            assertThat(ehlo.reply().firstLine()).isEqualTo("mx.example.com greets relay.example.org");
            assertThat(ehlo.extensions()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "SIZE", "10240000", "8BITMIME", "", "STARTTLS", "", "PIPELINING", "",
                    "AUTH", "PLAIN LOGIN", "SMTPUTF8", "", "ENHANCEDSTATUSCODES", ""));
            assertThat(ehlo.supports("StartTLS")).isTrue();
            assertThat(ehlo.supports("CHUNKING")).isFalse();
            assertThat(ehlo.maxMessageSize()).hasValue(10_240_000L);
            assertThat(ehlo.parameters("auth")).contains("PLAIN LOGIN");
        }
    }

    @Test
    void returns_a_refused_ehlo_so_the_caller_can_fall_back_to_helo() throws Exception {
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 old.example.com SMTP")
                .expect("EHLO").line("502 5.5.2 command not recognized")
                .expect("HELO").line("250 old.example.com"));
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, Transcript.none())) {

            EhloReply ehlo = client.ehlo(HELO_NAME);
            ServerReply helo = client.helo(HELO_NAME);

            assertThat(ehlo.isPositive()).isFalse();
            assertThat(ehlo.reply().code()).isEqualTo(502);
            assertThat(ehlo.extensions()).isEmpty();
            assertThat(helo.code()).isEqualTo(250);
            assertThat(peer.received()).containsExactly("EHLO relay.example.org", "HELO relay.example.org");
        }
    }

    @Test
    void returns_a_refused_data_as_a_reply_and_sends_no_body() throws Exception {
        Transcript transcript = Transcript.recording();
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("DATA").line("554 5.5.1 Error: no valid recipients")
                .expect("QUIT").line("221 Bye"));
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, transcript)) {

            ServerReply reply = client.data(bytes("Subject: x\r\n\r\nbody\r\n"));
            Optional<ServerReply> quit = client.quit();

            assertThat(reply.isPermanent()).isTrue();
            assertThat(reply.enhancedCode()).contains("5.5.1");
            assertThat(quit).map(ServerReply::code).contains(221);
            assertThat(peer.received()).containsExactly("DATA", "QUIT");
            assertThat(peer.problems()).isEmpty();
            assertThat(transcript.lines()).noneMatch(line -> line.contains("message body"));
        }
    }

    @Test
    void returns_a_refusing_greeting_as_the_greeting() throws Exception {
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("554 5.7.1 mx.example.com no service for you")
                .expect("QUIT").line("221 Bye"));
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, Transcript.none())) {

            assertThat(client.greeting().code()).isEqualTo(554);
            assertThat(client.quit()).map(ServerReply::code).contains(221);
        }
    }

    @Test
    void stores_reply_text_with_control_characters_replaced() throws Exception {
        Transcript transcript = Transcript.recording();
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com \u001b[31mred\u0007 \u202Eevil grüße")
                .expect("NOOP").send("250 ok\rfake\r\n"));
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, transcript)) {

            ServerReply noop = client.command("NOOP");

            assertThat(client.greeting().text()).isEqualTo("mx.example.com ?[31mred? ?evil grüße");
            assertThat(noop.text()).isEqualTo("ok?fake");
            assertThat(transcript.lines()).contains("S: 220 mx.example.com ?[31mred? ?evil grüße", "S: 250 ok?fake");
        }
    }

    @Test
    void accepts_a_final_line_with_a_bare_code_and_lines_ending_in_bare_lf() throws Exception {
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .send("220-mx.example.com\n220\n")
                .expect("NOOP").line("250 2.0.0 Ok"));
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, Transcript.none())) {

            assertThat(client.greeting().lines()).containsExactly("mx.example.com", "");
            assertThat(client.command("NOOP").code()).isEqualTo(250);
        }
    }

    static Stream<Arguments> forbiddenCommands() {
        return Stream.of(
                Arguments.argumentSet("CRLF smuggling a second command", "RCPT TO:<a@example.com>\r\nRCPT TO:<b@example.com>"),
                Arguments.argumentSet("bare LF", "RCPT TO:<a@example.com>\nDATA"),
                Arguments.argumentSet("bare CR", "RCPT TO:<a@example.com>\rDATA"),
                Arguments.argumentSet("NUL", "RCPT TO:<a\0@example.com>"),
                Arguments.argumentSet("longer than 512 octets with CRLF", "RCPT TO:<" + "a".repeat(500) + "@example.com>"),
                Arguments.argumentSet("short in characters but 513 octets in UTF-8", "NOOP " + "ü".repeat(253)));
    }

    @ParameterizedTest
    @MethodSource("forbiddenCommands")
    void refuses_to_send_a_command_that_could_break_the_protocol(String line) throws Exception {
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("NOOP").line("250 Ok"));
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, Transcript.none())) {

            assertThatThrownBy(() -> client.command(line)).isInstanceOf(IllegalArgumentException.class);

            assertThat(client.command("NOOP").code()).isEqualTo(250);
            assertThat(peer.received()).containsExactly("NOOP");
        }
    }

    @Test
    void accepts_a_command_of_exactly_512_octets_with_crlf() throws Exception {
        String line = "NOOP " + "x".repeat(505);
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("NOOP").line("250 Ok"));
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, Transcript.none())) {

            assertThat(client.command(line).code()).isEqualTo(250);
            assertThat(peer.received()).containsExactly(line);
        }
    }

    @Test
    void quit_tolerates_a_peer_that_closes_instead_of_replying() throws Exception {
        Transcript transcript = Transcript.recording();
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("QUIT").hangUp());
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, transcript)) {

            Optional<ServerReply> quit = client.quit();

            assertThat(quit).isEmpty();
            assertThat(client.isOpen()).isFalse();
            assertThat(transcript.lines()).last().asString().startsWith("-- error: CONNECTION_CLOSED");
            assertThat(client.quit()).isEmpty();
        }
    }

    @Test
    void a_closed_client_refuses_further_commands() throws Exception {
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s.line("220 mx.example.com ESMTP").hold())) {
            SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, Transcript.none());
            client.close();
            client.close();

            assertThat(client.isOpen()).isFalse();
            assertThatThrownBy(() -> client.command("NOOP")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void upgrades_to_tls_and_says_ehlo_again_over_it() throws Exception {
        Transcript transcript = Transcript.recording();
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("EHLO").line("250-mx.example.com").line("250 STARTTLS")
                .expect("STARTTLS").line("220 2.0.0 Ready to start TLS")
                .startTls(SelfSignedTls.serverContext())
                .expect("EHLO").line("250-mx.example.com").line("250 SIZE 1000")
                .expect("QUIT").line("221 Bye"));
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, transcript)) {

            assertThat(client.ehlo(HELO_NAME).supports("STARTTLS")).isTrue();
            ServerReply starttls = client.startTls(SelfSignedTls.trustAllClientFactory(), "localhost");
            assertThat(client.isTls()).isTrue();
            EhloReply again = client.ehlo(HELO_NAME);
            Optional<ServerReply> quit = client.quit();

            assertThat(starttls.code()).isEqualTo(220);
            assertThat(again.supports("STARTTLS")).isFalse();
            assertThat(again.maxMessageSize()).hasValue(1000L);
            assertThat(quit).map(ServerReply::code).contains(221);
            assertThat(peer.received()).containsExactly("EHLO relay.example.org", "STARTTLS",
                    "EHLO relay.example.org", "QUIT");
            assertThat(peer.problems()).isEmpty();
            assertThat(transcript.lines()).anyMatch(line -> line.startsWith("-- TLS established (TLSv1."));
            assertThat(transcript.lines()).endsWith("C: QUIT", "S: 221 Bye");
        }
    }

    @Test
    void returns_a_refused_starttls_and_stays_in_plain_text() throws Exception {
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("STARTTLS").line("454 4.7.0 TLS not available due to local problem")
                .expect("NOOP").line("250 Ok"));
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, Transcript.none())) {

            ServerReply reply = client.startTls(SelfSignedTls.trustAllClientFactory(), "localhost");

            assertThat(reply.code()).isEqualTo(454);
            assertThat(client.isTls()).isFalse();
            assertThat(client.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void refuses_tls_when_plaintext_follows_the_220_to_starttls() throws Exception {
        Transcript transcript = Transcript.recording();
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("STARTTLS").send("220 2.0.0 Ready\r\n250-injected\r\n250 before TLS\r\n")
                .hold());
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, transcript)) {

            assertThatThrownBy(() -> client.startTls(SelfSignedTls.trustAllClientFactory(), "localhost"))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TLS_FAILED));
            assertThat(client.isOpen()).isFalse();
            assertThat(client.isTls()).isFalse();
            assertThat(transcript.lines()).last().asString().contains("peer sent data after its 220 to STARTTLS");
        }
    }

    @Test
    void fails_tls_when_asked_to_verify_a_host_name_the_certificate_does_not_carry() throws Exception {
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("STARTTLS").line("220 2.0.0 Ready")
                .startTls(SelfSignedTls.serverContext())
                .hold());
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, Transcript.none())) {

            assertThatThrownBy(() -> client.startTls(SelfSignedTls.trustAllClientFactory(), "mx.example.com", true))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TLS_FAILED));
            assertThat(client.isOpen()).isFalse();
        }
    }

    @Test
    void reports_a_message_that_cannot_be_read_as_a_local_problem_and_abandons_the_data() throws Exception {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("spool file vanished");
            }
        };
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("DATA").line("354 go ahead")
                .readData());
             SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, Transcript.none())) {

            assertThatThrownBy(() -> client.data(broken))
                    .isInstanceOfSatisfying(SmtpClientException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.MESSAGE_UNREADABLE));
            assertThat(client.isOpen()).isFalse();
        }
    }

    @Test
    void a_pipelined_batch_goes_out_before_any_reply_and_the_replies_are_read_in_order() throws Exception {
        // the peer reads MAIL, both RCPTs and DATA before it answers anything: a client waiting for the MAIL reply first
        // would wait for ever (here: until its 5 s reply timeout)
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("EHLO ").line("250-mx.example.com").line("250 PIPELINING")
                .expect("MAIL FROM:").expect("RCPT TO:<jane@").expect("RCPT TO:<john@").expect("DATA")
                .line("250 2.1.0 Ok").line("250 2.1.5 Ok").line("550 5.1.1 <john@example.com>: no such user").line("354 go ahead")
                .readData().line("250 2.0.0 Ok: queued as 4F2A")
                .expect("QUIT").line("221 2.0.0 Bye"))) {
            Transcript transcript = Transcript.recording();
            try (SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, transcript)) {
                assertThat(client.ehlo(HELO_NAME).supports("PIPELINING")).isTrue();
                SmtpClient.Batch batch = client.batch(List.of("MAIL FROM:<sender@example.org>", "RCPT TO:<jane@example.com>",
                        "RCPT TO:<john@example.com>", "DATA"), true);
                assertThat(batch.next().code()).isEqualTo(250);
                assertThat(batch.next().code()).isEqualTo(250);
                assertThat(batch.next().code()).isEqualTo(550);
                assertThat(batch.next().code()).isEqualTo(354);
                assertThat(client.message(bytes("Subject: hi\r\n\r\nHello.\r\n"))).hasToString("250 2.0.0 Ok: queued as 4F2A");
                client.quit();
            }
            assertThat(peer.problems()).isEmpty();
            assertThat(peer.data()).containsExactly("Subject: hi\r\n\r\nHello.\r\n.\r\n");
            assertThat(transcript.lines()).containsSubsequence("C: MAIL FROM:<sender@example.org>", "C: RCPT TO:<jane@example.com>",
                    "C: RCPT TO:<john@example.com>", "C: DATA", "S: 250 2.1.0 Ok", "S: 250 2.1.5 Ok");
        }
    }

    @Test
    void a_batch_in_lock_step_sends_each_command_when_its_reply_is_asked_for_and_never_the_rest() throws Exception {
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("EHLO ").line("250 mx.example.com")
                .expect("MAIL FROM:").line("550 5.7.1 not from you")
                .expect("QUIT").line("221 2.0.0 Bye"))) {
            try (SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, Transcript.none())) {
                client.ehlo(HELO_NAME);
                SmtpClient.Batch batch = client.batch(List.of("MAIL FROM:<sender@example.org>", "RCPT TO:<jane@example.com>", "DATA"), false);
                assertThat(batch.next().code()).isEqualTo(550);
                assertThat(batch.drain()).as("nothing else was sent, so no reply is owed").isEmpty();
                client.quit();
            }
            assertThat(peer.received()).containsExactly("EHLO relay.example.org", "MAIL FROM:<sender@example.org>", "QUIT");
            assertThat(peer.problems()).isEmpty();
        }
    }

    @Test
    void draining_a_pipelined_batch_reads_every_reply_still_owed_and_returns_the_last() throws Exception {
        try (RawSmtpPeer peer = RawSmtpPeer.start(s -> s
                .line("220 mx.example.com ESMTP")
                .expect("EHLO ").line("250-mx.example.com").line("250 PIPELINING")
                .expect("MAIL FROM:").expect("RCPT TO:").expect("DATA")
                .line("550 5.7.1 not from you").line("503 5.5.1 need MAIL").line("503 5.5.1 need RCPT")
                .expect("NOOP").line("250 2.0.0 Ok"))) {
            try (SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, Transcript.none())) {
                client.ehlo(HELO_NAME);
                SmtpClient.Batch batch = client.batch(List.of("MAIL FROM:<sender@example.org>", "RCPT TO:<jane@example.com>", "DATA"), true);
                assertThat(batch.next().code()).isEqualTo(550);
                assertThat(batch.drain()).map(ServerReply::code).contains(503);
                assertThat(client.command("NOOP").code()).as("in step again").isEqualTo(250);
            }
            assertThat(peer.problems()).isEmpty();
        }
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
