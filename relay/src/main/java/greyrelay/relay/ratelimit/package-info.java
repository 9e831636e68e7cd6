/**
 * Rate limits: token buckets per client address, per client network (/24, /64) and per sender domain, with
 * per-block and per-domain overrides from the database. See README.md, "Rate limits, connection hygiene and DNS
 * lists".
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link greyrelay.relay.ratelimit.RateLimiter}: the mechanism, opaque keys to Bucket4j buckets, driven by the
 *       injected clock; local (Caffeine, bounded, idle expiry) or shared (PostgreSQL table {@code rate_limit_bucket},
 *       select-for-update proxy manager).</li>
 *   <li>{@link greyrelay.relay.ratelimit.RateLimitPolicy}: pure; which numbers (defaults or override) and which bucket
 *       keys apply to a client or a sender domain.</li>
 *   <li>{@link greyrelay.relay.ratelimit.Overrides}: the override snapshot ({@link greyrelay.relay.ratelimit.OverrideTable}),
 *       reloaded every {@code rateLimits.overrideRefresh} by the injected clock or at once after {@code invalidate()}.</li>
 *   <li>Checks: {@code network-connection-limit} and {@code connection-rate} at connect ({@code 421 4.7.0}, then
 *       close), {@code rate-limit} at RCPT ({@code 451 4.7.1}).</li>
 * </ul>
 *
 * <h2>Why Bucket4j and Caffeine</h2>
 * Bucket4j is a maintained token-bucket library that takes a custom time source (so tests move a clock) and has a
 * PostgreSQL-backed mode whose concurrent takes were verified exact across two nodes ({@code SharedRateLimiterTest}). Caffeine
 * bounds the local bucket map and expires idle entries on the same clock. Both Apache-2.0.
 *
 * <h2>Talks to, trusts</h2>
 * The database (overrides; shared buckets). Trusts the override rows only as far as their validation
 * ({@code greyrelay.db.ratelimit}); nothing remote reaches a key except the client address and the MAIL FROM domain,
 * which are bounded (long keys are hashed).
 *
 * <h2>Limits</h2>
 * <ul>
 *   <li>Open-connection counts (per address, per network) are per node: they count this node's sockets.</li>
 *   <li>Several buckets are taken one after another, not atomically; a refusal gives back the tokens already taken,
 *       so a concurrent request may briefly see one token fewer.</li>
 *   <li>The local map holds at most {@code rateLimits.localBuckets}; beyond that the least recently used buckets are
 *       forgotten (a spray across many IPv6 /64s could push out a limited client's bucket; the per-network bucket is
 *       the defence there).</li>
 *   <li>Shared buckets need the nodes' clocks in sync (NTP): Bucket4j computes refills from the client clock.</li>
 * </ul>
 *
 * <h2>Configuration</h2>
 * {@code rateLimits.enabled}, {@code .mode}, {@code .ipv4Prefix}, {@code .ipv6Prefix}, {@code .perIp.*},
 * {@code .perNetwork.*}, {@code .maxConnectionsPerNetwork}, {@code .senderDomainMessagesPerHour},
 * {@code .overrideRefresh}, {@code .shared}, {@code .localBuckets}.
 */
package greyrelay.relay.ratelimit;
