package greyrelay.relay.verify;

import greyrelay.db.verify.ProbeLeases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SharedBudget} in PostgreSQL: a cap of N is N lease rows {@code <scope>#0 … #N-1}; a permit is one of them,
 * taken with one conditional insert each (tried from a random one, so nodes rarely contend for the same row) and
 * deleted when the permit closes. Each permit has its own holder name, so two probes of one node never share a row. A
 * node that dies holding slots loses them at their expiry ({@code ttl}, longer than any one probe). When the database
 * cannot be reached no slot is given: the probe is throttled, never let past a cap it could not count. Thread-safe.
 */
final class SharedSlots implements SharedBudget {
    private static final Logger log = LoggerFactory.getLogger(SharedSlots.class);

    private final ProbeLeases leases;
    private final String node;
    private final Clock clock;
    private final Duration ttl;
    private final AtomicLong permits = new AtomicLong();

    SharedSlots(ProbeLeases leases, String node, Clock clock, Duration ttl) {
        this.leases = leases;
        this.node = node;
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public Optional<Permit> tryTake(String scope, int capacity) {
        String holder = node + "/" + permits.incrementAndGet();
        int first = capacity > 1 ? ThreadLocalRandom.current().nextInt(capacity) : 0;
        try {
            for (int i = 0; i < capacity; i++) {
                String key = scope + "#" + (first + i) % capacity;
                Instant now = clock.instant();
                if (leases.take(key, holder, now, now.plus(ttl))) {
                    return Optional.of(Permit.of(() -> release(key, holder)));
                }
            }
        } catch (RuntimeException e) {
            log.warn("verify: shared slot of {} not taken: {}", scope, e.getMessage());
        }
        return Optional.empty();
    }

    private void release(String key, String holder) {
        try {
            leases.release(key, holder);
        } catch (RuntimeException e) {
            log.warn("verify: shared slot {} not given back (free at its expiry): {}", key, e.getMessage());
        }
    }
}
