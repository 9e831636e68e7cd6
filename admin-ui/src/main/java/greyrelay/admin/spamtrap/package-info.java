/**
 * The spamtraps page: the configured trap addresses ({@code greylist.spamtraps}, read-only) and the client networks
 * currently blocked because they sent to one, with the reason (which client, sender and trap) and the expiry; unblock.
 * Page {@code /spamtraps}, JSON under {@code /api/spamtraps}.
 *
 * <p>Talks to: the database ({@link greyrelay.db.greylist.TrapBlockStore}). No notice to the relay is needed: it reads
 * the block at every RCPT, so an unblock counts on every node at once. Trusts: nothing it shows (sender and reason come
 * from a spammer's envelope; the templates escape them). Known limits: an unblocked network that hits a trap again is
 * blocked again. Config keys: none (shows {@code greylist.spamtraps}, {@code greylist.trapDuration}).
 */
package greyrelay.admin.spamtrap;
