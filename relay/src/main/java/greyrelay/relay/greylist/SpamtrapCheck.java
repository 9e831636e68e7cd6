package greyrelay.relay.greylist;

import greyrelay.db.greylist.TrapBlock;
import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code spamtrap} (RCPT): a recipient listed in {@code greylist.spamtraps} with a non-null sender blocks the client's network
 * for {@code greylist.trapDuration} and is answered {@code 451 4.7.1 Client host [ip] temporarily blocked}, as is
 * everything else from that network until the block ends ({@code trapped-client}, {@link TrappedClientCheck}).
 *
 * <p>With the null sender nothing happens here: a callback probe (which stops before DATA) is not an attack; a
 * bounce actually sent to a trap acts at the end of DATA ({@link NullSenderSpamtrapCheck}). A client exempt from
 * greylisting (a whitelisted client, known before this check) is never blocked: a big provider relaying one
 * spammer's message must not lose its whole network; the recipient simply goes on through the pipeline.
 */
public final class SpamtrapCheck implements Check<PolicyRequest.Rcpt> {
    private static final Logger log = LoggerFactory.getLogger(SpamtrapCheck.class);

    private final Spamtraps traps;
    private final Greylister greylister;
    private final Clock clock;

    SpamtrapCheck(Spamtraps traps, Greylister greylister, Clock clock) {
        this.traps = traps;
        this.greylister = greylister;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "spamtrap";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Rcpt r) {
        if (!traps.isTrap(r.recipient())) return Verdict.CONTINUE;
        String trap = Triplet.recipient(r.recipient());
        if (r.tx().sender() instanceof Sender.Null) {
            log.info("{}: spamtrap <{}> given with the null sender by {}: not blocked at RCPT (a probe is not an attack)",
                    r.tx().id(), trap, r.session().clientLabel());
            return Verdict.CONTINUE;
        }
        if (r.exempt(Exemption.GREYLISTING)) {
            log.warn("{}: spamtrap <{}> hit by whitelisted client {}: not blocked", r.tx().id(), trap, r.session().clientLabel());
            return Verdict.CONTINUE;
        }
        TrapBlock block = traps.hit(r.session(), r.tx().id(), r.tx().sender(), trap, clock.instant());
        greylister.count(Greylister.Metric.TRAPPED);
        return new Verdict.Defer(Replies.clientTrapped(r.session().clientAddress()),
                "trapped: " + block.reason() + "; network " + block.network() + " blocked until " + block.expiresAt());
    }
}
