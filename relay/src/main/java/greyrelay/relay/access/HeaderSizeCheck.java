package greyrelay.relay.access;

import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;

/**
 * {@code header-size} (end of DATA): a header line or field (folded lines together) over 64 KiB could not be examined
 * whole, so the filter that drops forged {@code Authentication-Results} and the {@code Received:} count could not see
 * it or what follows it; the message was drained, not stored, and is refused {@code 552 5.6.0}, as Sendmail refuses
 * oversized headers. First in its phase, so that no other check can let such a message through.
 */
public final class HeaderSizeCheck implements Check<PolicyRequest.Data> {
    @Override
    public String name() {
        return "header-size";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Data r) {
        return r.message().headerFieldTooLong()
                ? new Verdict.Reject(Replies.HEADER_FIELD_TOO_LONG, "a header line or field over 64 KiB")
                : Verdict.CONTINUE;
    }
}
