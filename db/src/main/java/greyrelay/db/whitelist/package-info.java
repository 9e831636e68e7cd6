/**
 * Whitelist entries: {@link greyrelay.db.whitelist.WhitelistEntry} (kind + a value validated and normalised to one
 * canonical spelling, see its table), {@link greyrelay.db.whitelist.WhitelistStore} (list, add, add many in one
 * transaction, remove, find, search a page); a client address entry is a {@link greyrelay.db.net.IpNetwork} in its
 * canonical text. {@link greyrelay.db.whitelist.WhitelistFile} reads and writes postgrey's file
 * format; it is pure (no I/O beyond reading a given path) so the relay (configured files, default list), the CLI
 * ({@code greyrelay whitelist import}) and the admin panel (import, export) share one implementation.
 *
 * <p>Writers: the admin panel, {@code greyrelay whitelist import}. The panel's search is a substring scan of this small
 * table (the relay reads all of it every refresh anyway). Reader: the relay, which loads all entries into
 * an in-memory snapshot every {@code greylist.whitelistRefresh} and matches there (never a query per message). The
 * matching itself (forward-confirmed host names, extensions of recipient addresses) is the relay's
 * {@code greyrelay.relay.whitelist} package; this package only guarantees that what is stored parses.
 *
 * <p>Trusts: admins and import files for intent, not for syntax (every value is validated). Regular expressions are
 * compiled once here to validate them. Known limits: domains are ASCII (IDNs as A-labels, {@code xn--…}); a row that
 * no longer parses is skipped by {@code all()}, not reported. Migration: {@code V2__greylist.sql}. Config keys: none.
 */
package greyrelay.db.whitelist;
