package greyrelay.relay.greylist;

import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.TrapBlockStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops expired triplets, auto-whitelist counters and spamtrap blocks, on the schedule {@code
 * greylist.cleanupInterval}: never on the SMTP path. Deletes go in small batches (one short statement each, oldest
 * first), so a decision never waits behind a long delete; one run does at most {@code maxBatches} per table and leaves
 * the rest to the next run. Each run logs what it dropped and how many triplets it kept.
 */
public final class GreylistCleanup implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(GreylistCleanup.class);

    /** What one run dropped, and the triplets left. */
    public record Counts(long triplets, long clients, long blocks, long tripletsKept) {}

    private final GreylistStore store;
    private final TrapBlockStore traps;
    private final Clock clock;
    private final int batchSize;
    private final int maxBatches;
    private final Counter droppedTriplets;
    private final Counter droppedClients;
    private final Counter droppedBlocks;

    GreylistCleanup(GreylistStore store, TrapBlockStore traps, Clock clock, int batchSize, int maxBatches, MeterRegistry metrics) {
        this.store = store;
        this.traps = traps;
        this.clock = clock;
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
        this.droppedTriplets = dropped(metrics, "triplets");
        this.droppedClients = dropped(metrics, "clients");
        this.droppedBlocks = dropped(metrics, "blocks");
    }

    private static Counter dropped(MeterRegistry metrics, String what) {
        return Counter.builder("greyrelay.greylist.cleanup.dropped").tag("what", what).register(metrics);
    }

    /** One run now; throws if the database fails. */
    public Counts runOnce() {
        Instant now = clock.instant();
        long t = drain(() -> store.deleteExpiredTriplets(now, batchSize));
        long c = drain(() -> store.deleteExpiredClients(now, batchSize));
        long b = drain(() -> traps.deleteExpired(now, batchSize));
        droppedTriplets.increment(t);
        droppedClients.increment(c);
        droppedBlocks.increment(b);
        Counts counts = new Counts(t, c, b, store.countTriplets());
        log.info("greylist cleanup: dropped {} triplet(s), {} client network(s), {} trap block(s); kept {} triplet(s)",
                t, c, b, counts.tripletsKept());
        return counts;
    }

    private long drain(IntSupplier batch) {
        long total = 0;
        for (int i = 0; i < maxBatches; i++) {
            int n = batch.getAsInt();
            total += n;
            if (n < batchSize) break;
        }
        return total;
    }

    @Override
    public void run() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("greylist cleanup failed: {}", e.getMessage());
        }
    }
}
