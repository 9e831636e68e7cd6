package greyrelay.relay.queue;

import static greyrelay.relay.queue.RecipientState.Status.DELIVERED;
import static greyrelay.relay.queue.RecipientState.Status.FAILED;
import static greyrelay.relay.queue.RecipientState.Status.PENDING;
import static greyrelay.relay.testing.Examples.CLIENT_IP;
import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static greyrelay.relay.testing.Examples.MARY;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.address.Sender;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every transition of the pure queue decision: schedule {@code [1m, 5m*2, 1h]}, lifetime 1 day from arrival at T0,
 * a message from JANE to JOHN and MARY unless a row says otherwise.
 */
class QueuePolicyTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Duration LIFETIME = Duration.ofDays(1);
    static final Instant DEADLINE = T0.plus(LIFETIME);
    static final QueuePolicy POLICY = new QueuePolicy(new RetrySchedule(List.of("1m", "5m*2", "1h")));

    static final Sender FROM_JANE = Sender.parse(JANE).orElseThrow();
    static final Envelope.Origin CLIENT = new Envelope.Origin.Smtp(CLIENT_IP, HELO, "S1");
    static final Envelope.Origin OURS = new Envelope.Origin.Notification();

    static final String BUSY_REASON = "RCPT refused: 451 4.2.1 mailbox busy";
    static final String DOWN_REASON = "CONNECT_FAILED: connection refused";
    static final DeliveryResult OK = new DeliveryResult.Delivered("250 2.0.0 Ok: queued");
    static final DeliveryResult BUSY = new DeliveryResult.Deferred(BUSY_REASON);
    static final DeliveryResult DOWN = new DeliveryResult.Deferred(DOWN_REASON);
    static final DeliveryResult UNKNOWN = new DeliveryResult.Bounced("550 5.1.1 no such user");

    static Envelope message(Sender sender, Envelope.Origin origin, int attempts, RecipientState... recipients) {
        return new Envelope(new QueueId("0MWYT8HS0SHYS33"), sender, List.of(recipients),
                new Envelope.Arrival(T0, origin, 100, List.of()), new Envelope.Schedule(attempts, T0, DEADLINE, null));
    }

    static Envelope toJohnAndMary() {
        return message(FROM_JANE, CLIENT, 0, RecipientState.pending(JOHN), RecipientState.pending(MARY));
    }

    static RecipientState was(String address, RecipientState.Status status, String reply) {
        return new RecipientState(address, status, 1, reply, T0);
    }

    static Attempt tried(Instant at, Object... addressAndResult) {
        Map<String, DeliveryResult> results = new LinkedHashMap<>();
        for (int i = 0; i < addressAndResult.length; i += 2) results.put((String) addressAndResult[i], (DeliveryResult) addressAndResult[i + 1]);
        return new Attempt.Tried(results, at);
    }

    /**
     * @param statuses  each recipient's status after the attempt, in order
     * @param next      the next attempt, null when the message is done
     * @param lastError the message's last temporary error after the attempt
     * @param notice    "none", "DSN to <to>: <failed>…" or "withheld <REASON>: <failed>…"
     */
    record Case(Envelope before, Attempt attempt, List<RecipientState.Status> statuses, Instant next, String lastError, String notice) {}

    static Arguments row(String name, Envelope before, Attempt attempt, List<RecipientState.Status> statuses, Instant next,
            String lastError, String notice) {
        return Arguments.of(Named.of(name, new Case(before, attempt, statuses, next, lastError, notice)));
    }

    static Stream<Arguments> transitions() {
        Instant at = T0.plusSeconds(2);
        return Stream.of(
                row("all delivered: done, nobody told", toJohnAndMary(), tried(at, JOHN, OK, MARY, OK),
                        List.of(DELIVERED, DELIVERED), null, null, "none"),
                row("partial 4xx: only the deferred recipient stays, tried again 1m later", toJohnAndMary(),
                        tried(at, JOHN, BUSY, MARY, OK), List.of(PENDING, DELIVERED), at.plus(Duration.ofMinutes(1)), BUSY_REASON, "none"),
                row("partial 5xx: done, a DSN for the refused recipient only", toJohnAndMary(), tried(at, JOHN, UNKNOWN, MARY, OK),
                        List.of(FAILED, DELIVERED), null, null, "DSN to " + JANE + ": " + JOHN),
                row("two 5xx in one attempt: one DSN names both", toJohnAndMary(), tried(at, JOHN, UNKNOWN, MARY, UNKNOWN),
                        List.of(FAILED, FAILED), null, null, "DSN to " + JANE + ": " + JOHN + ", " + MARY),
                row("5xx and 4xx: the DSN goes now, the deferred recipient waits", toJohnAndMary(), tried(at, JOHN, UNKNOWN, MARY, BUSY),
                        List.of(FAILED, PENDING), at.plus(Duration.ofMinutes(1)), BUSY_REASON, "DSN to " + JANE + ": " + JOHN),
                row("connection failure: every recipient deferred with the reason", toJohnAndMary(), tried(at, JOHN, DOWN, MARY, DOWN),
                        List.of(PENDING, PENDING), at.plus(Duration.ofMinutes(1)), DOWN_REASON, "none"),
                row("the last deferral of the attempt is the message's last error", toJohnAndMary(), tried(at, JOHN, DOWN, MARY, BUSY),
                        List.of(PENDING, PENDING), at.plus(Duration.ofMinutes(1)), BUSY_REASON, "none"),
                row("a recipient the attempt did not include stays pending, untouched", toJohnAndMary(), tried(at, JOHN, OK),
                        List.of(DELIVERED, PENDING), at.plus(Duration.ofMinutes(1)), null, "none"),
                row("a recipient settled earlier is neither changed nor reported again",
                        message(FROM_JANE, CLIENT, 1, was(JOHN, FAILED, "550 5.1.1 earlier"), RecipientState.pending(MARY)),
                        tried(at, MARY, UNKNOWN), List.of(FAILED, FAILED), null, null, "DSN to " + JANE + ": " + MARY),
                row("lifetime over: the pending recipients fail and the sender is told",
                        message(FROM_JANE, CLIENT, 5, was(JOHN, PENDING, BUSY_REASON), was(MARY, DELIVERED, "250 ok")),
                        new Attempt.Expired(DEADLINE), List.of(FAILED, DELIVERED), null, null, "DSN to " + JANE + ": " + JOHN),
                row("null sender: a 5xx makes no DSN", message(Sender.NULL, CLIENT, 0, RecipientState.pending(JOHN)),
                        tried(at, JOHN, UNKNOWN), List.of(FAILED), null, null, "withheld NULL_SENDER: " + JOHN),
                row("null sender: an expired message makes no DSN", message(Sender.NULL, CLIENT, 3, was(JOHN, PENDING, BUSY_REASON)),
                        new Attempt.Expired(DEADLINE), List.of(FAILED), null, null, "withheld NULL_SENDER: " + JOHN),
                row("our own DSN that bounces makes no DSN about it", message(Sender.NULL, OURS, 0, RecipientState.pending(JANE)),
                        tried(at, JANE, UNKNOWN), List.of(FAILED), null, null, "withheld NULL_SENDER: " + JANE),
                row("a DSN is never bounced, whatever its sender says", message(FROM_JANE, OURS, 0, RecipientState.pending(JOHN)),
                        tried(at, JOHN, UNKNOWN), List.of(FAILED), null, null, "withheld ABOUT_A_DSN: " + JOHN),
                row("returned by an administrator: every pending recipient fails, the sender is told",
                        message(FROM_JANE, CLIENT, 2, was(JOHN, PENDING, BUSY_REASON), was(MARY, DELIVERED, "250 ok")),
                        Attempt.Returned.byAdministrator("", at), List.of(FAILED, DELIVERED), null, null, "DSN to " + JANE + ": " + JOHN),
                row("returned by an administrator, from the null sender: nobody told",
                        message(Sender.NULL, CLIENT, 2, was(JOHN, PENDING, BUSY_REASON)),
                        Attempt.Returned.byAdministrator("spam", at), List.of(FAILED), null, null, "withheld NULL_SENDER: " + JOHN),
                row("a recovered message with nothing pending is done at once, nobody told",
                        message(FROM_JANE, CLIENT, 1, was(JOHN, DELIVERED, "250 ok")), tried(at),
                        List.of(DELIVERED), null, null, "none"),
                // the retry schedule: 1m after the first attempt, 5m after the second and third, then 1h for ever
                row("schedule: after the 2nd attempt, 5m", message(FROM_JANE, CLIENT, 1, RecipientState.pending(JOHN)),
                        tried(at, JOHN, BUSY), List.of(PENDING), at.plus(Duration.ofMinutes(5)), BUSY_REASON, "none"),
                row("schedule: after the 3rd attempt, 5m again", message(FROM_JANE, CLIENT, 2, RecipientState.pending(JOHN)),
                        tried(at, JOHN, BUSY), List.of(PENDING), at.plus(Duration.ofMinutes(5)), BUSY_REASON, "none"),
                row("schedule: after the 4th attempt, the last step: 1h", message(FROM_JANE, CLIENT, 3, RecipientState.pending(JOHN)),
                        tried(at, JOHN, BUSY), List.of(PENDING), at.plus(Duration.ofHours(1)), BUSY_REASON, "none"),
                row("schedule: after the 20th attempt, the last step repeats", message(FROM_JANE, CLIENT, 19, RecipientState.pending(JOHN)),
                        tried(at, JOHN, BUSY), List.of(PENDING), at.plus(Duration.ofHours(1)), BUSY_REASON, "none"),
                row("schedule: the next attempt is never later than the deadline",
                        message(FROM_JANE, CLIENT, 7, RecipientState.pending(JOHN)), tried(DEADLINE.minus(Duration.ofMinutes(10)), JOHN, BUSY),
                        List.of(PENDING), DEADLINE, BUSY_REASON, "none"),
                row("schedule: exactly one step before the deadline lands on it",
                        message(FROM_JANE, CLIENT, 7, RecipientState.pending(JOHN)), tried(DEADLINE.minus(Duration.ofHours(1)), JOHN, BUSY),
                        List.of(PENDING), DEADLINE, BUSY_REASON, "none"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transitions")
    void decides_each_transition(Case c) {
        Transition t = POLICY.decide(c.before(), c.attempt());

        assertThat(t.message().recipients()).extracting(RecipientState::status).containsExactlyElementsOf(c.statuses());
        if (c.next() == null) {
            assertThat(t).isInstanceOf(Transition.Done.class);
        } else {
            assertThat(t).isInstanceOf(Transition.Retry.class);
            assertThat(t.message().schedule().nextAttempt()).isEqualTo(c.next());
            assertThat(t.message().schedule().lastError()).isEqualTo(c.lastError());
        }
        assertThat(describe(t.notice())).isEqualTo(c.notice());
        assertThat(t.message().schedule().deadline()).as("the deadline never moves").isEqualTo(DEADLINE);
        assertThat(t.message().arrival()).isEqualTo(c.before().arrival());
    }

    static String describe(Transition.Notice n) {
        return switch (n) {
            case Transition.Notice.None none -> "none";
            case Transition.Notice.Due d -> "DSN to " + d.to().address() + ": " + addresses(d.failed());
            case Transition.Notice.Withheld w -> "withheld " + w.reason() + ": " + addresses(w.failed());
        };
    }

    static String addresses(List<RecipientState> rs) {
        return rs.stream().map(RecipientState::address).collect(Collectors.joining(", "));
    }

    @Test
    void an_attempt_records_each_answer_its_time_and_counts_once_for_the_message() {
        Instant at = T0.plusSeconds(7);

        Transition t = POLICY.decide(toJohnAndMary(), tried(at, JOHN, BUSY, MARY, OK));

        assertThat(t.message().recipients()).containsExactly(
                new RecipientState(JOHN, PENDING, 1, BUSY_REASON, at),
                new RecipientState(MARY, DELIVERED, 1, "250 2.0.0 Ok: queued", at));
        assertThat(t.message().schedule().attempts()).isEqualTo(1);
    }

    @Test
    void an_expired_recipient_fails_with_its_last_error_and_the_dsn_carries_that_reason() {
        Envelope before = message(FROM_JANE, CLIENT, 4, was(JOHN, PENDING, "RCPT refused: 451 4.2.1 try later"),
                RecipientState.pending(MARY));

        Transition t = POLICY.decide(before, new Attempt.Expired(DEADLINE.plusSeconds(1)));

        assertThat(t.message().recipients()).containsExactly(
                new RecipientState(JOHN, FAILED, 2, "delivery time expired (last error: RCPT refused: 451 4.2.1 try later)",
                        DEADLINE.plusSeconds(1)),
                new RecipientState(MARY, FAILED, 1, "delivery time expired", DEADLINE.plusSeconds(1)));
        assertThat(((Transition.Notice.Due) t.notice()).failed()).containsExactlyElementsOf(t.message().recipients());
    }

    @Test
    void an_administrators_return_is_not_counted_as_an_attempt_and_keeps_the_schedule() {
        Envelope before = message(FROM_JANE, CLIENT, 2, was(JOHN, PENDING, BUSY_REASON));
        Instant at = T0.plus(Duration.ofMinutes(30));

        Transition t = POLICY.decide(before, Attempt.Returned.byAdministrator("  mailbox moved;\r\ncall us  ", at));

        assertThat(t.message().recipients()).containsExactly(new RecipientState(JOHN, FAILED, 1,
                "5.0.0 Returned to the sender by the mail administrator: mailbox moved;  call us", at));
        assertThat(t.message().schedule()).isEqualTo(before.schedule());
    }

    @Test
    void an_administrators_reason_is_cut_at_200_characters_and_may_be_left_out() {
        assertThat(Attempt.Returned.byAdministrator("x".repeat(500), T0).reply())
                .isEqualTo("5.0.0 Returned to the sender by the mail administrator: " + "x".repeat(200));
        assertThat(Attempt.Returned.byAdministrator(null, T0).reply()).isEqualTo("5.0.0 Returned to the sender by the mail administrator");
        assertThat(Attempt.Returned.byAdministrator(" \t ", T0).reply()).isEqualTo("5.0.0 Returned to the sender by the mail administrator");
    }

    @Test
    void the_lifetime_ends_exactly_at_the_deadline() {
        Envelope m = toJohnAndMary();

        assertThat(POLICY.expired(m, DEADLINE.minusMillis(1))).isFalse();
        assertThat(POLICY.expired(m, DEADLINE)).isTrue();
        assertThat(POLICY.expired(m, DEADLINE.plusSeconds(1))).isTrue();
    }

    @Test
    void recipients_settle_the_same_whether_answered_in_one_attempt_or_one_attempt_per_route() {
        Envelope before = message(FROM_JANE, CLIENT, 0, RecipientState.pending(JOHN), RecipientState.pending(MARY),
                RecipientState.pending("ann@example.net"));
        Instant at = T0.plusSeconds(3);

        Transition together = POLICY.decide(before, tried(at, JOHN, OK, MARY, UNKNOWN, "ann@example.net", BUSY));
        Transition first = POLICY.decide(before, tried(at, JOHN, OK, MARY, UNKNOWN));
        Transition second = POLICY.decide(first.message(), tried(at, "ann@example.net", BUSY));

        assertThat(second.message().recipients()).isEqualTo(together.message().recipients());
        assertThat(first.notice()).isEqualTo(together.notice());
        assertThat(second.notice()).isEqualTo(new Transition.Notice.None());
    }
}
