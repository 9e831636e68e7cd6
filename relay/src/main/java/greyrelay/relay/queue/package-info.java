/**
 * The queue: accepted mail on disk until every recipient is delivered or has failed, its delivery to the downstream
 * MTA, and the delivery status notifications (DSNs) to senders.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link greyrelay.relay.queue.Spool}: the files. The SMTP layer writes a message with {@code begin()} and
 *       makes it durable with {@code commit(Envelope)} before the client hears 250: {@code GroupCommit}'s thread
 *       appends it to the head {@code Segment} with whatever else is pending and fdatasyncs once for all of them. The
 *       queue replaces the envelope with {@code update} after each attempt (a state file: fdatasync + rename +
 *       directory fsync); a message leaves through its segment's ledger; {@code recover()} rebuilds the queue at
 *       start. {@code EnvelopeFormat} is the stored form of the envelope (flat JSON, unchanged since the first
 *       release: a spool survives upgrades).</li>
 *   <li>{@link greyrelay.relay.queue.Envelope}: what is known about one message — {@code id}, {@code sender} (the
 *       address package's {@code Sender}: {@code Null} for bounces), the {@link greyrelay.relay.queue.RecipientState}s,
 *       the {@code Arrival} (when, from which SMTP client or from ourselves, size, our trace header fields) and the
 *       {@code Schedule} (attempts, next attempt, deadline, last error).</li>
 *   <li>{@code QueuePolicy}: the decisions, pure. {@code decide(Envelope, Attempt) → Transition}: which recipients
 *       are settled, when to try again or that the message is done, and whether the sender gets a DSN about the
 *       recipients that failed (never to the null sender, never about a DSN). {@link greyrelay.relay.queue.RetrySchedule}
 *       is the delay after each attempt, as data.</li>
 *   <li>{@link greyrelay.relay.queue.MailQueue}: the in-memory index of the spool, the workers and the scheduler
 *       thread. It makes each attempt (through {@link greyrelay.relay.queue.DownstreamDelivery}), asks the policy,
 *       then carries the decision out in this order: persist the new state, send the DSN ({@code Dsn} builds it),
 *       remove the message once nothing is pending. An administrator's retry, delete and bounce claim the message
 *       exactly as an attempt does, so the two never overlap.</li>
 *   <li>{@link greyrelay.relay.queue.DownstreamDelivery}: the SMTP client side — one transaction per message and
 *       route ({@code downstream.routes}), at most {@code downstream.maxConnections} conversations per route carrying
 *       one message after another (RSET between), STARTTLS per {@code downstream.tls}, a result per recipient, idle
 *       connections kept for {@code downstream.connectionCacheTime}. A conversation that failed is closed, never
 *       reused.</li>
 * </ul>
 *
 * <h2>Must not</h2>
 * Acknowledge a message before {@code commit} returns; delete a queue file it cannot read (it is logged and left for
 * a human); send a DSN to the null sender or about a DSN; decide anything about recipients outside
 * {@code QueuePolicy}. The downstream's replies are remote text: the SMTP client makes them printable before they reach
 * logs, state files and DSNs.
 *
 * <h2>Limits</h2>
 * The attempt in flight at a crash is repeated after the restart (its recipients may get the message twice).
 * The deadline is fixed when a message arrives: changing {@code queue.maxLifetime} affects new mail only.
 *
 * <h2>Configuration</h2>
 * {@code queue.retrySchedule}, {@code queue.maxLifetime}, {@code queue.workers}, {@code queue.minFreeSpace},
 * {@code downstream.*}; {@code smtp.hostname} names us in DSNs. See README.md, "Configuration reference".
 */
package greyrelay.relay.queue;
