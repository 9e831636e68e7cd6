package greyrelay.relay.greylist;

import com.github.benmanes.caffeine.cache.Cache;
import greyrelay.db.greylist.GreylistEntry;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.GreylistWrite;
import greyrelay.db.greylist.TripletKey;
import greyrelay.relay.batch.BatchedWriter;
import greyrelay.relay.memory.ClockedCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The greylist store as one node's requests see it: the database, plus what this node wrote and the database does
 * not have yet, plus the triplets this node recently saw passing.
 *
 * <ul>
 *   <li><b>Queued writes.</b> First sights, too-early attempts, touches and pass counts go to the database in batches
 *       on one thread ({@link BatchedWriter}, at most {@value #MAX_QUEUED} waiting), so a request never waits for its
 *       own commit. Until its insert lands, a first sight is kept in memory, and a retry reaching this node meanwhile
 *       finds it there. A first sight lost in a crash (or dropped when the queue is full) only means one more delay
 *       for that sender. A pass is never queued: {@link #markPassed} commits it before the client is told.</li>
 *   <li><b>Passing triplets</b>, with the embedded database only. A triplet read or written as passed is remembered
 *       for {@link #PASSING_TTL} (at most {@value #MAX_PASSING} of them), so a known sender costs no database round
 *       trip. With PostgreSQL every request reads: the database is what the nodes share, and a node that has lost it
 *       must answer {@code 451 4.3.0}, not pass from memory. Another node forgetting
 *       such a triplet is thus honoured here up to that much later; the admin panel in this process deleting one
 *       makes this node forget them all at once ({@link #forgetPassing}), and any write that finds the row changed
 *       forgets it at once.</li>
 * </ul>
 * Everything else (a triplet not passing, the client network's auto-whitelist counter) is read from the database on
 * every request, so two nodes sharing it keep one greylist: a triplet first seen on one node and retried on the other
 * after the delay passes there, once the first node's batch has landed (milliseconds later). Thread-safe.
 */
final class WriteBehind implements AutoCloseable {
    static final Duration PASSING_TTL = Duration.ofSeconds(60);
    static final int MAX_PASSING = 100_000;
    static final int MAX_QUEUED = 20_000;
    static final int BATCH = 500;
    static final int STRIPES = 1 << 16;

    private final GreylistStore store;
    private final ConcurrentHashMap<TripletKey, GreylistEntry> unwritten = new ConcurrentHashMap<>();
    /** Per stripe of keys, how many inserts have landed (or failed): see {@link #firstSight}. */
    private final AtomicLongArray landed = new AtomicLongArray(STRIPES);
    /** Null when nothing is remembered (PostgreSQL). */
    private final Cache<TripletKey, GreylistEntry> passing;
    private final BatchedWriter<GreylistWrite> writer;

    /** @param rememberPassing whether passing triplets are answered from memory (the embedded database only) */
    WriteBehind(GreylistStore store, Clock clock, MeterRegistry metrics, boolean rememberPassing) {
        this.store = store;
        this.passing = !rememberPassing ? null : ClockedCache.builder(clock)
                .expireAfterWrite(PASSING_TTL)
                .maximumSize(MAX_PASSING)
                .<TripletKey, GreylistEntry>build();
        this.writer = new BatchedWriter<>("greylist", BatchedWriter.Bound.rows(MAX_QUEUED), BATCH, this::write,
                Counter.builder("greyrelay.greylist.writes.dropped")
                        .description("greylist writes (first sights, attempts, touches) lost: queue full or database failing")
                        .register(metrics),
                // no linger: other nodes, the CLI and the panel read these rows, and the next decision may too
                Duration.ZERO);
    }

    private void write(List<GreylistWrite> batch) {
        try {
            store.writeAll(batch);
        } finally {
            // written, or lost: either way the database now has the final word on these triplets. The stamp moves
            // first, so a thread that read the database before this commit and finds no entry here cannot queue a
            // second first sight (see firstSight)
            for (GreylistWrite w : batch) {
                if (w instanceof GreylistWrite.Insert i) {
                    landed.incrementAndGet(stripe(i.entry().key()));
                    unwritten.remove(i.entry().key(), i.entry());
                }
            }
        }
    }

    /** A triplet this node saw passing within {@link #PASSING_TTL}, without asking the database. */
    Optional<GreylistEntry> passing(TripletKey key) {
        return passing == null ? Optional.empty() : Optional.ofNullable(passing.getIfPresent(key));
    }

    /**
     * What the database has (the triplet and, unless {@code network} is null, the client network's counter), or this
     * node's unwritten first sight.
     */
    GreylistStore.Seen read(TripletKey key, String network) {
        GreylistEntry queued = unwritten.get(key); // before the database: a batch landing in between is then seen there
        GreylistStore.Seen seen = network == null ? store.read(key) : store.read(key, network);
        if (seen.triplet().isEmpty()) {
            return queued == null ? seen : new GreylistStore.Seen(Optional.of(queued), seen.client());
        }
        if (seen.triplet().get().passed()) remember(seen.triplet().get());
        return seen;
    }

    /**
     * Where the key's stripe of landed inserts stands: taken before {@link #read}, given back to {@link #firstSight}.
     */
    long stamp(TripletKey key) {
        return landed.get(stripe(key));
    }

    /**
     * Queues a first sight decided on a read made after {@code stamp}. False when another thread of this node queued
     * one for the key first, or an insert of its stripe landed since the read (the read may predate it): read again
     * and decide on that.
     */
    boolean firstSight(GreylistEntry entry, long stamp) {
        TripletKey key = entry.key();
        if (unwritten.putIfAbsent(key, entry) != null) return false;
        if (landed.get(stripe(key)) != stamp) {
            unwritten.remove(key, entry);
            return false;
        }
        if (!writer.offer(new GreylistWrite.Insert(entry))) unwritten.remove(key, entry);
        return true;
    }

    private static int stripe(TripletKey key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    /** Queues one more attempt of a round (a retry too early). */
    void attempt(GreylistEntry read, Instant now) {
        writer.offer(new GreylistWrite.Attempt(read, now));
    }

    /** Queues a passed triplet's last use, and remembers it here at once. */
    void touch(GreylistEntry read, Instant now, Instant expiresAt) {
        remember(new GreylistEntry(read.key(), read.firstSeen(), now, read.passedAt(), read.attempts(), expiresAt));
        writer.offer(new GreylistWrite.Touch(read.key(), now, expiresAt));
    }

    void touchClient(String network, Instant now, Instant expiresAt) {
        writer.offer(new GreylistWrite.TouchClient(network, now, expiresAt));
    }

    void countPass(String network, Instant now, Instant forgetBefore, Instant expiresAt) {
        writer.offer(new GreylistWrite.CountPass(network, now, forgetBefore, expiresAt));
    }

    /** The retry passes: committed before returning. False when the row changed since it was read. */
    boolean markPassed(GreylistEntry read, Instant now, Instant expiresAt) {
        landed(read.key());
        boolean done = store.markPassed(read, now, expiresAt);
        if (done) {
            remember(new GreylistEntry(read.key(), read.firstSeen(), now, now, read.attempts() + 1, expiresAt));
        } else {
            forget(read.key());
        }
        return done;
    }

    /** A forgotten triplet starts a new round. False when the row changed since it was read. */
    boolean restart(GreylistEntry read, GreylistEntry replacement) {
        landed(read.key());
        forget(read.key());
        return store.restart(read, replacement);
    }

    /** A conditional write needs the row in the database: wait for this node's queued insert of it, if any. */
    private void landed(TripletKey key) {
        if (unwritten.containsKey(key)) writer.flush();
    }

    /** Forgets every triplet remembered as passing: the next request of each reads the database. */
    void forgetPassing() {
        if (passing != null) passing.invalidateAll();
    }

    private void remember(GreylistEntry passed) {
        if (passing != null) passing.put(passed.key(), passed);
    }

    private void forget(TripletKey key) {
        if (passing != null) passing.invalidate(key);
    }

    /** Waits until everything queued so far is written (or given up on): tests, and {@link #close}. */
    void flush() {
        writer.flush();
    }

    /** Writes what is queued and stops the writer. */
    @Override
    public void close() {
        writer.close();
    }
}
