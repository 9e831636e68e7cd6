package greyrelay.admin.whitelist;

import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import java.net.InetAddress;
import java.util.List;

/**
 * What the whitelist page asks of the relay's whitelists. admin-ui declares it; the relay implements it over its own
 * matcher and entries ({@code AdminApp.builder(…).whitelists(lookup)}), so "is this client whitelisted, and by which
 * entry?" is answered by the code that decides at connect and RCPT time, not by a second copy of it. Thread-safe.
 */
public interface WhitelistLookup {
    /**
     * The entries in force that are not in the database: the files of {@code greylist.whitelistFiles} (source
     * {@code file:PATH}) and the bundled default list (source {@code default}), as read at start or the last reload.
     */
    List<WhitelistEntry> fixed();

    /**
     * Every part of the question that an entry whitelists, in the relay's order (client address, client host name,
     * sender, recipient), each with the entry that wins for it; empty when nothing does. Database entries count as of
     * the relay's last refresh.
     */
    List<Match> check(Question question);

    /**
     * @param client   the client's address
     * @param hostName its forward-confirmed reverse name, or null (the relay never matches host entries against HELO)
     * @param sender   the envelope sender, or null
     * @param recipient the recipient, or null
     */
    record Question(InetAddress client, String hostName, String sender, String recipient) {}

    /**
     * @param part which part of the question matched: {@code client address}, {@code client host name}, {@code sender}
     *             or {@code recipient}
     */
    record Match(String part, WhitelistKind kind, String value, String source, String note) {}
}
