package greyrelay.admin.queue;

import java.time.Instant;
import java.util.List;

/**
 * One queued message as the panel shows it. Addresses, HELO and errors came from strangers: display them escaped.
 *
 * @param sender      the reverse path, "" for the null sender
 * @param kind        {@code message} (received) or {@code dsn} (a bounce we generated)
 * @param nextAttempt when the pending recipients are tried next
 * @param deadline    when the pending recipients give up (and bounce)
 * @param lastError   the last temporary failure, or null
 * @param node        the node ({@code node.name}) that accepted or wrote it; null for mail spooled before nodes were named
 */
public record QueuedMessage(String id, String sender, String kind, Instant receivedAt, String clientAddress, String helo, long size,
        int attempts, Instant nextAttempt, Instant deadline, String lastError, String node, List<QueuedRecipient> recipients) {

    public QueuedMessage {
        recipients = List.copyOf(recipients);
    }

    /** One recipient and its delivery state ({@code pending}, {@code delivered}, {@code failed}). */
    public record QueuedRecipient(String address, String status, int attempts, String lastReply) {}

    public long pendingCount() {
        return recipients.stream().filter(r -> r.status().equals("pending")).count();
    }

    /** Whether the search text occurs in the id, the sender or a recipient (case-insensitively). */
    boolean matches(String lowerText) {
        if (id.toLowerCase(java.util.Locale.ROOT).contains(lowerText)) return true;
        if (sender.toLowerCase(java.util.Locale.ROOT).contains(lowerText)) return true;
        return recipients.stream().anyMatch(r -> r.address().toLowerCase(java.util.Locale.ROOT).contains(lowerText));
    }
}
