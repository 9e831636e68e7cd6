package greyrelay.relay.verify;

import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;

/**
 * {@code sender-domain} (RCPT): the sender's domain must be able to receive bounces. NXDOMAIN, or neither MX nor address →
 * {@code 450 4.1.8} (temporary, as Postfix's {@code reject_unknown_sender_domain} defaults to: DNS may be wrong for a
 * while); RFC 7505 null MX → {@code 550 5.7.27}. A temporary DNS failure passes here: {@code sender-verification}
 * answers it with {@code 451 4.4.3}. Skipped for the null sender and for transactions exempt from sender
 * verification (a whitelisted partner's internal sender domain need not resolve).
 */
public final class SenderDomainCheck implements Check<PolicyRequest.Rcpt> {
    private final MxSelection selection;

    public SenderDomainCheck(MxSelection selection) {
        this.selection = selection;
    }

    @Override
    public String name() {
        return "sender-domain";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Rcpt r) {
        if (r.exempt(Exemption.SENDER_VERIFICATION) || !(r.tx().sender() instanceof Sender.Address a)) return Verdict.CONTINUE;
        String domain = a.mailbox().domain();
        return switch (selection.status(domain)) {
            case NO_SUCH_DOMAIN -> new Verdict.Defer(Replies.senderDomainNotFound(a.mailbox().address()),
                    domain + " has neither MX nor address");
            case NULL_MX -> new Verdict.Reject(Replies.senderNullMx(a.mailbox().address()), domain + " publishes a null MX");
            case RECEIVES_MAIL, TEMPFAIL -> Verdict.CONTINUE;
        };
    }
}
