package greyrelay.relay.verify;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code capacity} {@link Permit}s held at once: probes running, probes waiting, connections to one MX host,
 * recipient probes. The count lives here only; a permit gives its slot back when closed, once. Thread-safe.
 */
final class Slots {
    private final int capacity;
    private final Semaphore free;

    Slots(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("capacity must not be negative");
        this.capacity = capacity;
        this.free = new Semaphore(capacity);
    }

    /** As many as anyone holds: for counting work in progress rather than capping it. */
    static Slots unbounded() {
        return new Slots(Integer.MAX_VALUE);
    }

    /** A slot if one is free now; never waits. */
    Optional<Permit> tryTake() {
        return free.tryAcquire() ? Optional.of(Permit.of(free::release)) : Optional.empty();
    }

    /** A slot, waiting at most {@code wait} for one to come free. */
    Optional<Permit> take(Duration wait) throws InterruptedException {
        return free.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS) ? Optional.of(Permit.of(free::release)) : Optional.empty();
    }

    /** A slot of an {@link #unbounded()} count. */
    Permit take() {
        return tryTake().orElseThrow(() -> new IllegalStateException("all " + capacity + " slots in use"));
    }

    boolean hasRoom() {
        return free.availablePermits() > 0;
    }

    int inUse() {
        return capacity - free.availablePermits();
    }
}
