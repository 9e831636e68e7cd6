/**
 * Whitelists: entries that exempt a client, a sender or a recipient from checks (they never accept by themselves).
 *
 * <ul>
 *   <li>Client entries (address/network, or a host name, only when forward-confirmed: PTR of the client, then its
 *       A/AAAA must contain the client address, {@link greyrelay.relay.whitelist.ForwardConfirmed}) exempt the session
 *       from greylisting, sender verification, SPF, DNSBL, HELO checks and rate limits: applied at connect by
 *       {@link greyrelay.relay.whitelist.ClientWhitelistCheck} into {@code SessionNotes}.</li>
 *   <li>Sender entries (address, or domain and subdomains) exempt from greylisting and sender verification;
 *       recipient entries (address with its extensions, local part in any domain, domain, regex) from greylisting:
 *       applied at RCPT ({@code whitelist}) by {@link greyrelay.relay.whitelist.WhitelistCheck} into the request's exemptions.</li>
 * </ul>
 *
 * <p>Sources, in order of precedence: the database ({@code greyrelay.db.whitelist}, edited by the admin panel and
 * {@code greyrelay whitelist import}), the files of {@code greylist.whitelistFiles} (postgrey format,
 * {@link greyrelay.db.whitelist.WhitelistFile}, read at start), the bundled default list of large senders
 * ({@code default-clients.txt}, {@code greylist.defaultWhitelist}). Lookups use an in-memory
 * {@link greyrelay.relay.whitelist.Whitelist} snapshot, rebuilt every {@code greylist.whitelistRefresh} (30 s) and
 * at once on {@link greyrelay.relay.whitelist.Whitelists#invalidate()}: an edit takes effect on this node at once
 * when made through it, on other nodes within one refresh interval; a message never queries the database for it.
 *
 * <p>Trusts: DNS answers only as far as forward confirmation goes (host names checked for plain syntax, at most 10
 * PTR names tried); a DNS failure means no match. Known limits: file entries are read at start only; regular
 * expressions are admin input matched against names and addresses of at most 254 characters.
 * Config keys: {@code greylist.whitelistRefresh}, {@code greylist.whitelistFiles}, {@code greylist.defaultWhitelist}.
 */
package greyrelay.relay.whitelist;
