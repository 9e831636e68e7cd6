package greyrelay.relay.ratelimit;

import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.ratelimit.RateLimitPolicy.ClientLimits;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.util.List;

/**
 * Connect, after the connection limits: new connections per minute per client address and per client network.
 * Over the limit: {@code 421 4.7.0 <hostname> Error: too many connections from [ip]} and the connection is closed.
 * Skipped for sessions exempt from {@link Exemption#RATE_LIMITS}. A refused connection takes no token.
 */
public final class ConnectionRateCheck implements Check<PolicyRequest.Connect> {
    private final RateLimiter limiter;
    private final RateLimitPolicy policy;
    private final Overrides overrides;
    private final String hostname;
    private final MeterRegistry metrics;

    public ConnectionRateCheck(RateLimiter limiter, RateLimitPolicy policy, Overrides overrides, String hostname,
            MeterRegistry metrics) {
        this.limiter = limiter;
        this.policy = policy;
        this.overrides = overrides;
        this.hostname = hostname;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "connection-rate";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Connect r) {
        if (r.notes().exemptions().contains(Exemption.RATE_LIMITS)) return Verdict.CONTINUE;
        InetAddress client = r.session().clientAddress();
        ClientLimits limits = policy.forClient(client, overrides.current());
        return Takes.all(limiter, List.of(limits.ipConnections(), limits.networkConnections()), metrics)
                .<Verdict>map(refusal -> new Verdict.Disconnect(Replies.tooManyConnections(hostname, client),
                        refusal.reason() + " (" + limits.source() + ")"))
                .orElse(Verdict.CONTINUE);
    }
}
