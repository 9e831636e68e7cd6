package greyrelay.admin.testing;

import greyrelay.admin.queue.QueueAction;
import greyrelay.admin.queue.QueueOperations;
import greyrelay.admin.queue.QueuedMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory queue for panel tests: holds messages the test puts in, records what the panel asked for. The real one
 * (the relay's) is exercised by the relay's tests.
 */
public final class FakeQueue implements QueueOperations {
    private final Map<String, QueuedMessage> messages = new ConcurrentHashMap<>();
    private final Map<String, String> headers = new ConcurrentHashMap<>();
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    public final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());

    public FakeQueue add(QueuedMessage m, String headerText) {
        messages.put(m.id(), m);
        headers.put(m.id(), headerText);
        return this;
    }

    /** A message with one pending recipient. */
    public static QueuedMessage message(String id, String sender, String recipient, Instant received, String lastError) {
        return new QueuedMessage(id, sender, "message", received, "192.0.2.10", "client.example.org", 2048, 2,
                received.plusSeconds(600), received.plusSeconds(5 * 86_400), lastError, "mx0.example.com", // not AdminServer.NODE: tests see it is the message's
                List.of(new QueuedMessage.QueuedRecipient(recipient, "pending", 2, lastError)));
    }

    /** Empties the queue and forgets busy marks and calls. */
    public void reset() {
        messages.clear();
        headers.clear();
        busy.clear();
        calls.clear();
    }

    public void busy(String id) {
        busy.add(id);
    }

    public boolean contains(String id) {
        return messages.containsKey(id);
    }

    @Override
    public List<QueuedMessage> list() {
        return messages.values().stream().sorted(Comparator.comparing(QueuedMessage::receivedAt)).toList();
    }

    @Override
    public Optional<QueuedMessage> find(String id) {
        return Optional.ofNullable(messages.get(id));
    }

    @Override
    public Optional<String> headers(String id) {
        return Optional.ofNullable(headers.get(id));
    }

    @Override
    public QueueAction retryNow(String id) {
        return act("retry " + id, id, false);
    }

    @Override
    public QueueAction delete(String id) {
        return act("delete " + id, id, true);
    }

    @Override
    public QueueAction bounce(String id, String reason) {
        return act("bounce " + id + " " + reason, id, true);
    }

    private QueueAction act(String call, String id, boolean remove) {
        if (!messages.containsKey(id)) return new QueueAction.NotFound(id);
        if (busy.contains(id)) return new QueueAction.Busy(id);
        calls.add(call);
        if (remove) {
            messages.remove(id);
            headers.remove(id);
        }
        return new QueueAction.Done(id);
    }
}
