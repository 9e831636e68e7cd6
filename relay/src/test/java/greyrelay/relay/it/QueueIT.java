package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static greyrelay.relay.testing.Examples.MARY;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.queue.Envelope;
import greyrelay.relay.queue.RecipientState;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import greyrelay.relay.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue never loses a message it acknowledged: retries on schedule, per-recipient state, DSNs, crash recovery. */
class QueueIT {
    static final String YAML = """
            greylist:
              enabled: false
            verification:
              enabled: false
            queue:
              retrySchedule: [1m, 5m, 15m]
              maxLifetime: 1h
            """;

    @TempDir
    Path dir;

    RelayHarness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    private String send(String from, List<String> to, String subject) throws Exception {
        try (SmtpConversation c = SmtpConversation.open(h.smtpPort())) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + from + ">").expect(250);
            for (String r : to) c.send("RCPT TO:<" + r + ">").expect(250);
            var reply = c.data(Examples.message(subject));
            assertThat(reply.code()).isEqualTo(250);
            c.send("QUIT").expect(221);
            return reply.text().substring(reply.text().lastIndexOf(' ') + 1);
        }
    }

    private List<DownstreamSink.Received> withSubject(String subject) {
        return h.downstream.received().stream().filter(r -> !r.sender().isEmpty())
                .filter(r -> r.text().contains("Subject: " + subject + "\r\n")).toList();
    }

    @Test
    void a_message_waits_while_the_downstream_is_down_is_retried_on_schedule_and_delivered_when_it_returns() throws Exception {
        h = RelayHarness.start(dir, YAML);
        h.downstream.down();
        String id = send(JANE, List.of(JOHN), "waiting");
        h.deliverDue();
        Envelope e = h.relay.queue().list().getFirst();
        assertThat(e.id().value()).isEqualTo(id);
        assertThat(e.schedule().attempts()).isEqualTo(1);
        assertThat(e.schedule().nextAttempt()).isEqualTo(h.clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(e.schedule().lastError()).contains("CONNECT_FAILED");

        h.downstream.up();
        h.clock.advance(Duration.ofSeconds(59));
        assertThat(h.relay.queue().runDue()).as("not due before its retry time").isZero();
        assertThat(withSubject("waiting")).isEmpty();

        h.clock.advance(Duration.ofSeconds(1));
        h.deliverDue();
        assertThat(withSubject("waiting")).hasSize(1);
        assertThat(h.relay.queue().depth()).isZero();
        assertThat(h.relay.spool().holds(greyrelay.relay.queue.QueueId.parse(id))).isFalse();
    }

    @Test
    void a_temporary_refusal_of_one_recipient_retries_only_that_recipient() throws Exception {
        h = RelayHarness.start(dir, YAML);
        h.downstream.replyToRecipient(JOHN, "451 4.3.0 mailbox busy");
        send(JANE, List.of(JOHN, MARY), "partial");
        h.deliverDue();
        assertThat(withSubject("partial")).singleElement().satisfies(r -> assertThat(r.recipients()).containsExactly(MARY));
        Envelope e = h.relay.queue().list().getFirst();
        assertThat(e.recipients()).extracting(RecipientState::address, RecipientState::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(JOHN, RecipientState.Status.PENDING),
                org.assertj.core.groups.Tuple.tuple(MARY, RecipientState.Status.DELIVERED));

        h.downstream.replyToRecipient(JOHN, null);
        h.clock.advance(Duration.ofMinutes(1));
        h.deliverDue();
        assertThat(withSubject("partial")).hasSize(2).last().satisfies(r -> assertThat(r.recipients()).containsExactly(JOHN));
        assertThat(h.relay.queue().depth()).isZero();
    }

    @Test
    void a_permanent_refusal_sends_a_dsn_to_the_sender_with_the_original_headers() throws Exception {
        h = RelayHarness.start(dir, YAML);
        h.downstream.replyToRecipient(JOHN, "550 5.1.1 no such user here");
        String id = send(JANE, List.of(JOHN), "will-bounce");
        h.deliverDue(); // the attempt, then the DSN it queued
        h.deliverDue();
        var dsn = h.downstream.receivedFor(JANE);
        assertThat(dsn).singleElement().satisfies(r -> {
            assertThat(r.sender()).isEmpty();
            assertThat(r.text()).contains("Content-Type: multipart/report; report-type=delivery-status;")
                    .contains("Final-Recipient: rfc822; " + JOHN)
                    .contains("Action: failed")
                    .contains("Status: 5.1.1")
                    .contains("Diagnostic-Code: smtp; 550 5.1.1 no such user here")
                    .contains("X-Greyrelay-Queue-ID: " + id)
                    .contains("Content-Type: text/rfc822-headers")
                    .contains("Subject: will-bounce\r\n")
                    .contains("Received: from " + HELO);
        });
        assertThat(h.relay.queue().depth()).isZero();
    }

    @Test
    void a_bounce_of_the_null_sender_makes_no_dsn() throws Exception {
        h = RelayHarness.start(dir, YAML);
        h.downstream.replyToRecipient(JOHN, "550 5.1.1 no such user here");
        send("", List.of(JOHN), "bounce-of-bounce");
        h.deliverDue();
        h.deliverDue();
        assertThat(h.downstream.received()).isEmpty();
        assertThat(h.relay.queue().depth()).isZero();
    }

    @Test
    void a_message_still_undelivered_when_its_lifetime_ends_bounces() throws Exception {
        h = RelayHarness.start(dir, YAML);
        h.downstream.replyToRecipient(JOHN, "451 4.2.1 try later");
        send(JANE, List.of(JOHN), "expires");
        for (int i = 0; i < 10 && h.relay.queue().list().stream().anyMatch(e -> e.kind() == Envelope.Kind.MESSAGE); i++) {
            h.deliverDue();
            h.clock.advance(Duration.ofMinutes(16));
        }
        h.deliverDue();
        assertThat(h.relay.queue().list()).noneMatch(e -> e.kind() == Envelope.Kind.MESSAGE);
        var dsn = h.downstream.receivedFor(JANE);
        assertThat(dsn).singleElement().satisfies(r -> assertThat(r.text())
                .contains("Final-Recipient: rfc822; " + JOHN)
                .contains("delivery time expired (last error: RCPT refused: 451 4.2.1 try later)")
                .contains("Subject: expires"));
        assertThat(withSubject("expires")).isEmpty();
    }

    @Test
    void after_a_crash_a_restarted_relay_delivers_every_acknowledged_message_exactly_once() throws Exception {
        TestClock clock = new TestClock();
        try (FakeDnsServer dns = FakeDnsServer.start(); DownstreamSink sink = DownstreamSink.start();
                var db = TestDatabases.h2(dir)) {
            h = RelayHarness.start(dir, YAML, clock, dns, sink, db);
            sink.down();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) ids.add(send(JANE, List.of(JOHN, MARY), "crash-" + i));
            h.deliverDue();
            h.relay.crash();
            h = null;
            // an uncommitted leftover from the crash must not be delivered
            Files.writeString(dir.resolve("spool/incoming/0ZZZZZZZZZZZZZZ.msg"), "Subject: half-written\r\n");

            sink.up();
            h = RelayHarness.start(dir, YAML, clock, dns, sink, db);
            assertThat(h.relay.queue().list()).extracting(e -> e.id().value()).containsExactlyInAnyOrderElementsOf(ids);
            clock.advance(Duration.ofMinutes(1));
            h.deliverDue();
            for (int i = 0; i < 5; i++) {
                String subject = "crash-" + i;
                assertThat(sink.received().stream().filter(r -> r.text().contains("Subject: " + subject + "\r\n")))
                        .singleElement().satisfies(r -> assertThat(r.recipients()).containsExactlyInAnyOrder(JOHN, MARY));
            }
            assertThat(sink.received()).noneMatch(r -> r.text().contains("half-written"));
            assertThat(h.relay.queue().depth()).isZero();
            try (Stream<Path> left = Files.list(dir.resolve("spool/incoming"))) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    void a_spool_that_cannot_be_written_answers_451_and_keeps_nothing_half_written() throws Exception {
        h = RelayHarness.start(dir, YAML);
        Path segments = dir.resolve("spool/segments");
        Files.delete(segments);
        Files.writeString(segments, "not a directory"); // every commit now fails
        try (SmtpConversation c = SmtpConversation.open(h.smtpPort())) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(Examples.message("no-disk")).last()).isEqualTo(Replies.LOCAL_PROBLEM.line());
            c.send("NOOP").expect(250); // the session goes on
        }
        try (Stream<Path> left = Files.list(dir.resolve("spool/incoming"))) {
            assertThat(left).isEmpty();
        }
        assertThat(h.relay.queue().depth()).isZero();
    }

    @Test
    void a_nearly_full_disk_refuses_data_before_it_is_sent() throws Exception {
        h = RelayHarness.start(dir, YAML + "  minFreeSpace: 1000000GB\n");
        try (SmtpConversation c = SmtpConversation.open(h.smtpPort())) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            c.send("DATA").expect(Replies.LOCAL_PROBLEM.line());
            c.send("MAIL FROM:<" + JANE + ">").expect(250); // transaction was reset
        }
    }
}
