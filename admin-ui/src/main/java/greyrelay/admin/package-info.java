/**
 * The admin web panel (Javalin 7, jte, htmx, uPlot). {@link greyrelay.admin.AdminApp#builder} returns a builder of an
 * unstarted app; the relay embeds it (full panel, with that node's queue through
 * {@link greyrelay.admin.queue.QueueOperations}) and {@code greyrelay admin} runs it alone against a shared database.
 * Each page is an {@link greyrelay.admin.AdminFeature}. The relay also passes its configured policy
 * ({@link greyrelay.admin.RelayPolicy}: rate-limit defaults, greylist periods, spamtraps) and a
 * {@link greyrelay.admin.ChangeListener} that reloads its in-memory whitelists and rate-limit overrides after an edit.
 * See {@code admin-ui/README.md}.
 *
 * <p>Talks to: the database (stores of the db module), the embedding relay through interfaces declared here. Trusts:
 * nothing a request carries until the access gate has checked the session (and CSRF) or the token; nothing stored
 * that came from outside (shown escaped). Known limits: sessions and login throttling live in memory, per node.
 * Config keys (via {@link greyrelay.admin.AdminSettings}, built by the relay): {@code admin.*}.
 */
package greyrelay.admin;
