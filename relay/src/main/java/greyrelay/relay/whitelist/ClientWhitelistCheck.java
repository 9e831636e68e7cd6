package greyrelay.relay.whitelist;

import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Verdict;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connect phase, right after the connection limits: a client matching a client whitelist entry (its address or
 * network, or its forward-confirmed host name) is exempt, for the whole session, from
 * {@link Whitelist#CLIENT_EXEMPTIONS}: greylisting, sender verification, SPF, DNSBL, HELO checks and rate limits.
 * The exemptions go to {@link SessionNotes#exempt}; connect-time checks after this one (connection rate, DNSBL)
 * read {@code notes.exemptions()} and skip themselves, and every RCPT request starts with them. Never refuses
 * anything. The host name is looked up only when some entry needs one.
 */
public final class ClientWhitelistCheck implements Check<PolicyRequest.Connect> {
    private static final Logger log = LoggerFactory.getLogger(ClientWhitelistCheck.class);

    /** The entry that whitelisted this session's client, if any. */
    public static final SessionNotes.Key<Whitelist.Match> MATCH = new SessionNotes.Key<>("whitelist.client");

    private final Whitelists whitelists;
    private final ForwardConfirmed names;

    public ClientWhitelistCheck(Whitelists whitelists, ForwardConfirmed names) {
        this.whitelists = whitelists;
        this.names = names;
    }

    @Override
    public String name() {
        return "client-whitelist";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Connect r) {
        Whitelist w = whitelists.current();
        var client = r.session().clientAddress();
        Optional<Whitelist.Match> match = w.clientAddress(client);
        if (match.isEmpty() && w.hasHostRules()) match = names.name(client).flatMap(w::clientHost);
        if (match.isPresent()) {
            for (Exemption e : Whitelist.CLIENT_EXEMPTIONS) r.notes().exempt(e);
            r.notes().put(MATCH, match.get());
            log.info("{}: client {} whitelisted by {}", r.session().sessionId(), r.session().clientLabel(), match.get());
        }
        return Verdict.CONTINUE;
    }
}
