/**
 * Builds the admin web panel (Javalin 7, jte, htmx, uPlot): {@link greyrelay.admin.app.AdminApp#builder} returns a
 * builder of an unstarted app; the relay embeds it (full panel, with that node's queue through
 * {@link greyrelay.admin.queue.QueueOperations} and "verify again now" through
 * {@link greyrelay.admin.probes.VerificationOperations}) and {@code greyrelay admin} runs it alone against a shared
 * database. Every controller gets what it uses through its constructor, here and nowhere else; this package is the
 * only one that knows every page.
 *
 * <p>Talks to: the database (stores of the db module), the embedding relay through interfaces declared in admin-ui.
 * Trusts: nothing a request carries until the access gate has checked the session (and CSRF) or the token; nothing
 * stored that came from outside (shown escaped). Known limits: sessions and login throttling live in memory, per node.
 * Config keys (via {@link greyrelay.admin.AdminSettings}, built by the relay): {@code admin.*}.
 */
package greyrelay.admin.app;
