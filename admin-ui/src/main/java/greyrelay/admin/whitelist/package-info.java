/**
 * The whitelists page: every kind of entry (client address or network, client host name or /regex/, sender address or
 * domain, recipient address, local part, domain or /regex/) listed, searched, added with a note and deleted; postgrey's
 * file format imported (upload) and exported (download), one file per kind group ({@code whitelist_clients},
 * {@code whitelist_recipients}, and our {@code whitelist_senders}). Pages under {@code /whitelists}, JSON under
 * {@code /api/whitelists}.
 *
 * <p>Talks to: the database ({@link greyrelay.db.whitelist.WhitelistStore}); validation and normalisation are
 * {@link greyrelay.db.whitelist.WhitelistEntry#normalise} and the file format {@link greyrelay.db.whitelist.WhitelistFile},
 * the same code the relay and {@code greyrelay whitelist import} use. After every change it tells the embedding relay
 * ({@link greyrelay.admin.ChangeListener.What#WHITELISTS}), which reloads its in-memory snapshot at once; other nodes
 * reload within {@code greylist.whitelistRefresh}.
 *
 * <p>Trusts: admins for intent, not for syntax; uploaded files are parsed all or nothing (a file with a bad line imports
 * nothing, every bad line is listed), at most 1 MB. Values and notes are shown escaped. Known limits: entries of the
 * configured files and the bundled default list live in the relay's memory only and are not listed here. Config keys:
 * none (shows {@code greylist.whitelistFiles}, {@code greylist.defaultWhitelist}, {@code greylist.whitelistRefresh}).
 */
package greyrelay.admin.whitelist;
