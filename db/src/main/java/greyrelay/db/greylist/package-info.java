/**
 * The greylist's shared state: triplets ({@link greyrelay.db.greylist.GreylistStore}), the auto-whitelist counters
 * of client networks (same store) and spamtrap blocks ({@link greyrelay.db.greylist.TrapBlockStore}).
 *
 * <p>Keys arrive normalised ({@link greyrelay.db.greylist.TripletKey}: client network or SPF domain, sender, recipient);
 * this package decides nothing: the relay's pure {@code GreylistPolicy} decides and says what to write. Every read
 * on the SMTP path is one row through a unique index, so a decision costs the same with 10,000 or 1,000,000
 * triplets. Concurrent first sight (two threads, or two nodes on one PostgreSQL) creates one row:
 * {@code INSERT … ON CONFLICT DO NOTHING} on the unique key, then the loser re-reads. Later writes are conditional on
 * what was read (first_seen, passed_at), so a race is reported as {@code false} and the caller decides again.
 *
 * <p>Durability: on PostgreSQL the SMTP path's writes commit with {@code synchronous_commit = off} (per transaction):
 * a database crash may lose the last fraction of a second of them — a sender greylisted once more — never corrupt
 * them. Trap blocks and whitelist entries commit normally.
 *
 * <p>Admin panel: {@link greyrelay.db.greylist.GreylistStore#search} finds triplets by exact client key, sender and
 * recipient ({@link greyrelay.db.greylist.TripletQuery}) and state ({@link greyrelay.db.greylist.TripletState},
 * read from {@code passed_at} and {@code expires_at}), newest first, always through an index (the unique key, the
 * sender and recipient indexes of {@code V6__greylist_search.sql}, the primary key; a contract test EXPLAINs each
 * search on both databases); pass and delete by id; the auto-whitelisted networks through the {@code expires_at} index.
 *
 * <p>Cleanup: each row carries {@code expires_at}, computed by the policy when it is written from the periods in
 * force then; {@code deleteExpired…(now, batch)} drops expired rows oldest first, one short statement per batch.
 * A period changed in the configuration applies to decisions at once and to cleanup as rows are next written.
 *
 * <p>Trusts: nothing it stores (addresses and trap hit details come from strangers; they are bound as parameters,
 * and trap-block text is cut to its column). Talks to: the database through the pool. Config keys: none (the relay
 * passes periods in). Migrations: {@code V2__greylist.sql}, {@code V6__greylist_search.sql}.
 */
package greyrelay.db.greylist;
