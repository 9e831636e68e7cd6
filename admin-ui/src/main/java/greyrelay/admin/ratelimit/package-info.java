/**
 * The rate-limits page: the configured defaults ({@code rateLimits.*}, read-only, passed in by the relay as
 * {@link greyrelay.admin.RelayPolicy.RateLimits}) and the overrides per client block (an address or CIDR) or sender
 * domain, added, edited and deleted. Pages under {@code /ratelimits}, JSON under {@code /api/ratelimits}.
 *
 * <p>Talks to: the database ({@link greyrelay.db.ratelimit.RateLimitOverrides}; validation is
 * {@link greyrelay.db.ratelimit.RateLimitOverride}'s). After every change it tells the embedding relay
 * ({@link greyrelay.admin.ChangeListener.What#RATE_LIMIT_OVERRIDES}), which reloads its override table before the next
 * check; other nodes reload within {@code rateLimits.overrideRefresh}. Trusts: admins for intent, not for syntax.
 * Known limits: the list is not paged by the database (overrides are tens to hundreds of rows); a changed number
 * starts a fresh bucket. Config keys: none (shows {@code rateLimits.*}).
 */
package greyrelay.admin.ratelimit;
