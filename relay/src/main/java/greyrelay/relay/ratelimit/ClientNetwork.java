package greyrelay.relay.ratelimit;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** A client's network: its address with the host bits cleared, at {@code rateLimits.ipv4Prefix}/{@code ipv6Prefix}. */
public record ClientNetwork(int ipv4Prefix, int ipv6Prefix) {

    public ClientNetwork {
        if (ipv4Prefix < 0 || ipv4Prefix > 32 || ipv6Prefix < 0 || ipv6Prefix > 128) {
            throw new IllegalArgumentException("prefix out of range: /" + ipv4Prefix + ", /" + ipv6Prefix);
        }
    }

    /** {@code 192.0.2.0/24}, {@code 2001:db8:0:1:0:0:0:0/64}: a stable key (not pretty, never shown as an address). */
    public String of(InetAddress client) {
        int prefix = prefix(client);
        return masked(client, prefix).getHostAddress() + "/" + prefix;
    }

    /** Whether two clients are in one network. */
    public boolean same(InetAddress a, InetAddress b) {
        if (a.getAddress().length != b.getAddress().length) return false;
        int prefix = prefix(a);
        return masked(a, prefix).equals(masked(b, prefix));
    }

    private int prefix(InetAddress a) {
        return a instanceof Inet4Address ? ipv4Prefix : ipv6Prefix;
    }

    private static InetAddress masked(InetAddress a, int prefix) {
        byte[] b = a.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] = (byte) (b[i] & ((0xff << (8 - keep)) & 0xff));
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
        }
    }
}
