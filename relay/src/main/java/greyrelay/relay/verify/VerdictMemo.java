package greyrelay.relay.verify;

import com.github.benmanes.caffeine.cache.Cache;
import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.VerificationCache;
import greyrelay.relay.memory.ClockedCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The verdict cache ({@link VerificationCache}) with a few seconds of this node's reads kept in memory: a busy sender
 * or recipient is answered without a database round trip per RCPT (that lookup was the largest single cost of a
 * verified message). What is kept is the stored row, not an answer: {@link CachePolicy} still judges its age at each
 * use, so an expired verdict is seen as expired on time.
 *
 * <p>Every write and removal through this node drops the copy at once, and a read racing such a write never puts the
 * older row back (a generation count). A row changed on another node sharing PostgreSQL (a new verdict, an
 * administrator's "forget" there) is seen here within {@link #TTL}; until then this node answers from the row it read,
 * as it would have a moment earlier. Only rows that exist are kept: a miss goes to the database (and to a probe, which
 * reads the database again before it connects anywhere).
 *
 * <p>Only with the embedded database (H2, one node). With PostgreSQL every read goes to the database: it is what the
 * nodes share, and a node whose database is gone must answer {@code 451 4.3.0} to every RCPT (the fault suite's
 * contract), which a remembered verdict would hide. Thread-safe.
 */
final class VerdictMemo {
    /** How long a row read here is reused: short enough that another node's verdict shows within seconds. */
    static final Duration TTL = Duration.ofSeconds(10);

    private record Key(CacheKind kind, String address) {}

    private final VerificationCache store;
    /** Empty when nothing is kept (a shared database). */
    private final Optional<Cache<Key, CacheEntry>> recent;
    private final AtomicLong generation = new AtomicLong();

    /** @param keep whether reads are kept at all: true with the embedded database only (see above) */
    VerdictMemo(VerificationCache store, Clock clock, boolean keep) {
        this.store = Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        this.recent = keep ? Optional.of(ClockedCache.builder(clock).maximumSize(100_000).expireAfterWrite(TTL)
                .<Key, CacheEntry>build()) : Optional.empty();
    }

    /** The row for this address, from memory when read here within {@link #TTL}. */
    Optional<CacheEntry> find(CacheKind kind, String address) {
        if (recent.isEmpty()) return store.find(kind, address);
        Cache<Key, CacheEntry> kept = recent.get();
        Key key = new Key(kind, address);
        CacheEntry hit = kept.getIfPresent(key);
        if (hit != null) return Optional.of(hit);
        long before = generation.get();
        Optional<CacheEntry> read = store.find(kind, address);
        // a write or removal since the read started may have made this row old: then it is not kept
        read.ifPresent(e -> {
            if (generation.get() == before) kept.put(key, e);
        });
        return read;
    }

    /** The row as stored now, never from memory: for the decisions taken just before a probe connects. */
    Optional<CacheEntry> stored(CacheKind kind, String address) {
        return store.find(kind, address);
    }

    /** {@link VerificationCache#put}, dropping this node's copy. */
    boolean put(CacheEntry entry) {
        try {
            return store.put(entry);
        } finally {
            forgetCopy(entry.kind(), entry.address());
        }
    }

    /** {@link VerificationCache#delete}, dropping this node's copy. */
    boolean delete(CacheKind kind, String address) {
        try {
            return store.delete(kind, address);
        } finally {
            forgetCopy(kind, address);
        }
    }

    /** {@link VerificationCache#deleteExpired}: copies kept here are judged by their expiry at each use anyway. */
    int deleteExpired(Instant now, int batchSize) {
        return store.deleteExpired(now, batchSize);
    }

    /**
     * After the database changed: a read that started before this and finishes after it sees a new generation and
     * keeps nothing; one that kept its row before this is dropped here.
     */
    private void forgetCopy(CacheKind kind, String address) {
        generation.incrementAndGet();
        recent.ifPresent(kept -> kept.invalidate(new Key(kind, address)));
    }
}
