package greyrelay.relay.config;

import java.time.Duration;

/**
 * {@code rateLimits.*}: token-bucket limits per client address, per client network and per sender domain. Each number
 * is "at most n per minute/hour" (a bucket of n tokens refilled evenly over the period); 0 switches that limit off.
 * Overrides per client block or sender domain live in the database (admin panel) and replace these defaults.
 *
 * @param enabled                    master switch; false = no rate limit at all
 * @param mode                       {@code observe} records what would have been refused and lets it through
 * @param ipv4Prefix                 the client network of an IPv4 client (24 = its /24)
 * @param ipv6Prefix                 the client network of an IPv6 client (64 = its /64)
 * @param perIp                      limits per client address
 * @param perNetwork                 limits per client network (all its addresses together)
 * @param maxConnectionsPerNetwork   open connections per client network on this node (0 = no limit)
 * @param senderDomainMessagesPerHour messages per hour per MAIL FROM domain (0 = no limit)
 * @param overrideRefresh            how often the database overrides are reloaded
 * @param shared                     with PostgreSQL, keep the buckets in the database so all nodes count together
 * @param localBuckets               most buckets kept in memory (per node, or everything with H2)
 */
public record RateLimitsConfig(
        boolean enabled,
        Mode mode,
        int ipv4Prefix,
        int ipv6Prefix,
        Rates perIp,
        Rates perNetwork,
        int maxConnectionsPerNetwork,
        int senderDomainMessagesPerHour,
        Duration overrideRefresh,
        boolean shared,
        int localBuckets) {

    /** Largest count accepted for any limit. */
    static final int MAX = 10_000_000;

    /** One scope's rates; 0 = no limit. */
    public record Rates(int connectionsPerMinute, int messagesPerHour, int recipientsPerHour) {}

    public RateLimitsConfig {
        Require.present("rateLimits.mode", mode, "enforce or observe");
        Require.range("rateLimits.ipv4Prefix", ipv4Prefix, 8, 32);
        Require.range("rateLimits.ipv6Prefix", ipv6Prefix, 16, 128);
        rates("rateLimits.perIp", Require.present("rateLimits.perIp", perIp, "a section"));
        rates("rateLimits.perNetwork", Require.present("rateLimits.perNetwork", perNetwork, "a section"));
        Require.range("rateLimits.maxConnectionsPerNetwork", maxConnectionsPerNetwork, 0, 100_000);
        Require.range("rateLimits.senderDomainMessagesPerHour", senderDomainMessagesPerHour, 0, MAX);
        Require.duration("rateLimits.overrideRefresh", overrideRefresh, Duration.ofSeconds(1), Duration.ofHours(1));
        Require.range("rateLimits.localBuckets", localBuckets, 1000, 10_000_000);
    }

    private static void rates(String key, Rates r) {
        Require.range(key + ".connectionsPerMinute", r.connectionsPerMinute(), 0, MAX);
        Require.range(key + ".messagesPerHour", r.messagesPerHour(), 0, MAX);
        Require.range(key + ".recipientsPerHour", r.recipientsPerHour(), 0, MAX);
    }

    /**
     * Defaults for a public MX: high enough that a busy legitimate sender (a large provider's outbound relay, which
     * also retries after greylisting) never meets them, low enough to stop one host or one /24 from flooding.
     */
    static RateLimitsConfig defaults() {
        return new RateLimitsConfig(true, Mode.ENFORCE, 24, 64,
                new Rates(60, 1000, 5000),
                new Rates(300, 5000, 20000),
                50, 0, Duration.ofSeconds(30), true, 100_000);
    }
}
