package greyrelay.relay.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
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
import javax.sql.DataSource;

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
 * <p>Thread-safe. The shared store does one short database transaction per {@link #take}; a failure there throws
 * (the pipeline then answers {@code 451 4.3.0}, fail closed).
 */
public final class RateLimiter {

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
        return new RateLimiter(new SharedStore(dataSource, new ClockMeter(clock)), "shared (PostgreSQL, all nodes)");
    }

    /** Takes one token from the bucket {@code key} with {@code limit}; an {@link Limit#OFF} limit always grants. */
    public Take take(String key, Limit limit) {
        if (limit.isOff()) return GRANTED;
        if (readOnly) {
            return store.existing(id(key, limit), limit).map(b -> b.estimateAbilityToConsume(1))
                    .<Take>map(e -> e.canBeConsumed() ? GRANTED : new Take.Refused(Duration.ofNanos(e.getNanosToWaitForRefill())))
                    .orElse(GRANTED);
        }
        ConsumptionProbe p = store.bucket(id(key, limit), limit).tryConsumeAndReturnRemaining(1);
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

    static String id(String key, Limit limit) {
        String id = key + "|" + limit;
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

        SharedStore(DataSource dataSource, ClockMeter meter) {
            this.dataSource = dataSource;
            // select-for-update needs no lock column for string keys; never mix strategies on one table
            this.proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                    .primaryKeyMapper(PrimaryKeyMapper.STRING)
                    .table("rate_limit_bucket").idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                    .clientClock(meter)
                    .build();
        }

        @Override
        public Bucket bucket(String id, Limit limit) {
            // proxies are cheap views; Bucket4j advises building one per use rather than caching them
            return proxies.getProxy(id, () -> configuration(limit));
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
