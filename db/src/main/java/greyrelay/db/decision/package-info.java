/**
 * The decision log: one row per final policy decision (accepted, deferred, rejected, disconnected), with the
 * check, the reply and the client, so an admin can answer "why was this deferred?".
 *
 * <p>{@link greyrelay.db.decision.DecisionLog} appends in batches (one JDBC batch, one transaction), searches for
 * the admin panel (newest first, paged, optional filters; one row by id; one SMTP session's rows), counts for the
 * dashboard (by outcome; per time bucket, outcome and check; top client IPs and sender domains of an outcome; the
 * dashboard counts leave observe-mode rows out), and trims rows older than a cut-off in bounded batches for the
 * retention job. Writers: the relay's decision recorder. Readers: the
 * admin panel.
 *
 * <p>Trusts nothing in the text it stores: reply texts, HELO names and addresses come from strangers.
 * {@link greyrelay.db.decision.DecisionRecord} cuts them to their column length and replaces NUL characters instead
 * of failing the insert; displaying them escaped is the reader's job. Time is passed in, never read here.
 *
 * <p>Known limits: sender/recipient search is a case-insensitive substring match ({@code LOWER(x) LIKE '%…%'}),
 * which no B-tree index can serve; it scans the rows the other filters leave (narrow it by time). Lower-casing of
 * non-ASCII letters follows each database's rules. Config keys: none (retention is the caller's schedule).
 */
package greyrelay.db.decision;
