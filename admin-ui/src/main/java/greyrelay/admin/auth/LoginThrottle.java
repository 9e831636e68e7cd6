package greyrelay.admin.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per client IP in a sliding window: after {@code maxFailures} within {@code window}, further attempts
 * from that IP are refused (without checking the password) until the oldest failure leaves the window. A success
 * clears the IP's record. In memory, per node.
 */
public final class LoginThrottle {
    /** Bounded memory: beyond this many tracked IPs, those with no failure inside the window are forgotten first. */
    static final int MAX_TRACKED = 100_000;

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock, int maxFailures, Duration window) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.window = window;
    }

    /** Empty when this IP may try now; otherwise how long it must wait. */
    public Optional<Duration> blockedFor(String ip) {
        Deque<Instant> d = failures.get(ip);
        if (d == null) return Optional.empty();
        Instant now = clock.instant();
        synchronized (d) {
            prune(d, now);
            if (d.size() < maxFailures) return Optional.empty();
            Duration wait = Duration.between(now, d.peekFirst().plus(window));
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        }
    }

    public void failed(String ip) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_TRACKED) {
            failures.values().removeIf(d -> {
                synchronized (d) {
                    prune(d, now);
                    return d.isEmpty();
                }
            });
        }
        Deque<Instant> d = failures.computeIfAbsent(ip, k -> new ArrayDeque<>());
        synchronized (d) {
            prune(d, now);
            d.addLast(now);
            while (d.size() > maxFailures) d.removeFirst();
        }
    }

    public void succeeded(String ip) {
        failures.remove(ip);
    }

    private void prune(Deque<Instant> d, Instant now) {
        Instant cutoff = now.minus(window);
        while (!d.isEmpty() && !d.peekFirst().isAfter(cutoff)) d.removeFirst();
    }
}
