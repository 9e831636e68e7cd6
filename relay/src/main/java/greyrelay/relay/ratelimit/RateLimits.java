package greyrelay.relay.ratelimit;

import greyrelay.db.Database;
import greyrelay.db.Dialect;
import greyrelay.db.ratelimit.RateLimitOverrides;
import greyrelay.relay.config.RateLimitsConfig;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.OpenConnections;
import greyrelay.relay.policy.PolicyRequest;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate-limit feature, wired from {@code rateLimits.*}: the buckets (in memory, or shared in PostgreSQL with
 * {@code rateLimits.shared}), the overrides, its checks by name and the scheduled cleanup of shared bucket rows. The
 * check table places the checks, in {@code rateLimits.mode}, and leaves them out with {@code rateLimits.enabled: false}.
 */
public final class RateLimits {
    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

    private final RateLimitsConfig config;
    private final RateLimiter limiter;
    private final RateLimitPolicy policy;
    private final Overrides overrides;
    private final MeterRegistry metrics;

    private RateLimits(RateLimitsConfig config, RateLimiter limiter, Overrides overrides, MeterRegistry metrics) {
        this.config = config;
        this.limiter = limiter;
        this.policy = new RateLimitPolicy(config);
        this.overrides = overrides;
        this.metrics = metrics;
    }

    /** Shared buckets only on PostgreSQL: with H2 there is one node, and its buckets stay in memory. */
    public static RateLimits create(RateLimitsConfig config, Database database, Clock clock, MeterRegistry metrics) {
        boolean shared = config.shared() && database.dialect() == Dialect.POSTGRESQL;
        RateLimiter limiter = shared ? RateLimiter.shared(database.dataSource(), clock) : RateLimiter.local(clock, config.localBuckets());
        if (!shared) Gauge.builder("greyrelay.ratelimit.buckets", limiter, RateLimiter::size).register(metrics);
        Overrides overrides = new Overrides(new RateLimitOverrides(database)::list, clock, config.overrideRefresh(), metrics);
        return new RateLimits(config, limiter, overrides, metrics);
    }

    /**
     * The same limits on the same buckets for a dry run ({@code greyrelay check}): the checks estimate whether a token
     * is there without taking it, and count into {@code metrics}.
     */
    public RateLimits dryRun(MeterRegistry metrics) {
        return new RateLimits(config, limiter.readOnly(), overrides, metrics);
    }

    /** {@code network-connection-limit} (connect): open connections from one client network on this node. */
    public Check<PolicyRequest.Connect> networkConnectionLimitCheck(OpenConnections connections, String hostname) {
        return new NetworkConnectionLimitCheck(connections, policy.network(), config.maxConnectionsPerNetwork(), hostname,
                metrics);
    }

    /** {@code connection-rate} (connect): new connections per minute per client address and network. */
    public Check<PolicyRequest.Connect> connectionRateCheck(String hostname) {
        return new ConnectionRateCheck(limiter, policy, overrides, hostname, metrics);
    }

    /** {@code rate-limit} (RCPT): messages and recipients per hour per client, messages per sender domain. */
    public Check<PolicyRequest.Rcpt> rateLimitCheck() {
        return new RateLimitCheck(limiter, policy, overrides, metrics);
    }

    /** The overrides in force: {@code invalidate()} after an in-process edit (the admin panel). */
    public Overrides overrides() {
        return overrides;
    }

    /** Where the buckets live, for the startup log. */
    public String buckets() {
        return limiter.toString();
    }

    /** Drops shared bucket rows that are full again every 10 minutes on {@code scheduler} (the first run in 10). */
    public void schedule(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(this::removeExpiredBuckets, 10, 10, TimeUnit.MINUTES);
    }

    void removeExpiredBuckets() {
        try {
            int n = limiter.removeExpired();
            if (n > 0) log.info("rate limits: {} expired bucket row(s) removed", n);
        } catch (RuntimeException e) {
            log.warn("rate limits: bucket cleanup failed: {}", e.getMessage());
        }
    }
}
