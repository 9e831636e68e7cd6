package greyrelay.relay.queue;

import greyrelay.relay.address.Sender;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The queue's decisions, apart from the sockets and files that carry them out: given a message and what one attempt
 * brought, the new state of each recipient, when to try again (or that the message is done), and who hears about the
 * recipients that failed. Pure: records in, a record out; the time comes in with the attempt.
 *
 * <ul>
 *   <li>Only pending recipients change. An accepted one is never tried again; a 5xx fails it; a 4xx (or no
 *       connection) keeps it pending with the reason, and the last such reason is the message's {@code lastError}.</li>
 *   <li>After the n-th attempt the next one is {@link RetrySchedule#next}(n) later, never later than the deadline;
 *       an attempt due at or after the deadline is not made ({@link #expired}) and the pending recipients fail with
 *       "delivery time expired".</li>
 *   <li>Recipients that failed in this attempt are reported to the sender in one DSN — never to the null sender,
 *       never about a DSN. Those that failed earlier were reported then.</li>
 * </ul>
 */
final class QueuePolicy {
    private final RetrySchedule schedule;

    QueuePolicy(RetrySchedule schedule) {
        this.schedule = schedule;
    }

    /** True when the message's lifetime ({@code queue.maxLifetime} from arrival) is over at {@code now}. */
    boolean expired(Envelope message, Instant now) {
        return !now.isBefore(message.schedule().deadline());
    }

    /**
     * @param message the message as it was before the attempt
     * @param attempt what happened, with the clock reading after it
     * @return the message with its new recipient states and schedule, whether it stays queued, and the DSN due
     */
    Transition decide(Envelope message, Attempt attempt) {
        List<RecipientState> after = new ArrayList<>();
        List<RecipientState> failed = new ArrayList<>();
        String lastError = null;
        for (RecipientState r : message.recipients()) {
            if (r.status() != RecipientState.Status.PENDING) {
                after.add(r);
                continue;
            }
            RecipientState next = next(r, attempt);
            if (next.status() == RecipientState.Status.FAILED) failed.add(next);
            if (attempt instanceof Attempt.Tried t && t.results().get(r.address()) instanceof DeliveryResult.Deferred d) {
                lastError = d.reason();
            }
            after.add(next);
        }
        Envelope updated = message.with(after, schedule(message.schedule(), attempt, lastError));
        Transition.Notice notice = notice(message, failed);
        return updated.isFinished() ? new Transition.Done(updated, notice) : new Transition.Retry(updated, notice);
    }

    private static RecipientState next(RecipientState r, Attempt attempt) {
        return switch (attempt) {
            case Attempt.Tried t -> switch (t.results().get(r.address())) {
                case null -> r;
                case DeliveryResult.Delivered d -> r.attempted(RecipientState.Status.DELIVERED, d.reply(), t.at());
                case DeliveryResult.Deferred d -> r.attempted(RecipientState.Status.PENDING, d.reason(), t.at());
                case DeliveryResult.Bounced b -> r.attempted(RecipientState.Status.FAILED, b.reply(), t.at());
            };
            case Attempt.Expired x -> r.attempted(RecipientState.Status.FAILED,
                    "delivery time expired" + (r.lastReply() == null ? "" : " (last error: " + r.lastReply() + ")"), x.at());
            // an administrator's decision is not a delivery attempt: the count stays
            case Attempt.Returned a -> new RecipientState(r.address(), RecipientState.Status.FAILED, r.attempts(), a.reply(), a.at());
        };
    }

    private Envelope.Schedule schedule(Envelope.Schedule before, Attempt attempt, String lastError) {
        if (attempt instanceof Attempt.Returned) return before;
        int attempts = before.attempts() + 1;
        Instant next = attempt.at().plus(schedule.next(attempts));
        if (next.isAfter(before.deadline())) next = before.deadline();
        return new Envelope.Schedule(attempts, next, before.deadline(), lastError);
    }

    private static Transition.Notice notice(Envelope message, List<RecipientState> failed) {
        if (failed.isEmpty()) return new Transition.Notice.None();
        return switch (message.sender()) {
            case Sender.Null n -> new Transition.Notice.Withheld(Transition.Notice.Reason.NULL_SENDER, failed);
            case Sender.Address a when message.kind() == Envelope.Kind.DSN ->
                    new Transition.Notice.Withheld(Transition.Notice.Reason.ABOUT_A_DSN, failed);
            case Sender.Address a -> new Transition.Notice.Due(a.mailbox(), failed);
        };
    }
}
