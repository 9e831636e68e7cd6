package greyrelay.relay.admin;

import greyrelay.admin.whitelist.WhitelistLookup;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.relay.whitelist.Whitelisting;
import java.util.List;

/** The whitelist page's questions, answered by this relay's whitelists (the matcher its checks use). */
public final class WhitelistPanelLookup implements WhitelistLookup {
    private final Whitelisting whitelisting;

    public WhitelistPanelLookup(Whitelisting whitelisting) {
        this.whitelisting = whitelisting;
    }

    @Override
    public List<WhitelistEntry> fixed() {
        return whitelisting.whitelists().fixed();
    }

    @Override
    public List<Match> check(Question q) {
        return whitelisting.explain(q.client(), q.hostName(), q.sender(), q.recipient()).stream()
                .map(f -> new Match(f.part(), f.match().kind(), f.match().value(), f.match().source(), f.match().note())).toList();
    }
}
