package greyrelay.relay.verify;

import greyrelay.db.net.IpNetwork;
import greyrelay.relay.dns.DnsAnswer;
import greyrelay.relay.dns.Dns;
import greyrelay.relay.dns.MxAnswer;
import greyrelay.relay.dns.MxHost;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Picks the mail exchangers of a domain for a probe: MX by preference, hosts of equal preference in random order
 * (injected {@link Random}, so tests can fix it), the domain's own A/AAAA when it has no MX (implicit MX, RFC 5321
 * §5.1), RFC 7505 null MX, NXDOMAIN versus a temporary DNS failure. IPv6 addresses are used only when the seam says
 * this host has IPv6 connectivity.
 *
 * <p>Addresses in {@code verification.refusedTargets} ({@link RefusedTargets}: loopback, private, link-local,
 * multicast, this host's own, … and IPv6 forms that reach them) are never probed: a forged sender domain whose MX
 * points there would otherwise make us talk to ourselves or scan the networks behind us. They are left out of the
 * route, named in its note ("refused target …") and counted in {@link MxRoute.Targets#refused()}.
 */
public final class MxSelection {
    /** More MX hosts than this are not resolved (Postfix's smtp_mx_address_limit is 5; probes try fewer). */
    static final int MAX_HOSTS = 10;

    private final Dns dns;
    private final Random random;
    private final BooleanSupplier ipv6;
    private final RefusedTargets refused;

    /**
     * @param random  shuffles hosts of equal preference; used under a lock, so any {@code Random} will do
     * @param ipv6    whether IPv6 addresses may be probed (this host has IPv6 connectivity)
     * @param refused addresses never probed ({@code verification.refusedTargets})
     */
    public MxSelection(Dns dns, Random random, BooleanSupplier ipv6, RefusedTargets refused) {
        this.dns = dns;
        this.random = random;
        this.ipv6 = ipv6;
        this.refused = refused;
    }

    /** The whole route: MX hosts in order, each resolved to the addresses we may probe. */
    public MxRoute select(String domain) {
        return switch (dns.mx(domain)) {
            case MxAnswer.NullMx n -> new MxRoute.NullMx();
            case MxAnswer.NxDomain n -> new MxRoute.NoSuchDomain("NXDOMAIN for " + domain);
            case MxAnswer.TempFail t -> new MxRoute.TempFail("MX lookup for " + domain + ": " + t.why());
            case MxAnswer.NoData n -> implicit(domain);
            case MxAnswer.Found f -> explicit(f.hosts());
        };
    }

    /**
     * Only whether the domain can receive mail at all, for the sender-domain check: MX, or else an A/AAAA record.
     * Cheaper than {@link #select}: the MX hosts' addresses are not looked up.
     */
    public DomainStatus status(String domain) {
        return switch (dns.mx(domain)) {
            case MxAnswer.NullMx n -> DomainStatus.NULL_MX;
            case MxAnswer.NxDomain n -> DomainStatus.NO_SUCH_DOMAIN;
            case MxAnswer.TempFail t -> DomainStatus.TEMPFAIL;
            case MxAnswer.Found f -> DomainStatus.RECEIVES_MAIL;
            case MxAnswer.NoData n -> switch (dns.a(domain)) {
                case DnsAnswer.Found<Inet4Address> a -> DomainStatus.RECEIVES_MAIL;
                case DnsAnswer.TempFail<Inet4Address> t -> DomainStatus.TEMPFAIL;
                case DnsAnswer.NxDomain<Inet4Address> x -> DomainStatus.NO_SUCH_DOMAIN;
                case DnsAnswer.NoData<Inet4Address> x -> switch (dns.aaaa(domain)) {
                    case DnsAnswer.Found<Inet6Address> a -> DomainStatus.RECEIVES_MAIL;
                    case DnsAnswer.TempFail<Inet6Address> t -> DomainStatus.TEMPFAIL;
                    case DnsAnswer.NxDomain<Inet6Address> y -> DomainStatus.NO_SUCH_DOMAIN;
                    case DnsAnswer.NoData<Inet6Address> y -> DomainStatus.NO_SUCH_DOMAIN;
                };
            };
        };
    }

    /** What {@link #status} found. */
    public enum DomainStatus { RECEIVES_MAIL, NO_SUCH_DOMAIN, NULL_MX, TEMPFAIL }

    private MxRoute implicit(String domain) {
        Addresses found = addresses(domain);
        if (found.tempFail != null && found.all.isEmpty()) {
            return new MxRoute.TempFail("no MX for " + domain + ", and its address lookup failed: " + found.tempFail);
        }
        if (found.all.isEmpty()) {
            return new MxRoute.NoSuchDomain("no MX and no address for " + domain);
        }
        List<ProbeTarget> targets = new ArrayList<>();
        for (InetAddress a : found.usable) targets.add(new ProbeTarget(domain, 0, a));
        return new MxRoute.Targets(targets, true, found.note(domain), found.refused);
    }

    private MxRoute explicit(List<MxHost> sorted) {
        List<MxHost> hosts = shuffleEqualPreferences(sorted);
        List<ProbeTarget> targets = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<InetAddress> refusedAll = new ArrayList<>();
        int failures = 0;
        String lastFailure = null;
        int considered = Math.min(hosts.size(), MAX_HOSTS);
        for (MxHost mx : hosts.subList(0, considered)) {
            Addresses found = addresses(mx.host());
            if (found.tempFail != null && found.all.isEmpty()) {
                failures++;
                lastFailure = found.tempFail;
                notes.add(mx.host() + ": address lookup failed");
                continue;
            }
            for (InetAddress a : found.usable) targets.add(new ProbeTarget(mx.host(), mx.preference(), a));
            refusedAll.addAll(found.refused);
            String note = found.note(mx.host());
            if (!note.isEmpty()) notes.add(note);
        }
        if (targets.isEmpty() && failures == considered) {
            return new MxRoute.TempFail("address lookups of every MX host failed: " + lastFailure);
        }
        if (hosts.size() > considered) notes.add((hosts.size() - considered) + " more MX host(s) not considered");
        return new MxRoute.Targets(targets, false, String.join("; ", notes), refusedAll);
    }

    /** Sorted by preference already (the Dns contract); hosts of equal preference are shuffled among themselves. */
    List<MxHost> shuffleEqualPreferences(List<MxHost> sorted) {
        List<MxHost> out = new ArrayList<>(sorted.size());
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j < sorted.size() && sorted.get(j).preference() == sorted.get(i).preference()) j++;
            List<MxHost> group = new ArrayList<>(sorted.subList(i, j));
            synchronized (random) {
                Collections.shuffle(group, random);
            }
            out.addAll(group);
            i = j;
        }
        return out;
    }

    private Addresses addresses(String host) {
        Addresses out = new Addresses();
        switch (dns.a(host)) {
            case DnsAnswer.Found<Inet4Address> f -> out.add(f.values());
            case DnsAnswer.TempFail<Inet4Address> t -> out.tempFail = t.why();
            case DnsAnswer.NxDomain<Inet4Address> n -> { }
            case DnsAnswer.NoData<Inet4Address> n -> { }
        }
        switch (dns.aaaa(host)) {
            case DnsAnswer.Found<Inet6Address> f -> {
                if (ipv6.getAsBoolean()) {
                    out.add(f.values());
                } else {
                    for (InetAddress a : f.values()) {
                        // a refused address is named even when IPv6 is off: the history should say what DNS tried
                        if (!out.refuse(a)) {
                            out.all.add(a);
                            out.ipv6Skipped++;
                        }
                    }
                }
            }
            case DnsAnswer.TempFail<Inet6Address> t -> { if (out.tempFail == null) out.tempFail = t.why(); }
            case DnsAnswer.NxDomain<Inet6Address> n -> { }
            case DnsAnswer.NoData<Inet6Address> n -> { }
        }
        return out;
    }

    private final class Addresses {
        final List<InetAddress> all = new ArrayList<>();
        final List<InetAddress> usable = new ArrayList<>();
        final List<InetAddress> refused = new ArrayList<>();
        final List<String> refusals = new ArrayList<>();
        String tempFail;
        int ipv6Skipped;

        void add(List<? extends InetAddress> values) {
            for (InetAddress a : values) {
                if (!refuse(a)) {
                    all.add(a);
                    usable.add(a);
                }
            }
        }

        /** Records {@code a} as refused when {@code verification.refusedTargets} covers it. */
        boolean refuse(InetAddress a) {
            Optional<IpNetwork> by = MxSelection.this.refused.refusing(a);
            if (by.isEmpty()) return false;
            all.add(a);
            refused.add(a);
            refusals.add("refused target " + IpNetwork.format(a) + " (in " + by.get().cidr() + ", verification.refusedTargets)");
            return true;
        }

        String note(String host) {
            List<String> parts = new ArrayList<>(refusals);
            if (ipv6Skipped > 0) parts.add(ipv6Skipped + " IPv6 address(es) skipped (no IPv6 here)");
            if (all.isEmpty() && tempFail == null) parts.add("no address");
            return parts.isEmpty() ? "" : host + ": " + String.join(", ", parts);
        }
    }
}
