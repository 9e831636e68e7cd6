package greyrelay.relay.queue;

import static greyrelay.relay.testing.Examples.CLIENT_IP;
import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.address.Sender;
import greyrelay.relay.config.DownstreamConfig;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which message the queue starts next: the one due earliest, none before it is due, and one just accepted at once, by
 * the accepting thread, without waiting for the scheduler.
 */
class MailQueueDispatchTest {
    @TempDir
    Path dir;

    final TestClock clock = new TestClock();
    final DownstreamSink sink = DownstreamSink.start();
    Spool spool;
    MailQueue queue;

    void open(int workers, boolean background) throws Exception {
        open(workers, background, Duration.ofSeconds(1));
    }

    /** A queue whose scheduler (if {@code background}) sleeps {@code lookEvery} between unsignalled looks. */
    void open(int workers, boolean background, Duration lookEvery) throws Exception {
        spool = new Spool(dir, clock, 0);
        DownstreamConfig downstream = new DownstreamConfig("127.0.0.1", sink.port(), Map.of(), DownstreamConfig.TlsPolicy.MAY, "", "",
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2), 1);
        queue = new MailQueue(spool, new DownstreamDelivery(downstream, "relay.example.net", spool), new RetrySchedule(List.of("1m")),
                clock, "relay.example.net", "n1", Duration.ofDays(5), workers, new SimpleMeterRegistry());
        queue.lookEvery(lookEvery);
        queue.start(background);
    }

    @AfterEach
    void close() {
        if (queue != null) queue.close();
        if (spool != null) spool.close();
        sink.close();
    }

    /** Commits a message with this subject, due at {@code due}. */
    Envelope committed(String subject, Instant due) throws Exception {
        try (Spool.Incoming in = spool.begin()) {
            String message = Examples.message(subject);
            in.out().write(message.getBytes(StandardCharsets.US_ASCII));
            Instant now = clock.instant();
            return in.commit(new Envelope(in.id(), Sender.parse(JANE).orElseThrow(), List.of(RecipientState.pending(JOHN)),
                    new Envelope.Arrival(now, new Envelope.Origin.Smtp(CLIENT_IP, HELO, "S1"), message.length(), List.of()),
                    new Envelope.Schedule(0, due, now.plus(Duration.ofDays(5)), null)));
        }
    }

    List<String> deliveredSubjects() {
        return sink.received().stream().map(r -> r.text().lines().filter(l -> l.startsWith("Subject: ")).findFirst().orElseThrow()
                .substring(9)).toList();
    }

    @Test
    void messages_are_started_earliest_due_first_and_none_before_it_is_due() throws Exception {
        open(1, false);
        Instant now = clock.instant();
        queue.accept(committed("second", now.minusSeconds(20)));
        queue.accept(committed("later", now.plusSeconds(30)));
        queue.accept(committed("third", now.minusSeconds(10)));
        queue.accept(committed("first", now.minusSeconds(30)));

        assertThat(queue.runDue()).isEqualTo(3);
        assertThat(deliveredSubjects()).as("one worker: one after another, by due time").containsExactly("first", "second", "third");
        assertThat(queue.depth()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(29));
        assertThat(queue.runDue()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(queue.runDue()).isEqualTo(1);
        assertThat(deliveredSubjects()).containsExactly("first", "second", "third", "later");
        assertThat(queue.depth()).isZero();
    }

    @Test
    void a_deferred_message_is_started_again_at_its_new_time_and_not_before() throws Exception {
        open(1, false);
        sink.replyToRecipient(JOHN, "451 4.3.0 busy");
        Envelope e = committed("deferred", clock.instant());
        queue.accept(e);
        assertThat(queue.runDue()).isEqualTo(1);
        assertThat(queue.get(e.id()).orElseThrow().schedule().nextAttempt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));

        sink.replyToRecipient(JOHN, null);
        clock.advance(Duration.ofSeconds(59));
        assertThat(queue.runDue()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(queue.runDue()).isEqualTo(1);
        assertThat(deliveredSubjects()).containsExactly("deferred");
        assertThat(spool.holds(e.id())).as("runDue waits for the removal").isFalse();
    }

    @Test
    void a_message_accepted_while_the_queue_runs_is_delivered_at_once() throws Exception {
        // the scheduler's first look finds nothing; after it, it sleeps for an hour unless signalled
        open(4, true, Duration.ofHours(1));
        Thread.sleep(200); // past that first look (were it later, it would deliver the message and hide a broken accept)

        queue.accept(committed("now", clock.instant()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sink.received().isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);

        assertThat(deliveredSubjects()).as("started by accept, not by the scheduler's next look").containsExactly("now");
    }
}
