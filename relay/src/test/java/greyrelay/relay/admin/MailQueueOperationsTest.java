package greyrelay.relay.admin;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.queue.QueueAction;
import greyrelay.admin.queue.QueuedMessage;
import greyrelay.relay.queue.QueueId;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an administrator can do to a queued message (retry now, delete, bounce, read its headers), through the
 * panel's {@link MailQueueOperations} over a real relay: SMTP in, spool on disk, the downstream sink deferring JOHN.
 */
class MailQueueOperationsTest {
    @TempDir
    static Path dir;
    static RelayHarness h;
    static MailQueueOperations ops;

    @BeforeAll
    static void start() throws Exception {
        h = RelayHarness.start(dir, """
                greylist:
                  enabled: false
                verification:
                  enabled: false
                admin:
                  enabled: false
                """);
        ops = new MailQueueOperations(h.relay.queue());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @BeforeEach
    void johnsMailboxIsBusy() {
        h.downstream.replyToRecipient(JOHN, "451 4.2.1 mailbox busy, try later");
        h.deliverDue();
    }

    /** Sends one message from {@code sender} to JOHN, lets the first attempt fail, returns its queue id. */
    static String queued(String sender, String subject) throws Exception {
        String id;
        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + sender + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            String reply = c.data(Examples.message(subject)).last();
            id = reply.substring(reply.lastIndexOf(' ') + 1);
            c.send("QUIT").expect(221);
        }
        h.deliverDue();
        return id;
    }

    static List<DownstreamSink.Received> withSubject(String subject) {
        return h.downstream.received().stream().filter(r -> r.text().contains(subject)).toList();
    }

    @Test
    void lists_a_deferred_message_with_its_attempts_and_last_error() throws Exception {
        String id = queued(JANE, "listed");

        QueuedMessage m = ops.find(id).orElseThrow();
        assertThat(m.sender()).isEqualTo(JANE);
        assertThat(m.attempts()).isEqualTo(1);
        assertThat(m.lastError()).contains("451 4.2.1 mailbox busy");
        assertThat(m.nextAttempt()).isAfter(h.clock.instant());
        assertThat(m.recipients()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo("pending"));
        assertThat(ops.list()).extracting(QueuedMessage::id).contains(id);
        ops.delete(id);
    }

    @Test
    void retry_now_delivers_at_once_without_moving_the_clock() throws Exception {
        String id = queued(JANE, "retried");
        h.downstream.replyToRecipient(JOHN, null);

        assertThat(ops.retryNow(id)).isEqualTo(new QueueAction.Done(id));
        h.deliverDue();

        assertThat(withSubject("Subject: retried")).hasSize(1);
        assertThat(ops.find(id)).isEmpty();
    }

    @Test
    void delete_removes_the_message_and_its_spool_files_and_tells_nobody() throws Exception {
        String id = queued(JANE, "deleted");
        assertThat(h.relay.spool().holds(new QueueId(id))).isTrue();
        int before = h.downstream.received().size();

        assertThat(ops.delete(id)).isEqualTo(new QueueAction.Done(id));

        assertThat(ops.find(id)).isEmpty();
        assertThat(h.relay.spool().holds(new QueueId(id))).isFalse();
        assertThat(dir.resolve("spool/queue/" + id + ".json")).doesNotExist();
        h.downstream.replyToRecipient(JOHN, null);
        h.deliverDue();
        assertThat(h.downstream.received()).hasSize(before);
        assertThat(ops.delete(id)).isEqualTo(new QueueAction.NotFound(id));
    }

    @Test
    void bounce_sends_the_sender_a_dsn_with_the_reason_and_the_original_headers() throws Exception {
        String id = queued(JANE, "bounced");

        assertThat(ops.bounce(id, "mailbox moved;\r\ncall us")).isEqualTo(new QueueAction.Done(id));
        h.deliverDue();

        assertThat(ops.find(id)).isEmpty();
        DownstreamSink.Received dsn = h.downstream.receivedFor(JANE).stream()
                .filter(r -> r.text().contains("Subject: bounced")).findFirst().orElseThrow();
        assertThat(dsn.sender()).isEmpty();
        assertThat(dsn.text()).contains("Subject: Undelivered Mail Returned to Sender")
                .contains("<" + JOHN + ">: 5.0.0 Returned to the sender by the mail administrator: mailbox moved;  call us")
                .contains("Status: 5.0.0").contains("Action: failed").contains("X-Greyrelay-Queue-ID: " + id);
        assertThat(h.relay.spool().holds(new QueueId(id))).isFalse();
    }

    @Test
    void bounce_of_a_message_from_the_null_sender_removes_it_without_a_dsn() throws Exception {
        String id = queued("", "null-sender");
        int before = h.downstream.received().size();

        assertThat(ops.bounce(id, "")).isEqualTo(new QueueAction.Done(id));
        h.deliverDue();

        assertThat(ops.find(id)).isEmpty();
        assertThat(h.downstream.received()).hasSize(before);
    }

    @Test
    void shows_the_header_section_with_our_trace_fields_but_not_the_body() throws Exception {
        String id = queued(JANE, "headers");

        String headers = ops.headers(id).orElseThrow();

        assertThat(headers).contains("\r\nReceived: from " + HELO).contains("Subject: headers\r\n").endsWith("\r\n\r\n");
        assertThat(headers.indexOf("Received: from")).isLessThan(headers.indexOf("From: " + JANE));
        assertThat(headers.substring(headers.indexOf("\r\n\r\n") + 4)).isEmpty();
        ops.delete(id);
    }

    @Test
    void answers_not_found_for_unknown_and_malformed_ids() {
        assertThat(ops.retryNow("0ZZZZZZZZZZZ")).isEqualTo(new QueueAction.NotFound("0ZZZZZZZZZZZ"));
        assertThat(ops.delete("../../etc/passwd")).isEqualTo(new QueueAction.NotFound("../../etc/passwd"));
        assertThat(ops.bounce("", "x")).isEqualTo(new QueueAction.NotFound(""));
        assertThat(ops.find("not an id")).isEmpty();
        assertThat(ops.headers("0ZZZZZZZZZZZ")).isEmpty();
    }
}
