package greyrelay.relay.access;

import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;

/** End of DATA: more than {@code smtp.maxHops} {@code Received:} fields means the message is looping (Postfix's hopcount_limit). */
public final class MailLoopCheck implements Check<PolicyRequest.Data> {
    private final int maxHops;

    public MailLoopCheck(int maxHops) {
        this.maxHops = maxHops;
    }

    @Override
    public String name() {
        return "mail-loop";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Data r) {
        int hops = r.message().receivedHeaders();
        return hops > maxHops ? new Verdict.Reject(Replies.TOO_MANY_HOPS, hops + " Received headers") : Verdict.CONTINUE;
    }
}
