/**
 * Triplet greylisting: the first attempt of an unknown (client network, sender, recipient) is answered
 * {@code 451 4.7.1 Greylisted, please try again in N seconds}; real MTAs retry, most spam software does not.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link greyrelay.relay.greylist.Triplet}: the key; client network by {@code ipv4Prefix}/{@code ipv6Prefix}
 *       (or {@code spf:<domain>} after an SPF pass, the transaction's {@code SpfFact}); sender normalised
 *       by {@code SenderNormalisation}: lower case; BATV ({@code prvs=}, {@code msprvs1=}, {@code btv1==}) removed; SRS0
 *       and SRS1 undone to the original sender; {@code +extension} (VERP with plus) dropped; per-message tokens
 *       (all digits, or hex of 4+ characters with a digit) replaced by {@code #}. Recipient lower-cased only
 *       (plus-addressed recipients are separate triplets).</li>
 *   <li>{@link greyrelay.relay.greylist.GreylistPolicy}: the pure decision (entry + client network + now → a sealed
 *       {@link greyrelay.relay.greylist.GreylistOutcome}); every period boundary is in its Javadoc.</li>
 *   <li>{@code Greylister}: loads, decides, writes conditionally, re-decides after a lost race.</li>
 *   <li>Checks: {@link greyrelay.relay.greylist.SpamtrapCheck} ({@code spamtrap}, RCPT),
 *       {@link greyrelay.relay.greylist.TrappedClientCheck} ({@code trapped-client}, RCPT),
 *       {@link greyrelay.relay.greylist.GreylistCheck} ({@code greylist}, RCPT, with the {@code FirstSight} hook),
 *       {@link greyrelay.relay.greylist.NullSenderSpamtrapCheck} and
 *       {@link greyrelay.relay.greylist.NullSenderGreylistCheck} (end of DATA).</li>
 *   <li>{@link greyrelay.relay.greylist.GreylistCleanup}: scheduled, batched deletes of expired rows.</li>
 *   <li>{@link greyrelay.relay.greylist.Greylisting}: builds the above from the configuration; the check table places its checks.</li>
 * </ul>
 *
 * <h2>Talks to, trusts</h2>
 * The database through {@code greyrelay.db.greylist} (shared by all nodes on PostgreSQL); a store failure propagates
 * and the pipeline answers {@code 451 4.3.0}: never pass unchecked. Addresses come from strangers; they are values
 * ({@code Mailbox}) already free of control characters, bound as parameters, never parsed again.
 *
 * <h2>Decisions and metrics</h2>
 * Deferrals (greylisted, trapped) are decision-log rows through the pipeline, with the triplet in the reason; a
 * pass notes why on the transaction ({@code greylist: passed after N s}, {@code … auto-whitelisted …},
 * {@code … whitelisted}, {@code … known triplet}), which ends in the reason of the recipient's "queued" row.
 * {@code greyrelay_greylist_decisions_total{outcome=greylisted|passed|auto_whitelisted|whitelisted|trapped}},
 * {@code greyrelay_greylist_trap_hits_total}, {@code greyrelay_greylist_cleanup_dropped_total{what}}.
 *
 * <h2>What a node remembers</h2>
 * With the embedded database, a triplet this node saw passing is decided from memory for a minute
 * ({@code WriteBehind.PASSING_TTL}), without a read; with PostgreSQL it is read at every request, so a node that lost
 * its database answers {@code 451 4.3.0} rather than pass from memory (issue 12). A node's own first sights wait in
 * memory until their batch lands. Nothing else is cached: a triplet that is not passing (greylisted, or unknown here)
 * is read from the database at every request, so a pass made on another node or by hand is seen at the next request,
 * and a first sight made on another node once that node's batch has landed (milliseconds). The memory can only be
 * stale towards letting through: a triplet deleted by {@code greyrelay greylist delete} keeps passing here for up to
 * that minute, as it would have had the deletion come a minute later (the panel in this process tells this node, which
 * forgets at once). It never defers a sender the database would pass, nor restarts a round: a remembered entry answers
 * only when the policy finds it a known pass still; anything else reads the database. Unknown triplets are not
 * remembered as absent: another node's first sight must be found, or the retry it asked for would be deferred again.
 *
 * <h2>Known limits</h2>
 * Last use of a busy triplet is written at most hourly, so it is forgotten up to an hour before maxAge says. The
 * null sender's auto-whitelist: its passes never count, but an auto-whitelisted network's bounces pass. A spamtrap
 * never blocks a client exempt from greylisting (whitelisted). With the null sender, a whole message is deferred when
 * any of its recipients is.
 *
 * <p>Config keys: {@code greylist.enabled}, {@code mode}, {@code delay}, {@code retryWindow}, {@code maxAge},
 * {@code ipv4Prefix}, {@code ipv6Prefix}, {@code autoWhitelistAfter}, {@code spamtraps}, {@code trapDuration},
 * {@code cleanupInterval}, {@code spfDomainKey}. See README.md, "Greylisting".
 */
package greyrelay.relay.greylist;
