package greyrelay.relay.access;

import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;

/** MAIL: a SIZE= larger than {@code smtp.maxMessageSize} is refused before any data is sent (RFC 1870). */
public final class DeclaredSizeCheck implements Check<PolicyRequest.Mail> {
    private final long max;

    public DeclaredSizeCheck(long max) {
        this.max = max;
    }

    @Override
    public String name() {
        return "declared-size";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Mail r) {
        if (r.declaredSize().isPresent() && r.declaredSize().getAsLong() > max) {
            return new Verdict.Reject(Replies.MESSAGE_TOO_LARGE, "declared SIZE " + r.declaredSize().getAsLong() + " > " + max);
        }
        return Verdict.CONTINUE;
    }
}
