package greyrelay.db.net;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * How clients are grouped into networks: the prefix length for an IPv4 client and for an IPv6 client
 * ({@code greylist.ipv4Prefix}/{@code ipv6Prefix}, {@code rateLimits.ipv4Prefix}/{@code ipv6Prefix}).
 */
public record NetworkPrefixes(int ipv4, int ipv6) {
    /** /24 and /64, the configuration's defaults: what the admin panel uses when no relay told it otherwise. */
    public static final NetworkPrefixes DEFAULT = new NetworkPrefixes(24, 64);

    public NetworkPrefixes {
        if (ipv4 < 0 || ipv4 > 32 || ipv6 < 0 || ipv6 > 128) {
            throw new IllegalArgumentException("prefix out of range: /" + ipv4 + ", /" + ipv6);
        }
    }

    /** The network {@code client} belongs to: its /ipv4 or /ipv6. */
    public IpNetwork networkOf(InetAddress client) {
        return IpNetwork.of(client, client instanceof Inet4Address ? ipv4 : ipv6);
    }
}
