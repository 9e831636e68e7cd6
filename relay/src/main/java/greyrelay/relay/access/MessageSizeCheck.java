package greyrelay.relay.access;

import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;

/** End of DATA: the data actually sent was larger than {@code smtp.maxMessageSize} (it was drained, not stored). */
public final class MessageSizeCheck implements Check<PolicyRequest.Data> {
    @Override
    public String name() {
        return "message-size";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Data r) {
        return r.message().truncated()
                ? new Verdict.Reject(Replies.MESSAGE_TOO_LARGE, "message of " + r.message().size() + " bytes")
                : Verdict.CONTINUE;
    }
}
