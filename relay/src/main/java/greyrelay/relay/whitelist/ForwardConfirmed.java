package greyrelay.relay.whitelist;

import greyrelay.relay.dns.Dns;
import greyrelay.relay.dns.DnsAnswer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Forward-confirmed reverse DNS: the client's PTR names, each looked up forward (A for an IPv4 client, AAAA for
 * IPv6); the first name whose addresses include the client's is its verified name. A PTR alone proves nothing: the
 * owner of an address publishes whatever name it likes. Lookups go through the relay's {@link Dns}, a
 * {@code CachingDns}, so a busy client costs no queries for the TTL. Any DNS failure means "no verified name".
 */
public final class ForwardConfirmed {
    /** At most this many PTR names are tried (a hostile zone may list hundreds). */
    static final int MAX_NAMES = 10;
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_]([a-z0-9_.-]{0,251}[a-z0-9_])?");

    private final Dns dns;

    public ForwardConfirmed(Dns dns) {
        this.dns = dns;
    }

    public Optional<String> name(InetAddress client) {
        if (!(dns.ptr(client) instanceof DnsAnswer.Found<String> ptr)) return Optional.empty();
        List<String> names = ptr.values();
        for (int i = 0; i < Math.min(MAX_NAMES, names.size()); i++) {
            String name = names.get(i);
            if (!HOST_NAME.matcher(name).matches() || name.contains("..")) continue; // remote data: plain host names only
            DnsAnswer<? extends InetAddress> forward = client instanceof Inet4Address ? dns.a(name) : dns.aaaa(name);
            if (forward instanceof DnsAnswer.Found<? extends InetAddress> f && f.values().contains(client)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
