package greyrelay.relay.access;

import greyrelay.relay.address.Mailbox;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;

/**
 * {@code relay-domain} (RCPT): never an open relay. A recipient passes only if it is a plain mailbox in one of our domains whose
 * local part holds no routing characters ({@code %}, {@code !}, {@code @}: the percent hack, bang paths and quoted
 * addresses that a downstream might route elsewhere). Anything we cannot read for certain is refused:
 * when in doubt, {@code 554 5.7.1 Relay access denied}.
 */
public final class RelayDomainCheck implements Check<PolicyRequest.Rcpt> {
    private final RelayDomains domains;

    public RelayDomainCheck(RelayDomains domains) {
        this.domains = domains;
    }

    @Override
    public String name() {
        return "relay-domain";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Rcpt r) {
        Mailbox m = r.recipient();
        if (m != null && domains.contains(m.domain()) && !hasRoutingCharacters(m.localPart())) return Verdict.CONTINUE;
        String why = m == null ? "recipient is not a plain mailbox" : domains.contains(m.domain())
                ? "routing characters in the local part" : "domain " + m.domain() + " is not a relay domain";
        return new Verdict.Reject(Replies.relayDenied(r.recipientText()), why);
    }

    static boolean hasRoutingCharacters(String local) {
        return local.indexOf('%') >= 0 || local.indexOf('!') >= 0 || local.indexOf('@') >= 0;
    }
}
