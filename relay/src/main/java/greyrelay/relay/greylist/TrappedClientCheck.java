package greyrelay.relay.greylist;

import greyrelay.db.greylist.TrapBlock;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code trapped-client} (RCPT): a client whose network a spamtrap hit blocked gets {@code 451 4.7.1 Client host [ip] temporarily
 * blocked} for every recipient, null sender included, until the block ends (role recipients, {@code role-recipient}, still pass).
 * One primary-key read per RCPT, none while the network was found unblocked in the last 10 s ({@link Spamtraps}). Clients exempt from greylisting (whitelisted) are not held by a block.
 */
public final class TrappedClientCheck implements Check<PolicyRequest.Rcpt> {
    private final Spamtraps traps;
    private final Greylister greylister;
    private final Clock clock;

    TrappedClientCheck(Spamtraps traps, Greylister greylister, Clock clock) {
        this.traps = traps;
        this.greylister = greylister;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "trapped-client";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Rcpt r) {
        if (r.exempt(Exemption.GREYLISTING)) return Verdict.CONTINUE;
        Optional<TrapBlock> block = traps.activeBlock(r.session(), clock.instant());
        if (block.isEmpty()) return Verdict.CONTINUE;
        greylister.count(Greylister.Metric.TRAPPED);
        TrapBlock b = block.get();
        return new Verdict.Defer(Replies.clientTrapped(r.session().clientAddress()),
                "trapped: network " + b.network() + " blocked until " + b.expiresAt() + " (" + b.reason() + ")");
    }
}
