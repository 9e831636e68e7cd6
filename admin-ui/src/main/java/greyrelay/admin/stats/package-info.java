/**
 * {@code GET /api/stats?from=…}: the morning report's figures as JSON (decisions by outcome and check, greylist pass
 * rate and retry delays, senders that never retried, top deferred networks and sender domains, probe outcomes and
 * slowest MX hosts, queue state when the relay embeds the panel); {@code greyrelay stats} prints them as text.
 * Talks to: the database ({@link greyrelay.db.stats.StatsQueries}), this node's queue. Must not: write.
 */
package greyrelay.admin.stats;
