/**
 * The figures of {@code greyrelay stats} (the morning report): aggregates over {@code decision_log},
 * {@code greylist_triplet} and {@code probe_log} since an instant, read-only. Talks to: the database. Must not: write.
 */
package greyrelay.db.stats;
