/**
 * The greylist page: triplets searched by client network, sender, recipient and state (greylisted, passed, expired),
 * newest first, paged; one triplet passed now (it is let through from now on, for {@code greylist.maxAge}) or deleted
 * (its next attempt is a first sight); and the auto-whitelisted client networks. Pages under {@code /greylist}, JSON
 * under {@code /api/greylist}.
 *
 * <p>Talks to: the database ({@link greyrelay.db.greylist.GreylistStore}). Searches are exact matches on the stored,
 * normalised keys, so each is answered from an index whatever the size of the greylist; a client IP typed in is turned
 * into its network with {@code greylist.ipv4Prefix}/{@code ipv6Prefix}. No notice to the relay is needed: it reads the
 * triplet at every decision, so a pass or a delete counts on every node at once.
 *
 * <p>Trusts: nothing it shows (addresses came from strangers' envelopes; the templates escape them). Known limits: no
 * substring search (it would read the whole table); a pass by hand does not count towards auto-whitelisting.
 * Config keys: none (uses {@code greylist.maxAge}, {@code greylist.autoWhitelistAfter} and the prefixes from
 * {@link greyrelay.admin.RelayPolicy}).
 */
package greyrelay.admin.greylist;
