package greyrelay.admin.queue;

import java.util.List;
import java.util.Optional;

/**
 * What the panel may do with this node's mail queue. admin-ui declares it; the relay implements it over its queue and
 * hands it to the panel when it embeds it. A panel running alone has no queue, so no queue page.
 *
 * <p>Ids are the queue ids as shown ({@code 0MH2X5K3A7Q9ZP}); an id that is not one answers "not found". Every
 * method is quick (the queue's index is in memory; {@link #headers} reads at most 64 KB from the spool). Implementations
 * are thread-safe.
 */
public interface QueueOperations {
    /** Every queued message, oldest first. */
    List<QueuedMessage> list();

    Optional<QueuedMessage> find(String id);

    /** The header section as it will be relayed (our trace fields on top), at most 64 KB; empty when not queued. */
    Optional<String> headers(String id);

    /** Makes the message due now: the delivery workers try its pending recipients at once. */
    QueueAction retryNow(String id);

    /** Removes the message from the queue and the spool, silently (no DSN). */
    QueueAction delete(String id);

    /**
     * Gives up on the pending recipients: they fail as with a 5xx from the downstream, so the sender gets a DSN
     * (unless the sender is the null sender or the message is itself a DSN), and the message leaves the queue.
     *
     * @param reason the administrator's words for the DSN, one line, may be blank
     */
    QueueAction bounce(String id, String reason);
}
