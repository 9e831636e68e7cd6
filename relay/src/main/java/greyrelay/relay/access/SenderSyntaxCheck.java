package greyrelay.relay.access;

import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;

/** MAIL: the reverse path must be {@code <>} or a valid mailbox (no control characters, within the length limits). */
public final class SenderSyntaxCheck implements Check<PolicyRequest.Mail> {
    @Override
    public String name() {
        return "sender-syntax";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Mail r) {
        return r.sender().isPresent() ? Verdict.CONTINUE : new Verdict.Reject(Replies.BAD_SENDER_SYNTAX, "invalid reverse path");
    }
}
