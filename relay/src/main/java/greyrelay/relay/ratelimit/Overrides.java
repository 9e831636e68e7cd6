package greyrelay.relay.ratelimit;

import greyrelay.db.ratelimit.RateLimitOverride;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link OverrideTable}, reloaded from the database when it is older than {@code rateLimits.overrideRefresh}
 * (by the injected clock) or after {@link #invalidate()}. The reload runs on the first caller that finds the table
 * stale; other callers keep using the old table meanwhile, so a slow database never stalls every session.
 *
 * <p>A failed reload keeps the old table and is retried after another refresh period: an override is a tuning, and a
 * database hiccup must not swap every client's numbers. The database's own failures still reach the checks that need
 * it (the shared buckets), which fail closed.
 */
public final class Overrides {
    private static final Logger log = LoggerFactory.getLogger(Overrides.class);

    private final Supplier<List<RateLimitOverride>> loader;
    private final Clock clock;
    private final Duration refresh;
    private final ReentrantLock loading = new ReentrantLock();
    private final Counter failures;
    private volatile OverrideTable table = OverrideTable.EMPTY;
    private volatile Instant nextLoad = Instant.MIN;

    public Overrides(Supplier<List<RateLimitOverride>> loader, Clock clock, Duration refresh, MeterRegistry metrics) {
        this.loader = loader;
        this.clock = clock;
        this.refresh = refresh;
        this.failures = metrics.counter("greyrelay.ratelimit.override.reload.failures");
        Gauge.builder("greyrelay.ratelimit.overrides", this, o -> o.table.size()).register(metrics);
        current(); // load now, so the first sessions already see the overrides
    }

    /** The table, reloaded first when it is stale and no other thread is reloading it. */
    public OverrideTable current() {
        Instant now = clock.instant();
        if (!now.isBefore(nextLoad) && loading.tryLock()) {
            try {
                if (!now.isBefore(nextLoad)) reload(now);
            } finally {
                loading.unlock();
            }
        }
        return table;
    }

    /** The next {@link #current()} reloads: for edits made in this process (the embedded admin panel). */
    public void invalidate() {
        nextLoad = Instant.MIN;
    }

    private void reload(Instant now) {
        nextLoad = now.plus(refresh);
        try {
            OverrideTable fresh = new OverrideTable(loader.get());
            if (fresh.size() != table.size()) log.info("rate-limit overrides: {} loaded", fresh.size());
            table = fresh;
        } catch (RuntimeException e) {
            failures.increment();
            log.warn("rate-limit overrides: reload failed, keeping the {} loaded before: {}", table.size(), e.getMessage());
        }
    }
}
