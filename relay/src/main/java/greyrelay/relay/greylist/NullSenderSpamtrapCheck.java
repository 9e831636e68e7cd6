package greyrelay.relay.greylist;

import greyrelay.db.greylist.TrapBlock;
import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Recipient;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import java.time.Clock;

/**
 * End of DATA: a message from the null sender actually sent to a spamtrap (not just probed at RCPT) blocks the
 * client's network like a trap hit at RCPT, and the message is answered {@code 451 4.7.1 Client host [ip]
 * temporarily blocked}. Runs before null-sender greylisting. Recipients exempt from greylisting are skipped.
 */
public final class NullSenderSpamtrapCheck implements Check<PolicyRequest.Data> {
    private final Spamtraps traps;
    private final Greylister greylister;
    private final Clock clock;

    NullSenderSpamtrapCheck(Spamtraps traps, Greylister greylister, Clock clock) {
        this.traps = traps;
        this.greylister = greylister;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "null-sender-spamtrap";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Data d) {
        if (!(d.tx().sender() instanceof Sender.Null)) return Verdict.CONTINUE;
        for (Recipient rc : d.tx().recipients()) {
            if (!traps.isTrap(rc.mailbox()) || rc.exemptions().contains(Exemption.GREYLISTING)) continue;
            TrapBlock block = traps.hit(d.session(), d.tx().id(), Sender.NULL, Triplet.recipient(rc.mailbox()), clock.instant());
            greylister.count(Greylister.Metric.TRAPPED);
            return new Verdict.Defer(Replies.clientTrapped(d.session().clientAddress()),
                    "trapped: " + block.reason() + "; network " + block.network() + " blocked until " + block.expiresAt());
        }
        return Verdict.CONTINUE;
    }
}
