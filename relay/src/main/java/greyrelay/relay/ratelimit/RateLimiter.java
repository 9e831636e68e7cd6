package greyrelay.relay.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.NopeOptimizationListener;
import io.github.bucket4j.distributed.proxy.optimization.delay.DelayOptimization;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets by opaque key: the mechanism behind every rate limit, with no policy in it. A caller names a bucket
 * ({@code "ip-msg:192.0.2.7"}) and its {@link Limit}, and {@link #take} one token from it or learns how long until
 * one is back. Time comes from the injected {@link Clock} (Bucket4j's {@code TimeMeter} is driven by it), so tests
 * move a clock instead of sleeping.
 *
 * <p>Two stores: {@link #local} keeps buckets in this JVM, in a bounded Caffeine map whose entries expire once idle
 * for their period (by then the bucket would be full again, so forgetting it loses nothing); {@link #shared} keeps
 * them in PostgreSQL's {@code rate_limit_bucket} table through Bucket4j's select-for-update proxy manager, so
 * every node sharing the database takes from the same bucket. The limit is part of the bucket's identity: when an
 * override changes a client's numbers, counting starts afresh in a new bucket rather than reinterpreting old state.
 *
 * <p>The shared store does not go to the database for every token: each bucket's proxy carries Bucket4j's delaying
 * optimization, a local copy of the bucket that grants up to {@link #unsynchronizedTokens} tokens before writing them
 * to the row, and reads the row again before any decision once its copy is {@link #SYNC_EVERY} old. So one node may
 * grant at most that many tokens the others have not seen yet (5% of the capacity, none for capacities below 20);
 * they are then owed by the bucket (it goes into debt) and the long-run rate stays exact. A refusal is never taken
 * from a stale copy: it is checked against the row first, so a client is refused exactly when the database says so.
 * The proxies, and with them the local copies, live in a bounded Caffeine map; one evicted with tokens not yet
 * written writes them first.
 *
 * <p>Thread-safe. A database failure in the shared store throws (the pipeline then answers {@code 451 4.3.0}, fail
 * closed).
 */
public final class RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

    /** A shared bucket's local copy is read again from the database before any decision once it is this old. */
    static final Duration SYNC_EVERY = Duration.ofSeconds(1);

    /** Shared buckets whose proxies (and local copies) this node keeps; the least recently used dropped first. */
    static final int SHARED_PROXIES = 100_000;

    /**
     * Tokens one node may grant from a shared bucket before writing them to the database: 5% of the capacity, rounded
     * down, so buckets under 20 tokens (where one token is already more than 5%) always go to the database.
     */
    static long unsynchronizedTokens(Limit limit) {
        return limit.capacity() / 20;
    }

    /** Ids longer than this are hashed, to fit the table's id column (VARCHAR(512)) with room to spare. */
    static final int MAX_ID = 400;

    /** At most {@code capacity} takes in any {@code period}: a bucket of that many tokens refilled evenly over it. */
    public record Limit(long capacity, Duration period) {
        /** No limit: every take is granted and nothing is stored. */
        public static final Limit OFF = new Limit(0, Duration.ofMinutes(1));

        public Limit {
            Objects.requireNonNull(period, "period");
            if (capacity < 0) throw new IllegalArgumentException("capacity must not be negative: " + capacity);
            if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("period must be positive: " + period);
        }

        public static Limit perMinute(long n) {
            return n <= 0 ? OFF : new Limit(n, Duration.ofMinutes(1));
        }

        public static Limit perHour(long n) {
            return n <= 0 ? OFF : new Limit(n, Duration.ofHours(1));
        }

        public boolean isOff() {
            return capacity == 0;
        }

        /** {@code 60/1m}, {@code 1000/1h}, {@code off}: for logs and decision reasons. */
        @Override
        public String toString() {
            if (isOff()) return "off";
            long s = period.toSeconds();
            String p = s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
            return capacity + "/" + p;
        }
    }

    /** The outcome of one take. */
    public sealed interface Take {
        record Granted() implements Take {}

        /** Refused; {@code retryAfter} is how long until one token is back. */
        record Refused(Duration retryAfter) implements Take {}
    }

    private static final Take GRANTED = new Take.Granted();

    private interface Store {
        Bucket bucket(String id, Limit limit);

        default ConsumptionProbe takeOne(String id, Limit limit) {
            return bucket(id, limit).tryConsumeAndReturnRemaining(1);
        }

        /** The bucket when it exists; creates nothing (an absent bucket is a full one). */
        java.util.Optional<Bucket> existing(String id, Limit limit);

        int removeExpired();

        long size();
    }

    private final Store store;
    private final String description;
    private final boolean readOnly;

    private RateLimiter(Store store, String description) {
        this(store, description, false);
    }

    private RateLimiter(Store store, String description, boolean readOnly) {
        this.store = store;
        this.description = description;
        this.readOnly = readOnly;
    }

    /**
     * The same buckets for a dry run: {@link #take} estimates (would a token be there now?) without taking it or
     * creating the bucket, and {@link #giveBack} does nothing.
     */
    public RateLimiter readOnly() {
        return new RateLimiter(store, description, true);
    }

    /** Buckets in this JVM: at most {@code maxBuckets}, the least recently used dropped first beyond that. */
    public static RateLimiter local(Clock clock, int maxBuckets) {
        return new RateLimiter(new LocalStore(new ClockMeter(clock), maxBuckets), "local (in memory, per node)");
    }

    /**
     * Buckets in PostgreSQL's {@code rate_limit_bucket} table, shared by every node on the database. The client clock
     * is the injected one (wall-clock based, as Bucket4j demands for distributed buckets), so nodes must keep their
     * clocks in sync (NTP), as greylisting already requires.
     */
    public static RateLimiter shared(DataSource dataSource, Clock clock) {
        return new RateLimiter(new SharedStore(dataSource, new ClockMeter(clock), true), "shared (PostgreSQL, all nodes)");
    }

    /**
     * Like {@link #shared}, without local copies: every take is a database transaction and the nodes together never
     * grant more than the limit. For low-volume budgets that are a promise to others (verification's probes per
     * remote domain), where the overshoot would matter and the speed would not.
     */
    public static RateLimiter sharedExact(DataSource dataSource, Clock clock) {
        return new RateLimiter(new SharedStore(dataSource, new ClockMeter(clock), false), "shared exact (PostgreSQL, all nodes)");
    }

    /** Takes one token from the bucket {@code key} with {@code limit}; an {@link Limit#OFF} limit always grants. */
    public Take take(String key, Limit limit) {
        if (limit.isOff()) return GRANTED;
        if (readOnly) {
            return store.existing(id(key, limit), limit).map(b -> b.estimateAbilityToConsume(1))
                    .<Take>map(e -> e.canBeConsumed() ? GRANTED : new Take.Refused(Duration.ofNanos(e.getNanosToWaitForRefill())))
                    .orElse(GRANTED);
        }
        ConsumptionProbe p = store.takeOne(id(key, limit), limit);
        return p.isConsumed() ? GRANTED : new Take.Refused(Duration.ofNanos(p.getNanosToWaitForRefill()));
    }

    /** Gives back a token taken by {@link #take} that was not used after all (another bucket refused). */
    public void giveBack(String key, Limit limit) {
        if (limit.isOff() || readOnly) return;
        store.bucket(id(key, limit), limit).addTokens(1);
    }

    /** Deletes database rows of buckets that are full again (shared store); returns how many. Local: 0. */
    public int removeExpired() {
        return store.removeExpired();
    }

    /** Buckets held in memory (local store); -1 for the shared store. */
    public long size() {
        return store.size();
    }

    @Override
    public String toString() {
        return description;
    }

    /** Each limit's text in bucket ids, made once: every take names its bucket. Few limits exist (config, overrides). */
    private static final ConcurrentHashMap<Limit, String> LIMIT_TEXT = new ConcurrentHashMap<>();

    private static String text(Limit limit) {
        String t = LIMIT_TEXT.get(limit);
        if (t != null) return t;
        t = limit.toString();
        if (LIMIT_TEXT.size() < 1000) LIMIT_TEXT.put(limit, t);
        return t;
    }

    static String id(String key, Limit limit) {
        String id = key + "|" + text(limit);
        if (id.length() <= MAX_ID) return id;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest) + "|" + limit;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static BucketConfiguration configuration(Limit limit) {
        return BucketConfiguration.builder()
                .addLimit(l -> l.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
                .build();
    }

    /** The injected clock as Bucket4j's time source and Caffeine's ticker (nanoseconds since the epoch). */
    record ClockMeter(Clock clock) implements TimeMeter, Ticker {
        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }

        @Override
        public long read() {
            return currentTimeNanos();
        }
    }

    private record Entry(Bucket bucket, Duration period) {}

    /** A shared bucket's proxy; {@code optimized} when it keeps a local copy (tokens that may not be in the row yet). */
    private record SharedEntry(BucketProxy proxy, Duration period, boolean optimized) {}

    private static final class LocalStore implements Store {
        private final ClockMeter meter;
        private final Cache<String, Entry> buckets;

        LocalStore(ClockMeter meter, int maxBuckets) {
            this.meter = meter;
            this.buckets = Caffeine.newBuilder()
                    .ticker(meter)
                    .executor(Runnable::run) // maintenance on the caller's thread: deterministic under a test clock
                    .maximumSize(maxBuckets)
                    .expireAfter(new Expiry<String, Entry>() {
                        @Override
                        public long expireAfterCreate(String key, Entry e, long now) {
                            return e.period().toNanos();
                        }

                        @Override
                        public long expireAfterUpdate(String key, Entry e, long now, long left) {
                            return e.period().toNanos();
                        }

                        @Override
                        public long expireAfterRead(String key, Entry e, long now, long left) {
                            return e.period().toNanos();
                        }
                    })
                    .build();
        }

        @Override
        public Bucket bucket(String id, Limit limit) {
            return buckets.get(id, k -> new Entry(Bucket.builder()
                    .addLimit(l -> l.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
                    .withCustomTimePrecision(meter)
                    .build(), limit.period())).bucket();
        }

        @Override
        public java.util.Optional<Bucket> existing(String id, Limit limit) {
            return java.util.Optional.ofNullable(buckets.policy().getIfPresentQuietly(id)).map(Entry::bucket); // no access recorded
        }

        @Override
        public int removeExpired() {
            buckets.cleanUp();
            return 0;
        }

        @Override
        public long size() {
            return buckets.estimatedSize();
        }
    }

    private static final class SharedStore implements Store {
        private final PostgreSQLSelectForUpdateBasedProxyManager<String> proxies;
        private final DataSource dataSource;
        private final ClockMeter meter;
        private final boolean copies;
        /** Optimized proxies by bucket id: an optimization's local copy lives in its proxy, so the proxy is kept. */
        private final Cache<String, SharedEntry> buckets;

        SharedStore(DataSource dataSource, ClockMeter meter, boolean copies) {
            this.dataSource = dataSource;
            this.meter = meter;
            this.copies = copies;
            // select-for-update needs no lock column for string keys; never mix strategies on one table
            this.proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                    .primaryKeyMapper(PrimaryKeyMapper.STRING)
                    .table("rate_limit_bucket").idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                    .clientClock(meter)
                    .build();
            this.buckets = Caffeine.newBuilder()
                    .ticker(meter)
                    .executor(Runnable::run) // maintenance (and a dropped copy's last write) on the caller's thread
                    .maximumSize(SHARED_PROXIES)
                    .expireAfter(new Expiry<String, SharedEntry>() {
                        @Override
                        public long expireAfterCreate(String key, SharedEntry e, long now) {
                            return e.period().toNanos();
                        }

                        @Override
                        public long expireAfterUpdate(String key, SharedEntry e, long now, long left) {
                            return e.period().toNanos();
                        }

                        @Override
                        public long expireAfterRead(String key, SharedEntry e, long now, long left) {
                            return e.period().toNanos();
                        }
                    })
                    .removalListener((String id, SharedEntry e, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                        if (e == null || !cause.wasEvicted() || !e.optimized()) return;
                        try {
                            // only when tokens granted here are not in the row yet (both conditions must hold)
                            e.proxy().getOptimizationController().syncByCondition(1, Duration.ZERO);
                        } catch (RuntimeException ex) {
                            log.warn("rate limits: cannot write the local tokens of bucket {}: {}", id, ex.getMessage());
                        }
                    })
                    .build();
        }

        @Override
        public Bucket bucket(String id, Limit limit) {
            return buckets.get(id, k -> {
                long slack = slack(limit);
                var builder = proxies.builder();
                if (slack > 0) {
                    builder = builder.withOptimization(new DelayOptimization(
                            new DelayParameters(slack, SYNC_EVERY), NopeOptimizationListener.INSTANCE, meter));
                }
                return new SharedEntry(builder.build(k, () -> configuration(limit)), limit.period(), slack > 0);
            }).proxy();
        }

        private long slack(Limit limit) {
            return copies ? unsynchronizedTokens(limit) : 0;
        }

        @Override
        public ConsumptionProbe takeOne(String id, Limit limit) {
            Bucket bucket = bucket(id, limit);
            ConsumptionProbe p = bucket.tryConsumeAndReturnRemaining(1);
            if (!p.isConsumed() && slack(limit) > 0) {
                // the local copy may be stale (another node gave a token back): refuse only on the row's word
                ((BucketProxy) bucket).getOptimizationController().syncImmediately();
                p = bucket.tryConsumeAndReturnRemaining(1);
            }
            return p;
        }

        @Override
        public java.util.Optional<Bucket> existing(String id, Limit limit) {
            // asked through the proxy manager, an absent bucket gets an (empty) row to lock: look first, in plain SQL
            try (var c = dataSource.getConnection();
                    var s = c.prepareStatement("SELECT 1 FROM rate_limit_bucket WHERE id = ? AND state IS NOT NULL")) {
                s.setString(1, id);
                try (var r = s.executeQuery()) {
                    return r.next() ? java.util.Optional.of(bucket(id, limit)) : java.util.Optional.empty();
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("rate limits: cannot read bucket " + id + ": " + e.getMessage(), e);
            }
        }

        @Override
        public int removeExpired() {
            buckets.cleanUp();
            int total = 0;
            int n;
            do {
                n = proxies.removeExpired(1000);
                total += n;
            } while (n == 1000);
            return total;
        }

        @Override
        public long size() {
            return -1;
        }
    }
}
