package greyrelay.relay.queue;

import java.time.Instant;
import java.util.List;

/**
 * What the spool keeps beside a message: the envelope, where it came from and the delivery state. Written as
 * JSON next to the message file and replaced atomically (write, fsync, rename) on every change, so the queue
 * rebuilds itself from the spool after any crash.
 *
 * @param sender       the reverse path, "" for the null sender
 * @param kind         {@code MESSAGE} for received mail, {@code DSN} for a bounce we generated (never bounced itself)
 * @param nextAttempt  when the delivery worker should try the pending recipients again
 * @param deadline     when pending recipients give up (queue.maxLifetime after arrival)
 * @param traceHeaders header fields we put on top of the message when relaying it ({@code Received:}, {@code X-Greylist:},
 *                     …), each complete and folded with CRLF, without the final CRLF; the message file itself stays as received
 */
public record Envelope(
        String id,
        String sender,
        List<RecipientState> recipients,
        Instant receivedAt,
        String clientAddress,
        String helo,
        String sessionId,
        long size,
        Kind kind,
        Instant nextAttempt,
        Instant deadline,
        int attempts,
        String lastError,
        List<String> traceHeaders) {

    public enum Kind { MESSAGE, DSN }

    public Envelope {
        recipients = List.copyOf(recipients);
        traceHeaders = traceHeaders == null ? List.of() : List.copyOf(traceHeaders);
    }

    public boolean isNullSender() {
        return sender == null || sender.isEmpty();
    }

    public List<RecipientState> pending() {
        return recipients.stream().filter(r -> r.status() == RecipientState.Status.PENDING).toList();
    }

    public boolean isFinished() {
        return pending().isEmpty();
    }

    public Envelope withRecipients(List<RecipientState> rs) {
        return new Envelope(id, sender, rs, receivedAt, clientAddress, helo, sessionId, size, kind, nextAttempt, deadline, attempts,
                lastError, traceHeaders);
    }

    public Envelope withSchedule(Instant next, int attemptCount, String error) {
        return new Envelope(id, sender, recipients, receivedAt, clientAddress, helo, sessionId, size, kind, next, deadline,
                attemptCount, error, traceHeaders);
    }
}
