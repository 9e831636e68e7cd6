package greyrelay.relay.ratelimit;

import greyrelay.db.net.IpNetwork;
import greyrelay.db.net.NetworkPrefixes;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.OpenConnections;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;

/**
 * Connect, beside the foundation's per-address and total limits: open connections from one client network (its /24
 * or /64) on this node, {@code rateLimits.maxConnectionsPerNetwork}. Over it: {@code 421 4.7.0} and close. A count
 * of this node's sockets, so per node by nature (README). Skipped for sessions exempt from
 * {@link Exemption#RATE_LIMITS}.
 */
public final class NetworkConnectionLimitCheck implements Check<PolicyRequest.Connect> {
    private final OpenConnections counter;
    private final NetworkPrefixes networks;
    private final int max;
    private final String hostname;
    private final MeterRegistry metrics;

    public NetworkConnectionLimitCheck(OpenConnections counter, NetworkPrefixes networks, int max, String hostname,
            MeterRegistry metrics) {
        this.counter = counter;
        this.networks = networks;
        this.max = max;
        this.hostname = hostname;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "network-connection-limit";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Connect r) {
        if (max <= 0 || r.notes().exemptions().contains(Exemption.RATE_LIMITS)) return Verdict.CONTINUE;
        InetAddress client = r.session().clientAddress();
        IpNetwork network = networks.networkOf(client);
        int open = counter.inNetwork(client, (self, other) -> network.contains(other)); // includes this connection
        if (open <= max) return Verdict.CONTINUE;
        metrics.counter("greyrelay.ratelimit.exceeded", "limit", "network-concurrency").increment();
        return new Verdict.Disconnect(Replies.tooManyConnections(hostname, client),
                open + " connections from network " + RateLimitPolicy.key(network) + ", limit " + max);
    }
}
