package greyrelay.relay.whitelist;

import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Verdict;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code whitelist} (RCPT): sender and recipient whitelists add their exemptions to the request (a sender entry:
 * {@link Whitelist#SENDER_EXEMPTIONS}; a recipient entry: {@link Whitelist#RECIPIENT_EXEMPTIONS}); later checks skip
 * themselves, and the accepted recipient keeps them for the end of DATA. Client entries were applied at connect
 * ({@link ClientWhitelistCheck}) and arrive in the request already. Never accepts or refuses: a whitelist only
 * exempts. The null sender matches no sender entry.
 */
public final class WhitelistCheck implements Check<PolicyRequest.Rcpt> {
    private static final Logger log = LoggerFactory.getLogger(WhitelistCheck.class);

    private final Whitelists whitelists;

    public WhitelistCheck(Whitelists whitelists) {
        this.whitelists = whitelists;
    }

    @Override
    public String name() {
        return "whitelist";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Rcpt r) {
        Whitelist w = whitelists.current();
        if (r.tx().sender() instanceof Sender.Address a) {
            Optional<Whitelist.Match> m = w.sender(a.mailbox());
            if (m.isPresent()) {
                r.exemptions().addAll(Whitelist.SENDER_EXEMPTIONS);
                log.info("{}: sender {} whitelisted by {}", r.tx().id(), a.bracketed(), m.get());
            }
        }
        if (r.recipient() != null) {
            Optional<Whitelist.Match> m = w.recipient(r.recipient());
            if (m.isPresent()) {
                r.exemptions().addAll(Whitelist.RECIPIENT_EXEMPTIONS);
                log.info("{}: recipient <{}> whitelisted by {}", r.tx().id(), r.recipient().address(), m.get());
            }
        }
        return Verdict.CONTINUE;
    }
}
