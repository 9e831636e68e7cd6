package greyrelay.relay.smtp;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Open connections in total and per client address (Postfix's anvil, for concurrency only). */
public final class ConnectionCounter {
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    void opened(InetAddress client) {
        total.incrementAndGet();
        perClient.computeIfAbsent(client, k -> new AtomicInteger()).incrementAndGet();
    }

    void closed(InetAddress client) {
        total.decrementAndGet();
        perClient.computeIfPresent(client, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    public int total() {
        return total.get();
    }

    public int of(InetAddress client) {
        AtomicInteger n = perClient.get(client);
        return n == null ? 0 : n.get();
    }
}
