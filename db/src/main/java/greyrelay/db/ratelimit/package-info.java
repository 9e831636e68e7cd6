/**
 * Rate-limit overrides: per client block (CIDR) and per sender domain, numbers that replace the relay's configured
 * defaults ({@code rateLimits.*}). The admin panel writes them; the relay reads all of them into a snapshot that it
 * refreshes every {@code rateLimits.overrideRefresh}, so an edit is honoured without a restart.
 *
 * <p>{@link greyrelay.db.ratelimit.RateLimitOverrides} lists, finds, saves (insert or replace by kind and match,
 * atomically on each database) and deletes. {@link greyrelay.db.ratelimit.RateLimitOverride} validates and
 * normalises at the boundary: canonical CIDR text (host bits set is an error, not a silent widening), lower-case
 * domains, limits 0..10,000,000 or empty, notes cut to 500 characters.
 *
 * <p>The same migration ({@code V4__rate_limits.sql}) creates {@code rate_limit_bucket}, the table Bucket4j's
 * PostgreSQL proxy manager keeps token buckets in when several nodes share one database; the relay's
 * {@code ratelimit} package owns its contents, this module only its schema.
 *
 * <p>Trust: the rows come from the admin (authenticated), still validated. Rows that fail validation (edited by hand
 * in SQL) are skipped by {@code list()} with a warning. Time is passed in, never read here. Config keys: none.
 */
package greyrelay.db.ratelimit;
