package greyrelay.relay.access;

import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.OpenConnections;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;

/** {@code connection-limit} (connect): at most {@code smtp.maxConnections} in total and {@code smtp.maxConnectionsPerIp} per client. */
public final class ConnectionLimitCheck implements Check<PolicyRequest.Connect> {
    private final OpenConnections counter;
    private final int maxTotal;
    private final int maxPerClient;
    private final String hostname;

    public ConnectionLimitCheck(OpenConnections counter, int maxTotal, int maxPerClient, String hostname) {
        this.counter = counter;
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
        this.hostname = hostname;
    }

    @Override
    public String name() {
        return "connection-limit";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Connect r) {
        // the counter already includes this connection
        int perClient = counter.of(r.session().clientAddress());
        if (perClient > maxPerClient) {
            return new Verdict.Disconnect(Replies.tooManyConnections(hostname, r.session().clientAddress()),
                    perClient + " connections from this client, limit " + maxPerClient);
        }
        if (counter.total() > maxTotal) {
            return new Verdict.Disconnect(Replies.tooManyConnections(hostname, r.session().clientAddress()),
                    counter.total() + " connections in total, limit " + maxTotal);
        }
        return Verdict.CONTINUE;
    }
}
