package greyrelay.admin.queue;

import java.util.Comparator;

/**
 * The columns the queue list may be sorted by. The queue is this node's in-memory index, not a table, so each column
 * is a comparator; ties fall back to the queue id, so paging is stable.
 */
public enum QueueColumn {
    ID(Comparator.comparing(QueuedMessage::id)),
    RECEIVED(Comparator.comparing(QueuedMessage::receivedAt)),
    SENDER(Comparator.comparing(QueuedMessage::sender, String.CASE_INSENSITIVE_ORDER)),
    RECIPIENTS(Comparator.comparingLong(QueuedMessage::pendingCount)),
    SIZE(Comparator.comparingLong(QueuedMessage::size)),
    ATTEMPTS(Comparator.comparingInt(QueuedMessage::attempts)),
    NEXT_ATTEMPT(Comparator.comparing(QueuedMessage::nextAttempt, Comparator.nullsLast(Comparator.naturalOrder()))),
    NODE(Comparator.comparing(QueuedMessage::node, Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER)));

    private final Comparator<QueuedMessage> order;

    QueueColumn(Comparator<QueuedMessage> order) {
        this.order = order;
    }

    Comparator<QueuedMessage> comparator(boolean ascending) {
        Comparator<QueuedMessage> c = order.thenComparing(QueuedMessage::id);
        return ascending ? c : c.reversed();
    }
}
