package greyrelay.relay.admin;

import greyrelay.admin.queue.QueueAction;
import greyrelay.admin.queue.QueueOperations;
import greyrelay.admin.queue.QueuedMessage;
import greyrelay.relay.queue.Envelope;
import greyrelay.relay.queue.MailQueue;
import greyrelay.relay.queue.QueueId;
import greyrelay.relay.queue.SpoolException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The admin panel's view of this node's {@link MailQueue} ({@link QueueOperations}, declared by admin-ui). Ids the
 * panel passes are operator input: one that is not a queue id is simply "not found". A spool failure during delete or
 * bounce surfaces as an exception (the panel answers 500 and the log has the reason).
 */
public final class MailQueueOperations implements QueueOperations {
    private final MailQueue queue;

    public MailQueueOperations(MailQueue queue) {
        this.queue = queue;
    }

    @Override
    public List<QueuedMessage> list() {
        return queue.list().stream().map(MailQueueOperations::view).toList();
    }

    @Override
    public Optional<QueuedMessage> find(String id) {
        return parse(id).flatMap(queue::get).map(MailQueueOperations::view);
    }

    @Override
    public Optional<String> headers(String id) {
        // headers are mostly ASCII; 8-bit ones (SMTPUTF8) are read as UTF-8, anything else shows as U+FFFD
        return parse(id).flatMap(queue::headers).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    @Override
    public QueueAction retryNow(String id) {
        Optional<QueueId> q = parse(id);
        return q.isEmpty() ? new QueueAction.NotFound(id) : action(id, queue.retry(q.get()));
    }

    @Override
    public QueueAction delete(String id) {
        Optional<QueueId> q = parse(id);
        if (q.isEmpty()) return new QueueAction.NotFound(id);
        try {
            return action(q.get().value(), queue.delete(q.get()));
        } catch (SpoolException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public QueueAction bounce(String id, String reason) {
        Optional<QueueId> q = parse(id);
        if (q.isEmpty()) return new QueueAction.NotFound(id);
        try {
            return action(q.get().value(), queue.bounce(q.get(), reason));
        } catch (SpoolException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static QueueAction action(String id, MailQueue.Change c) {
        return switch (c) {
            case DONE -> new QueueAction.Done(id);
            case NOT_FOUND -> new QueueAction.NotFound(id);
            case IN_DELIVERY -> new QueueAction.Busy(id);
        };
    }

    private static Optional<QueueId> parse(String id) {
        try {
            return Optional.of(QueueId.parse(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    static QueuedMessage view(Envelope e) {
        List<QueuedMessage.QueuedRecipient> rcpts = e.recipients().stream()
                .map(r -> new QueuedMessage.QueuedRecipient(r.address(), r.status().name().toLowerCase(Locale.ROOT), r.attempts(), r.lastReply()))
                .toList();
        var from = e.arrival().origin() instanceof Envelope.Origin.Smtp smtp ? Optional.of(smtp) : Optional.<Envelope.Origin.Smtp>empty();
        Envelope.Schedule s = e.schedule();
        return new QueuedMessage(e.id().value(), e.sender().toString(), e.kind().name().toLowerCase(Locale.ROOT), e.arrival().at(),
                from.map(Envelope.Origin.Smtp::clientAddress).orElse(null), from.map(Envelope.Origin.Smtp::helo).orElse(null),
                e.arrival().size(), s.attempts(), s.nextAttempt(), s.deadline(), s.lastError(), e.arrival().node(), rcpts);
    }
}
