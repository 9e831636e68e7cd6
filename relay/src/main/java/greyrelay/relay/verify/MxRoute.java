package greyrelay.relay.verify;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/** Where mail for a domain goes, as far as a probe cares. Callers {@code switch} over it. */
public sealed interface MxRoute {

    /**
     * The domain receives mail. {@code targets} are the addresses to try, in order; it may be empty when no MX host
     * has a usable address (IPv6 only on an IPv4 host, addresses we never probe, hosts without addresses).
     *
     * @param implicit true when the domain has no MX and its own A/AAAA stand in (RFC 5321 §5.1)
     * @param note     why {@code targets} is shorter than the MX list, for the transcript ("" when nothing was left out)
     * @param refused  addresses DNS gave that {@code verification.refusedTargets} left out
     */
    record Targets(List<ProbeTarget> targets, boolean implicit, String note, List<InetAddress> refused) implements MxRoute {
        public Targets {
            targets = List.copyOf(targets);
            refused = List.copyOf(refused);
            Objects.requireNonNull(note, "note");
        }
    }

    /** RFC 7505 null MX: the domain accepts no mail. */
    record NullMx() implements MxRoute {}

    /** NXDOMAIN, or neither MX nor an address. */
    record NoSuchDomain(String why) implements MxRoute {}

    /** DNS could not answer this time (SERVFAIL, timeout, …). */
    record TempFail(String why) implements MxRoute {}
}
