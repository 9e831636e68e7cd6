package greyrelay.relay.dnsbl;

import greyrelay.relay.config.DnsblConfig.Action;
import greyrelay.relay.config.DnsblConfig.DnsList;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import java.util.List;

/**
 * Connect, last: a client listed on a list with action {@code reject} hears
 * {@code 554 5.7.1 Service unavailable; client [ip] blocked using <list>} instead of the banner, and is disconnected.
 * Asks every configured list (allow lists too, in the same parallel round), so a client on an allow list is never
 * refused here and its exemptions are in the session notes for the RCPT checks. Skipped for sessions exempt from
 * {@link Exemption#DNSBL}.
 */
public final class DnsblRejectCheck implements Check<PolicyRequest.Connect> {
    private final DnsListLookup lookup;
    private final List<DnsList> lists;

    public DnsblRejectCheck(DnsListLookup lookup, List<DnsList> lists) {
        this.lookup = lookup;
        this.lists = List.copyOf(lists);
    }

    @Override
    public String name() {
        return "dnsbl";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Connect r) {
        if (r.notes().exemptions().contains(Exemption.DNSBL)) return Verdict.CONTINUE;
        DnsListResults results = DnsListCheck.results(r.notes(), r.session(), lookup, lists);
        if (r.notes().exemptions().contains(Exemption.DNSBL)) return Verdict.CONTINUE; // an allow list just vouched
        return results.firstHit(Action.REJECT)
                .<Verdict>map(list -> new Verdict.Reject(Replies.dnsblRejected(r.session().clientAddress(), list.zone()),
                        "listed on " + list.zone() + " (" + codes(results, list) + ")"))
                .orElse(Verdict.CONTINUE);
    }

    static String codes(DnsListResults results, DnsList list) {
        return results.answer(list) instanceof ListAnswer.Listed l ? String.join(",", l.codes()) : "?";
    }
}
