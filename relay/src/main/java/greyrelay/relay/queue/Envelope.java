package greyrelay.relay.queue;

import greyrelay.relay.address.Sender;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the queue knows about one spooled message: who sent it to whom, how it arrived, and where its delivery stands.
 * Kept by the spool beside the message (see {@link EnvelopeFormat} for the file form) and replaced as a whole on
 * every change, so the queue rebuilds itself from the spool after any crash.
 *
 * @param sender     the reverse path; {@link Sender.Null} for bounces, ours and others'
 * @param recipients one state per RCPT the client gave, in its order
 * @param arrival    facts fixed when the message was committed; they never change
 * @param schedule   the delivery timing, which changes with every attempt
 */
public record Envelope(QueueId id, Sender sender, List<RecipientState> recipients, Arrival arrival, Schedule schedule) {

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(schedule, "schedule");
        recipients = List.copyOf(recipients);
    }

    /** What the queue holds: mail a client gave us, or a bounce we wrote ourselves. */
    public enum Kind { MESSAGE, DSN }

    /** Where a message came from. */
    public sealed interface Origin {
        /**
         * Received over SMTP and acknowledged with 250 in session {@code sessionId}.
         *
         * @param helo the HELO/EHLO name, null when the client sent none
         */
        record Smtp(String clientAddress, String helo, String sessionId) implements Origin {}

        /** A delivery status notification this relay wrote: from the null sender, and never bounced itself. */
        record Notification() implements Origin {}
    }

    /**
     * How the message arrived; fixed at commit.
     *
     * @param size          the message's size in bytes as received (announced with SIZE= downstream)
     * @param traceHeaders  header fields we put on top of the message when relaying it ({@code Received:},
     *                      {@code Received-SPF:}, …), each complete and folded with CRLF, without the final CRLF; the
     *                      message file itself stays as received
     * @param node          the node ({@code node.name}) that accepted or wrote the message; null for a message spooled
     *                      before nodes were named
     */
    public record Arrival(Instant at, Origin origin, long size, List<String> traceHeaders, String node) {
        public Arrival {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(origin, "origin");
            traceHeaders = traceHeaders == null ? List.of() : List.copyOf(traceHeaders);
        }

        /** An arrival whose node is not known (spooled before nodes were named). */
        public Arrival(Instant at, Origin origin, long size, List<String> traceHeaders) {
            this(at, origin, size, traceHeaders, null);
        }
    }

    /**
     * Where delivery stands.
     *
     * @param attempts    delivery attempts made so far
     * @param nextAttempt when the queue tries the pending recipients again
     * @param deadline    when the pending recipients give up ({@code queue.maxLifetime} after arrival)
     * @param lastError   the last temporary failure, null when the last attempt had none
     */
    public record Schedule(int attempts, Instant nextAttempt, Instant deadline, String lastError) {
        /** A message just committed at {@code now}: due at once, given up {@code maxLifetime} later. */
        public static Schedule first(Instant now, Duration maxLifetime) {
            return new Schedule(0, now, now.plus(maxLifetime), null);
        }

        /** The same schedule, due at {@code now} (an administrator's "retry now"). */
        public Schedule dueAt(Instant now) {
            return new Schedule(attempts, now, deadline, lastError);
        }
    }

    public Kind kind() {
        return switch (arrival.origin()) {
            case Origin.Smtp s -> Kind.MESSAGE;
            case Origin.Notification n -> Kind.DSN;
        };
    }

    public List<RecipientState> pending() {
        return recipients.stream().filter(r -> r.status() == RecipientState.Status.PENDING).toList();
    }

    public boolean isFinished() {
        return pending().isEmpty();
    }

    public Envelope with(List<RecipientState> newRecipients, Schedule newSchedule) {
        return new Envelope(id, sender, newRecipients, arrival, newSchedule);
    }

    public Envelope with(Schedule newSchedule) {
        return new Envelope(id, sender, recipients, arrival, newSchedule);
    }
}
