package greyrelay.relay.verify;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A number of uses that are spent, not returned: the probes one incoming connection may start
 * ({@code verification.budget.perConnection}). A use is claimed before the work is tried; the claim is spent when
 * the work really started, and closing an unspent claim gives the use back. Thread-safe.
 */
final class Quota {
    private final int limit;
    private final AtomicInteger used = new AtomicInteger();

    Quota(int limit) {
        this.limit = limit;
    }

    /** One use, if any is left. */
    Optional<Claim> claim() {
        int n;
        do {
            n = used.get();
            if (n >= limit) return Optional.empty();
        } while (!used.compareAndSet(n, n + 1));
        return Optional.of(new Claim(Permit.of(used::decrementAndGet)));
    }

    /** Uses spent or claimed now. */
    int used() {
        return used.get();
    }

    /** One use held: {@link #spend()} keeps it, {@link #close()} gives it back unless it was spent. */
    static final class Claim implements Permit {
        /** Counts against nothing: work that no connection pays for. */
        static Claim free() {
            return new Claim(Permit.none());
        }

        private final Permit giveBack;
        private volatile boolean spent;

        private Claim(Permit giveBack) {
            this.giveBack = giveBack;
        }

        void spend() {
            spent = true;
        }

        @Override
        public void close() {
            if (!spent) giveBack.close();
        }
    }
}
