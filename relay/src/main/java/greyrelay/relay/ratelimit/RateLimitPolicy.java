package greyrelay.relay.ratelimit;

import greyrelay.db.net.IpNetwork;
import greyrelay.db.net.NetworkPrefixes;
import greyrelay.db.ratelimit.RateLimitOverride;
import greyrelay.relay.config.RateLimitsConfig;
import greyrelay.relay.ratelimit.RateLimiter.Limit;
import java.net.InetAddress;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which numbers apply, and which buckets they count in: pure, no I/O. The configured defaults, replaced (per number)
 * by the override that covers the client or the sender domain. A client override's numbers apply to both the
 * client's own buckets and its network's: "this block may send n an hour" means n, not n per address and a smaller
 * cap per /24. An override's number null keeps the default, 0 lifts that limit.
 */
public final class RateLimitPolicy {

    /**
     * A bucket to take from: its key, its limit, what to call it in metrics, and in logs and reasons ({@link #label},
     * built only when a refusal needs it: every request names six buckets, few are refused).
     */
    public record Counted(String key, Limit limit, Supplier<String> describe, String metric) {
        public String label() {
            return describe.get();
        }
    }

    /** The limits for one client, and where they came from ("defaults" or "override 192.0.2.0/24"). */
    public record ClientLimits(Counted ipConnections, Counted networkConnections, Counted ipMessages,
            Counted networkMessages, Counted ipRecipients, Counted networkRecipients, String source) {}

    private final RateLimitsConfig config;
    private final NetworkPrefixes networks;

    public RateLimitPolicy(RateLimitsConfig config) {
        this.config = config;
        this.networks = new NetworkPrefixes(config.ipv4Prefix(), config.ipv6Prefix());
    }

    /** How clients are grouped into networks: {@code rateLimits.ipv4Prefix}/{@code ipv6Prefix}. */
    public NetworkPrefixes network() {
        return networks;
    }

    /**
     * A client network in bucket ids, reasons and logs: {@code 192.0.2.0/24}, {@code 2001:db8:0:7:0:0:0:0/64}. Not the
     * canonical text, on purpose: shared buckets are stored under these ids ({@code rate_limit_bucket}), and another
     * spelling would start every network's counting afresh.
     */
    static String key(IpNetwork network) {
        return network.address().getHostAddress() + "/" + network.prefix();
    }

    public ClientLimits forClient(InetAddress client, OverrideTable overrides) {
        Optional<RateLimitOverride> o = overrides.forClient(client);
        Integer cpm = o.map(RateLimitOverride::connectionsPerMinute).orElse(null);
        Integer mph = o.map(RateLimitOverride::messagesPerHour).orElse(null);
        Integer rph = o.map(RateLimitOverride::recipientsPerHour).orElse(null);
        var ip = config.perIp();
        var net = config.perNetwork();
        String addr = client.getHostAddress();
        String nw = key(networks.networkOf(client));
        return new ClientLimits(
                new Counted("conn:ip:" + addr, Limit.perMinute(pick(cpm, ip.connectionsPerMinute())),
                        () -> "connections per minute from [" + addr + "]", "ip-connections"),
                new Counted("conn:net:" + nw, Limit.perMinute(pick(cpm, net.connectionsPerMinute())),
                        () -> "connections per minute from network " + nw, "network-connections"),
                new Counted("msg:ip:" + addr, Limit.perHour(pick(mph, ip.messagesPerHour())),
                        () -> "messages per hour from [" + addr + "]", "ip-messages"),
                new Counted("msg:net:" + nw, Limit.perHour(pick(mph, net.messagesPerHour())),
                        () -> "messages per hour from network " + nw, "network-messages"),
                new Counted("rcpt:ip:" + addr, Limit.perHour(pick(rph, ip.recipientsPerHour())),
                        () -> "recipients per hour from [" + addr + "]", "ip-recipients"),
                new Counted("rcpt:net:" + nw, Limit.perHour(pick(rph, net.recipientsPerHour())),
                        () -> "recipients per hour from network " + nw, "network-recipients"),
                o.map(x -> "override " + x.match()).orElse("defaults"));
    }

    /** Messages per hour for one MAIL FROM domain (lower case). */
    public Counted forSenderDomain(String domain, OverrideTable overrides) {
        Optional<RateLimitOverride> o = overrides.forSenderDomain(domain);
        int n = pick(o.map(RateLimitOverride::messagesPerHour).orElse(null), config.senderDomainMessagesPerHour());
        return new Counted("msg:dom:" + domain, Limit.perHour(n), () -> "messages per hour from sender domain " + domain
                + o.map(x -> " (override " + x.match() + ")").orElse(""), "sender-domain-messages");
    }

    private static int pick(Integer override, int configured) {
        return override == null ? configured : override;
    }
}
