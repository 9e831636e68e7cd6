/**
 * The decision log's writer ({@link greyrelay.relay.decisions.DecisionLogWriter}: a {@code batch.BatchedWriter} of the
 * rows {@code policy.DecisionRecorder} makes, off the SMTP threads) and its retention ({@code decisionLog.retention},
 * trimmed hourly in small batches by the relay's scheduler).
 *
 * <p>Talks to: the database through {@code greyrelay.db.decision.DecisionLog}. Trusts: nothing in the rows (addresses,
 * HELO names, reply texts from strangers); the db records bound and clean them, readers escape them. Must not: make a
 * client wait: when the database is slow or down, rows beyond the bound are dropped and counted
 * ({@code greyrelay_decisions_dropped_total}); the log line of every decision is still written.
 */
package greyrelay.relay.decisions;
