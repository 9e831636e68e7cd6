package greyrelay.relay.ratelimit;

import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.ratelimit.RateLimitPolicy.ClientLimits;
import greyrelay.relay.ratelimit.RateLimitPolicy.Counted;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rate-limit} (RCPT): messages and recipients per hour, per client address and per client network, and messages per hour
 * per sender domain. Over a limit: {@code 451 4.7.1 Rate limit exceeded, try again later} for this recipient.
 *
 * <p>What counts, as Postfix's anvil counts it: every recipient that reaches this check, and every transaction once
 * (at its first recipient that passes here), whether or not a later check (greylisting, verification) then defers
 * it. A refused recipient takes no token from any bucket. The null sender has no domain to count.
 * Skipped for recipients exempt from {@link Exemption#RATE_LIMITS}.
 */
public final class RateLimitCheck implements Check<PolicyRequest.Rcpt> {
    private final RateLimiter limiter;
    private final RateLimitPolicy policy;
    private final Overrides overrides;
    private final MeterRegistry metrics;

    public RateLimitCheck(RateLimiter limiter, RateLimitPolicy policy, Overrides overrides, MeterRegistry metrics) {
        this.limiter = limiter;
        this.policy = policy;
        this.overrides = overrides;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "rate-limit";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Rcpt r) {
        if (r.exempt(Exemption.RATE_LIMITS)) return Verdict.CONTINUE;
        OverrideTable table = overrides.current();
        ClientLimits limits = policy.forClient(r.session().clientAddress(), table);
        boolean newMessage = !r.tx().facts().isRateLimitCounted();
        List<Counted> buckets = new ArrayList<>(5);
        if (newMessage) {
            buckets.add(limits.ipMessages());
            buckets.add(limits.networkMessages());
            if (r.tx().sender() instanceof Sender.Address a) buckets.add(policy.forSenderDomain(a.mailbox().domain(), table));
        }
        buckets.add(limits.ipRecipients());
        buckets.add(limits.networkRecipients());
        var refusal = Takes.all(limiter, buckets, metrics);
        if (refusal.isPresent()) {
            return new Verdict.Defer(Replies.RATE_LIMITED, refusal.get().reason() + " (" + limits.source() + ")");
        }
        if (newMessage) r.tx().facts().rateLimitCounted();
        return Verdict.CONTINUE;
    }
}
