/**
 * Stores for callback verification (V3 migration): the verdict cache shared by all nodes
 * ({@link greyrelay.db.verify.VerificationCache}), the probe history shown in the admin panel
 * ({@link greyrelay.db.verify.ProbeLog}) and what probes taught us about each sender domain
 * ({@link greyrelay.db.verify.DomainProfiles}); and vouching's memory (V11, {@link greyrelay.db.verify.VouchStore}): the
 * networks each sender domain's verified mail came from, and how many of its senders were vouched for.
 *
 * <p><b>Who uses them.</b> The relay's {@code greyrelay.relay.verify} package (the prober, its scheduler and the checks)
 * writes and reads them; the admin panel searches the probe log and the profiles. The stores decide nothing: lifetimes,
 * merging and answers are the relay's pure {@code CachePolicy}. One rule is kept here as well, because two nodes may
 * race: {@link greyrelay.db.verify.VerificationCache#put} never lets a temporary failure replace an unexpired definite
 * verdict (a good result is never overwritten by a temporary failure).
 *
 * <p><b>Cluster leases and freezes</b> ({@code V10}). {@link greyrelay.db.verify.ProbeLeases}: one holder per key
 * until an expiry, taken with one conditional statement (PostgreSQL: {@code INSERT … ON CONFLICT DO UPDATE … WHERE}
 * the row is expired or the taker's, atomic across nodes; H2, which has no such upsert and serves one node only:
 * guarded UPDATE, else INSERT … ON CONFLICT DO NOTHING). {@link greyrelay.db.verify.DomainFreezes}: the end of a
 * domain's burst freeze, which only moves later. Times are passed in by the caller, never read from the database.
 *
 * <p><b>What it trusts.</b> Reply text and transcripts came from strangers' mail servers: the records cut them to
 * their column and replace NUL; the panel must escape them when it shows them.
 *
 * <p><b>Limits.</b> Upserts are "guarded UPDATE, else INSERT … ON CONFLICT DO NOTHING" (portable to H2 and
 * PostgreSQL); when two nodes insert the same new key at once, one write wins. Profiles are read, merged and written
 * back without a lock: they are heuristics, and the last writer wins.
 *
 * <p><b>Configuration.</b> None of its own; retention comes from {@code verification.historyRetention} and the cache
 * lifetimes from {@code verification.cache.*} via the callers (README.md, "Configuration reference").
 */
package greyrelay.db.verify;
