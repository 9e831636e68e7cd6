package greyrelay.relay.hygiene;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The addresses that are ours, for "HELO claims to be us": this machine's interfaces, loopback, and extra ones. */
public final class LocalAddresses {
    private static final Logger log = LoggerFactory.getLogger(LocalAddresses.class);

    private LocalAddresses() {}

    /** Read once at startup; {@code extra} are IP literals (validated by the config), e.g. a public address behind NAT. */
    public static Set<InetAddress> ofThisHost(List<String> extra) {
        Set<InetAddress> out = new HashSet<>();
        try {
            for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
                nif.inetAddresses().forEach(a -> out.add(withoutScope(a)));
            }
        } catch (SocketException e) {
            log.warn("cannot list network interfaces ({}); HELO \"ours\" check knows only loopback and hygiene.ourAddresses",
                    e.getMessage());
        }
        out.add(InetAddress.getLoopbackAddress());
        try {
            out.add(InetAddress.getByName("127.0.0.1"));
            out.add(InetAddress.getByName("::1"));
            for (String a : extra) out.add(InetAddress.getByName(a)); // literals only: no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("hygiene.ourAddresses: " + e.getMessage(), e);
        }
        return Set.copyOf(out);
    }

    private static InetAddress withoutScope(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException e) {
            return a;
        }
    }
}
