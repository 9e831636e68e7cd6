package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static greyrelay.relay.testing.Examples.MARY;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.policy.Replies;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The foundation's promises over real sockets: relay domains only, byte-identical delivery, size limit, pipelining. */
class RelayConversationIT {
    @TempDir
    static Path dir;

    static RelayHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = RelayHarness.start(dir, """
                smtp:
                  maxMessageSize: 12MB
                greylist:
                  enabled: false
                verification:
                  enabled: false
                spf:
                  enabled: false
                """);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @BeforeEach
    void downstreamAcceptsEverything() {
        h.downstream.replyToData(null);
    }

    private static SmtpConversation session() throws Exception {
        SmtpConversation c = h.connect();
        c.expect(220);
        c.ehlo(HELO);
        return c;
    }

    private static DownstreamSink.Received deliveredWithSubject(String subject) {
        h.deliverDue();
        return h.downstream.received().stream().filter(r -> r.text().contains("Subject: " + subject + "\r\n")).findFirst()
                .orElseThrow(() -> new AssertionError("not delivered: " + subject));
    }

    private static byte[] body(DownstreamSink.Received r) {
        String text = new String(r.data(), StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("Received: from " + HELO + " ([127.0.0.1])\r\n\tby " + Examples.RELAY_HOSTNAME + " (greyrelay) with ESMTP id ");
        int end = text.indexOf("\r\n", text.indexOf("\r\n\tfor ") + 2);
        return Arrays.copyOfRange(r.data(), end + 2, r.data().length);
    }

    @Test
    void message_to_a_relay_domain_arrives_with_our_received_header_and_the_body_byte_identical() throws Exception {
        String msg = Examples.message("plain") + ".a line starting with a dot\r\n..two dots\r\n";
        try (var c = session()) {
            c.send("MAIL FROM:<" + JANE + ">").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<" + JOHN + ">").expect("250 2.1.5 Ok");
            var reply = c.data(msg);
            assertThat(reply.last()).matches("250 2\\.0\\.0 Ok: queued as [0-9A-Z]+");
            c.send("QUIT").expect(221);
        }
        var got = deliveredWithSubject("plain");
        assertThat(got.sender()).isEqualTo(JANE);
        assertThat(got.recipients()).containsExactly(JOHN);
        assertThat(body(got)).isEqualTo(msg.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eight_bit_and_large_messages_arrive_byte_identical() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("Subject: big\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        Random r = new Random(7);
        byte[] line = new byte[78];
        while (b.size() < 10 * 1024 * 1024 + 4096) {
            for (int i = 0; i < line.length; i++) {
                int v;
                do {
                    v = r.nextInt(256);
                } while (v == '\r' || v == '\n');
                line[i] = (byte) v;
            }
            b.writeBytes(line);
            b.writeBytes(new byte[] {'\r', '\n'});
        }
        byte[] msg = b.toByteArray();
        try (var c = session()) {
            c.send("MAIL FROM:<" + JANE + "> BODY=8BITMIME SIZE=" + msg.length).expect(250);
            c.send("RCPT TO:<" + MARY + ">").expect(250);
            assertThat(c.data(msg).code()).isEqualTo(250);
        }
        var got = deliveredWithSubject("big");
        assertThat(body(got)).isEqualTo(msg);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "someone@example.net",
            "john%example.net@example.com",
            "example.net!john@example.com",
            "\"john@example.net\"@example.com",
            "john@example.net@example.com",
            "@example.com:john@example.net",
            "@example.com,@example.org:john@example.net",
            "john@[192.0.2.1]",
            "john@example.com.",
            "john@sub.example.com",
            "john@example.com.example.net",
            "john@EXAMPLE.NET",
            "john",
            ""})
    void every_address_trick_for_a_foreign_domain_is_refused_as_relay_access(String rcpt) throws Exception {
        try (var c = session()) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect(Replies.relayDenied(rcpt).line());
            c.send("RCPT TO:<" + JOHN + ">").expect(250); // the transaction goes on
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postmaster@example.com", "Postmaster@Example.COM", "abuse@example.com", "postmaster", "POSTMASTER"})
    void role_recipients_are_accepted(String rcpt) throws Exception {
        try (var c = session()) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect(250);
        }
    }

    @Test
    void an_oversized_message_gets_552_after_the_data_and_the_next_transaction_works() throws Exception {
        byte[] big = new byte[13 * 1024 * 1024];
        Arrays.fill(big, (byte) 'x');
        for (int i = 76; i < big.length; i += 78) {
            big[i] = '\r';
            big[i + 1] = '\n';
        }
        try (var c = session()) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(big).last()).isEqualTo(Replies.MESSAGE_TOO_LARGE.line());
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(Examples.message("after-oversized")).code()).isEqualTo(250);
        }
        assertThat(deliveredWithSubject("after-oversized")).isNotNull();
    }

    @Test
    void a_declared_size_over_the_limit_is_refused_at_mail() throws Exception {
        try (var c = session()) {
            c.send("MAIL FROM:<" + JANE + "> SIZE=" + (13L * 1024 * 1024)).expect(Replies.MESSAGE_TOO_LARGE.line());
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
        }
    }

    @Test
    void pipelining_is_advertised_and_a_pipelined_transaction_is_answered_in_order() throws Exception {
        try (var c = h.connect()) {
            c.expect(220);
            var ehlo = c.ehlo(HELO);
            assertThat(ehlo.lines()).contains("250-PIPELINING").noneMatch(l -> l.contains("CHUNKING"));
            String batch = "MAIL FROM:<" + JANE + ">\r\nRCPT TO:<" + JOHN + ">\r\nRCPT TO:<x@example.net>\r\nRCPT TO:<" + MARY
                    + ">\r\nDATA\r\n";
            c.raw(batch.getBytes(StandardCharsets.US_ASCII));
            assertThat(c.read().last()).isEqualTo("250 2.1.0 Ok");
            assertThat(c.read().last()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.read().last()).isEqualTo(Replies.relayDenied("x@example.net").line());
            assertThat(c.read().last()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.read().code()).isEqualTo(354);
            c.raw((Examples.message("pipelined") + ".\r\nQUIT\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(c.read().code()).isEqualTo(250);
            assertThat(c.read().code()).isEqualTo(221);
        }
        assertThat(deliveredWithSubject("pipelined").recipients()).containsExactly(JOHN, MARY);
    }

    @Test
    void bare_line_feeds_in_the_body_arrive_as_crlf() throws Exception {
        try (var c = session()) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            c.send("DATA").expect(354);
            c.raw("Subject: bare-lf\r\n\r\nline one\nline two\n.\nsmuggled: yes\rline four\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.read().code()).isEqualTo(250);
        }
        String text = new String(body(deliveredWithSubject("bare-lf")), StandardCharsets.US_ASCII);
        assertThat(text).isEqualTo("Subject: bare-lf\r\n\r\nline one\r\nline two\r\n.\r\nsmuggled: yes\r\nline four\r\n");
        assertThat(Pattern.compile("(?<!\r)\n").matcher(text).find()).isFalse();
    }

    @Test
    void a_message_with_too_many_received_headers_is_refused_as_a_loop() throws Exception {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < 31; i++) m.append("Received: from hop").append(i).append(".example.org by x; date\r\n");
        m.append("Subject: loop\r\n\r\nbody\r\n");
        try (var c = session()) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(m.toString()).last()).isEqualTo(Replies.TOO_MANY_HOPS.line());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"<jane@exa mple.org>", "<\"jane\u0001\"@example.org>", "<jane@@example.org>", "<jane@>",
            "<.jane@example.org>", "<jane@example..org>"})
    void bad_sender_syntax_gets_501_5_1_7(String path) throws Exception {
        try (var c = session()) {
            c.send("MAIL FROM:" + path).expect(Replies.BAD_SENDER_SYNTAX.line());
        }
    }

    @Test
    void an_over_long_sender_gets_501_5_1_7() throws Exception {
        try (var c = session()) {
            c.send("MAIL FROM:<" + "a".repeat(65) + "@example.org>").expect(Replies.BAD_SENDER_SYNTAX.line());
        }
    }
}
