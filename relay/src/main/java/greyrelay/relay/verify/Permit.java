package greyrelay.relay.verify;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A held share of a probe budget: a slot of the scheduler, a connection to one MX host, the lead of one address's
 * probe. Closing it gives the share back; closing it again does nothing, so a try-with-resources block and an early
 * release on another path may both close it without counting anything twice.
 */
public interface Permit extends AutoCloseable {

    @Override
    void close();

    /** A permit whose first close runs {@code release}; later closes do nothing. */
    static Permit of(Runnable release) {
        AtomicBoolean held = new AtomicBoolean(true);
        return () -> {
            if (held.compareAndSet(true, false)) release.run();
        };
    }

    /** Holds nothing: where a budget does not apply. */
    static Permit none() {
        return () -> { };
    }
}
