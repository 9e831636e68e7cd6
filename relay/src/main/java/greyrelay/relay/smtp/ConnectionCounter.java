package greyrelay.relay.smtp;

import greyrelay.relay.policy.OpenConnections;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Open connections in total and per client address (Postfix's anvil, for concurrency only). */
public final class ConnectionCounter implements OpenConnections {
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

    @Override
    public int total() {
        return total.get();
    }

    @Override
    public int of(InetAddress client) {
        AtomicInteger n = perClient.get(client);
        return n == null ? 0 : n.get();
    }

    /** Walks the per-client map, which holds at most {@code smtp.maxConnections} entries: cheap at connect time. */
    @Override
    public int inNetwork(InetAddress client, java.util.function.BiPredicate<InetAddress, InetAddress> sameNetwork) {
        int sum = 0;
        for (var e : perClient.entrySet()) {
            if (sameNetwork.test(client, e.getKey())) sum += e.getValue().get();
        }
        return sum;
    }
}
