package greyrelay.relay.verify;

import greyrelay.db.net.IpNetwork;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * {@code verification.refusedTargets}: the networks a sender-verification probe never connects to, so a stranger's DNS
 * cannot point our probes at our own host, the networks behind it or addresses that are nobody's (the relay must not be
 * a port scanner). An IPv6 address that reaches an IPv4 host (IPv4-mapped, IPv4-compatible, NAT64
 * {@code 64:ff9b::/96}; {@link IpNetwork#unwrapIpv4}) is checked as that IPv4 address too. Recipient verification
 * does not ask: its target is the operator's downstream. Immutable.
 */
public final class RefusedTargets {
    private final List<IpNetwork> networks;

    private RefusedTargets(List<IpNetwork> networks) {
        this.networks = List.copyOf(networks);
    }

    /**
     * The configured networks plus this host's own addresses; an empty list refuses nothing (a lab, an intranet, a test
     * rig of loopback servers), own addresses included.
     */
    public static RefusedTargets of(List<IpNetwork> configured, List<InetAddress> ownAddresses) {
        if (configured.isEmpty()) return none();
        List<IpNetwork> all = new ArrayList<>(configured);
        for (InetAddress a : ownAddresses) all.add(IpNetwork.host(a));
        return new RefusedTargets(all);
    }

    /** Refuses nothing. */
    public static RefusedTargets none() {
        return new RefusedTargets(List.of());
    }

    /** The addresses of this host's interfaces, as far as it can tell (none when it cannot). */
    public static List<InetAddress> ownAddresses() {
        List<InetAddress> found = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                found.addAll(Collections.list(ni.getInetAddresses()));
            }
        } catch (SocketException e) {
            // no interface list: the configured networks still apply
        }
        return found;
    }

    /** The network that refuses {@code address}, if any. */
    public Optional<IpNetwork> refusing(InetAddress address) {
        if (networks.isEmpty()) return Optional.empty();
        Optional<Inet4Address> reached = IpNetwork.unwrapIpv4(address);
        for (IpNetwork n : networks) {
            if (n.contains(address) || reached.isPresent() && n.contains(reached.get())) return Optional.of(n);
        }
        return Optional.empty();
    }

    /** Whether no address is refused ({@code refusedTargets: []}). */
    public boolean isEmpty() {
        return networks.isEmpty();
    }
}
