package greyrelay.relay.queue;

import greyrelay.relay.address.Mailbox;
import java.util.List;

/**
 * What {@link QueuePolicy#decide} made of an attempt: the message with its new recipient states and schedule, whether
 * it stays in the queue, and whether the sender is told about recipients that failed in this attempt.
 */
sealed interface Transition {
    Envelope message();

    Notice notice();

    /** Some recipients are still pending: keep the message, tried again at {@code message.schedule().nextAttempt()}. */
    record Retry(Envelope message, Notice notice) implements Transition {}

    /** Nothing is pending any more: the message leaves the queue. */
    record Done(Envelope message, Notice notice) implements Transition {}

    /** A delivery status notification, or why there is none. Only recipients that failed in this attempt are in it. */
    sealed interface Notice {
        /** No recipient failed in this attempt. */
        record None() implements Notice {}

        /** Tell {@code to} (the sender) that these recipients failed. */
        record Due(Mailbox to, List<RecipientState> failed) implements Notice {
            public Due {
                failed = List.copyOf(failed);
            }
        }

        /** Recipients failed, but nobody is told: bounces go neither to the null sender nor about a bounce. */
        record Withheld(Reason reason, List<RecipientState> failed) implements Notice {
            public Withheld {
                failed = List.copyOf(failed);
            }
        }

        enum Reason { NULL_SENDER, ABOUT_A_DSN }
    }
}
