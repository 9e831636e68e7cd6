package greyrelay.relay.dnsbl;

import greyrelay.relay.config.DnsblConfig.Action;
import greyrelay.relay.config.DnsblConfig.DnsList;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Verdict;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dns-lists} (RCPT): the DNS lists' word on this client (asked at connect already when a {@code reject} list exists,
 * else now, once per session). An allow list ({@code skip-greylisting}) grants {@link #ALLOW_LIST_GRANTS} to the
 * session and to this recipient; a {@code defer} list answers {@code 451 4.7.1 Service unavailable; client [ip]
 * blocked using <list>} unless the recipient is exempt from {@link Exemption#DNSBL}.
 */
public final class DnsListCheck implements Check<PolicyRequest.Rcpt> {
    /**
     * What an allow-list hit grants: greylisting (the list vouches that this host is a real, retrying MTA, which is
     * all greylisting tests) and the block lists (a host on both is usually a large shared provider, and the allow
     * list is the more specific word, as postscreen's negative DNSWL weights say). Not sender verification: an
     * allow-listed relay may still carry forged senders of its customers.
     */
    public static final Set<Exemption> ALLOW_LIST_GRANTS = Set.of(Exemption.GREYLISTING, Exemption.DNSBL);

    private static final Logger log = LoggerFactory.getLogger(DnsListCheck.class);

    private final DnsListLookup lookup;
    private final List<DnsList> lists;

    public DnsListCheck(DnsListLookup lookup, List<DnsList> lists) {
        this.lookup = lookup;
        this.lists = List.copyOf(lists);
    }

    @Override
    public String name() {
        return "dns-lists";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Rcpt r) {
        DnsListResults results = results(r.notes(), r.session(), lookup, lists);
        if (results.firstHit(Action.SKIP_GREYLISTING).isPresent()) r.exemptions().addAll(ALLOW_LIST_GRANTS);
        if (r.exempt(Exemption.DNSBL)) return Verdict.CONTINUE;
        return results.firstHit(Action.DEFER)
                .<Verdict>map(list -> new Verdict.Defer(Replies.dnsblDeferred(r.session().clientAddress(), list.zone()),
                        "listed on " + list.zone() + " (" + DnsblRejectCheck.codes(results, list) + ")"))
                .orElse(Verdict.CONTINUE);
    }

    /** The session's answers, asking the lists on first use; an allow-list hit marks the session's exemptions. */
    static DnsListResults results(SessionNotes notes, SessionFacts session, DnsListLookup lookup, List<DnsList> lists) {
        var known = notes.get(DnsListResults.KEY);
        if (known.isPresent()) return known.get();
        DnsListResults fresh = lookup.lookup(session, lists);
        notes.put(DnsListResults.KEY, fresh);
        fresh.firstHit(Action.SKIP_GREYLISTING).ifPresent(list -> {
            ALLOW_LIST_GRANTS.forEach(notes::exempt);
            log.info("{}: {} on allow list {}: exempt from {}", session.sessionId(), session.clientLabel(), list.zone(),
                    EnumSet.copyOf(ALLOW_LIST_GRANTS));
        });
        return fresh;
    }
}
