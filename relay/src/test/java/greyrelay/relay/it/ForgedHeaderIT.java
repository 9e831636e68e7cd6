package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.policy.Replies;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A client hides an {@code Authentication-Results} naming our host (a forged "dkim=pass" for the MUA to trust) behind
 * a header line our reader might take for the end of the header. Over real sockets, to the downstream sink: the forgery
 * never arrives. Behind an obsolete-syntax field the message is delivered without it; behind a line or field too long
 * to examine the message is refused {@code 552 5.6.0}. The {@code Received:} count of the mail-loop check sees the same
 * header section.
 */
class ForgedHeaderIT {
    static final String FORGED = "Authentication-Results: mx.example.com; dkim=pass header.d=bank.example";

    @TempDir
    Path dir;

    RelayHarness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    void start(String yaml) throws Exception {
        h = RelayHarness.start(dir, "greylist: {enabled: false}\n" + yaml);
    }

    SmtpConversation.Reply send(String header) throws Exception {
        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            SmtpConversation.Reply r = c.data("From: <" + JANE + ">\r\n" + header + "\r\n" + FORGED + "\r\nSubject: hello\r\n"
                    + "\r\nThe bank says this mail is signed.\r\n");
            c.send("QUIT").expect(221);
            return r;
        }
    }

    @Test
    void behind_an_obsolete_syntax_field_the_forgery_is_dropped_and_the_message_delivered() throws Exception {
        start("");
        assertThat(send("Subject : x").code()).isEqualTo(250);
        h.deliverDue();
        assertThat(h.downstream.received()).singleElement().satisfies(m -> {
            assertThat(m.text()).contains("\r\nSubject : x\r\n").contains("The bank says").doesNotContain("dkim=pass");
            assertThat(m.text().split("Authentication-Results:", -1)).as("only our own").hasSize(2);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            behind a 70 KB header line      | line
            behind a long folded header     | folded
            """)
    void behind_a_header_too_long_to_examine_the_message_is_refused_552_5_6_0(String name, String kind) throws Exception {
        start("");
        String big = kind.equals("line") ? "X-Padding: " + "a".repeat(70_000)
                : "X-Padding: start" + ("\r\n\t" + "folded ".repeat(140)).repeat(72);
        SmtpConversation.Reply r = send(big);
        assertThat(r.last()).isEqualTo(Replies.HEADER_FIELD_TOO_LONG.line());
        h.deliverDue();
        assertThat(h.downstream.received()).isEmpty();
        assertThat(h.relay.queue().depth()).isZero();
    }

    @Test
    void received_fields_behind_an_obsolete_syntax_field_count_towards_the_hop_limit() throws Exception {
        start("smtp: {maxHops: 3}\n");
        String received = "Received: from a by b; Fri, 27 Nov 2026 10:00:00 +0000";
        assertThat(send("Subject : x\r\n" + received + "\r\n" + received + "\r\nReceived : " + received.substring(10)
                + "\r\n" + received).last()).isEqualTo(Replies.TOO_MANY_HOPS.line());
        assertThat(h.downstream.received()).isEmpty();
    }
}
