package greyrelay.relay.verify;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One address of one mail exchanger to probe.
 *
 * @param host       the MX host name as DNS gave it (lower case; data, not trusted), or the domain itself for an
 *                   implicit MX
 * @param preference its MX preference (0 for an implicit MX)
 * @param address    an address of that host, from DNS
 */
public record ProbeTarget(String host, int preference, InetAddress address) {
    public ProbeTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
    }

    /** {@code mx1.example.org [192.0.2.1]} for logs and transcripts. */
    @Override
    public String toString() {
        return host + " [" + address.getHostAddress() + "]";
    }
}
