package greyrelay.relay.spf;

import greyrelay.db.net.IpNetwork;
import greyrelay.relay.dns.Dns;
import greyrelay.relay.dns.DnsAnswer;
import greyrelay.relay.dns.MxAnswer;
import greyrelay.relay.dns.MxHost;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One evaluation's state: the inputs, the §4.6.4 counters shared by every nested include and redirect, and the
 * deadline. Not thread-safe; {@link SpfEvaluator} makes one per message.
 */
final class CheckHost {

    /** §4.6.4: terms that query DNS (include, a, mx, ptr, exists, redirect) per evaluation. */
    static final int LOOKUP_LIMIT = 10;
    /** §4.6.4: address lookups per mx term, and PTR names used per ptr term or %{p}. */
    static final int NAME_LIMIT = 10;

    /**
     * The result of check_host() for one domain.
     *
     * @param explanation for a fail from this record's own directive: its {@code exp=} and the domain it belongs to
     */
    record HostResult(SpfResult result, String reason, Optional<String> mechanism, Optional<PendingExplanation> explanation) {
        static HostResult of(SpfResult result, String reason) {
            return new HostResult(result, reason, Optional.empty(), Optional.empty());
        }
    }

    /** An {@code exp=} to look up only once the final result is fail (§6.2), in the context of its record's domain. */
    record PendingExplanation(MacroString target, String domain) {}

    /** How one mechanism came out. */
    private sealed interface Match {}

    private record Matched() implements Match {}

    private record NoMatch() implements Match {}

    /** Evaluation stops with this result (temperror or permerror). */
    private record Stop(SpfResult result, String reason) implements Match {}

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final Match MATCHED = new Matched();
    private static final Match NO_MATCH = new NoMatch();

    private final Dns dns;
    private final Clock clock;
    private final SpfEvaluator.Settings settings;
    private final InetAddress client;
    private final byte[] clientBytes;
    private final boolean ip6;
    private final String sender;
    private final String local;
    private final String senderDomain;
    private final String helo;
    private final Instant deadline;

    private int lookups;
    private int voids;
    private boolean timedOut;
    private String skippedDnsFailure;
    private List<String> validatedNames; // for %{p}, computed once

    CheckHost(Dns dns, Clock clock, SpfEvaluator.Settings settings, InetAddress client, String sender, String local,
            String senderDomain, String helo, Instant deadline) {
        this.dns = dns;
        this.clock = clock;
        this.settings = settings;
        this.client = client;
        this.clientBytes = client.getAddress();
        this.ip6 = !(client instanceof Inet4Address);
        this.sender = sender;
        this.local = local;
        this.senderDomain = senderDomain;
        this.helo = helo;
        this.deadline = deadline;
    }

    boolean timedOut() {
        return timedOut;
    }

    /** A DNS failure the RFC says to skip over (ptr names, %{p}), if one happened. */
    Optional<String> skippedDnsFailure() {
        return Optional.ofNullable(skippedDnsFailure);
    }

    // ---- check_host() --------------------------------------------------------------------------------------------

    HostResult checkHost(String domain) {
        String name = DomainNames.withoutRootDot(domain);
        if (!DomainNames.isQueryable(name)) return HostResult.of(SpfResult.NONE, "not a valid domain name: " + domain);
        List<String> records;
        switch (txt(name)) {
            case DnsAnswer.TempFail<String> f -> {
                return HostResult.of(SpfResult.TEMPERROR, "DNS failure fetching the SPF record of " + name + ": " + f.why());
            }
            case DnsAnswer.NxDomain<String> nx -> {
                return HostResult.of(SpfResult.NONE, name + " does not exist");
            }
            case DnsAnswer.NoData<String> nodata -> {
                return HostResult.of(SpfResult.NONE, name + " has no SPF record");
            }
            case DnsAnswer.Found<String> found -> records = found.values().stream().filter(SpfRecord::isSpf1).toList();
        }
        if (records.isEmpty()) return HostResult.of(SpfResult.NONE, name + " has no SPF record");
        if (records.size() > 1) return HostResult.of(SpfResult.PERMERROR, name + " has " + records.size() + " SPF records");
        SpfRecord record;
        switch (SpfRecord.parse(records.get(0))) {
            case SpfRecord.Invalid invalid -> {
                return HostResult.of(SpfResult.PERMERROR, "SPF record of " + name + ": " + invalid.why());
            }
            case SpfRecord.Valid valid -> record = valid.record();
        }

        for (SpfRecord.Directive d : record.directives()) {
            switch (evaluate(d.mechanism(), name)) {
                case Matched m -> {
                    SpfResult result = d.qualifier().result;
                    Optional<PendingExplanation> exp = result == SpfResult.FAIL
                            ? record.explanation().map(e -> new PendingExplanation(e, name))
                            : Optional.empty();
                    return new HostResult(result, name + ": matched " + d.text(), Optional.of(d.text()), exp);
                }
                case NoMatch n -> { }
                case Stop s -> {
                    return HostResult.of(s.result(), s.reason());
                }
            }
        }
        if (record.redirect().isPresent()) {
            Optional<Stop> limit = countLookup();
            if (limit.isPresent()) return HostResult.of(limit.get().result(), limit.get().reason());
            String target = targetName(record.redirect().get(), name);
            HostResult r = checkHost(target);
            // §6.1: a redirect to a domain without a (valid) record is a permerror, not none
            return r.result() == SpfResult.NONE
                    ? HostResult.of(SpfResult.PERMERROR, "redirect from " + name + ": " + r.reason())
                    : r;
        }
        return HostResult.of(SpfResult.NEUTRAL, name + ": no mechanism matched");
    }

    private Match evaluate(SpfRecord.Mechanism mechanism, String domain) {
        return switch (mechanism) {
            case SpfRecord.All all -> MATCHED;
            case SpfRecord.Ip ip -> ip.network().contains(clientBytes) ? MATCHED : NO_MATCH;
            case SpfRecord.Include inc -> include(inc, domain);
            case SpfRecord.A a -> addressMatch(a.target(), a.cidr4(), a.cidr6(), domain);
            case SpfRecord.Mx mx -> mx(mx, domain);
            case SpfRecord.Ptr ptr -> ptr(ptr, domain);
            case SpfRecord.Exists exists -> exists(exists, domain);
        };
    }

    /** §5.2: the included domain's pass matches; fail, softfail and neutral do not; errors and none stop. */
    private Match include(SpfRecord.Include inc, String domain) {
        Optional<Stop> limit = countLookup();
        if (limit.isPresent()) return limit.get();
        String target = targetName(inc.target(), domain);
        HostResult r = checkHost(target);
        return switch (r.result()) {
            case PASS -> MATCHED;
            case FAIL, SOFTFAIL, NEUTRAL -> NO_MATCH;
            case TEMPERROR -> new Stop(SpfResult.TEMPERROR, r.reason());
            case PERMERROR -> new Stop(SpfResult.PERMERROR, r.reason());
            case NONE -> new Stop(SpfResult.PERMERROR, "include:" + target + ": " + r.reason());
        };
    }

    /** §5.3: the client's address among the target's A (or AAAA) records, within the CIDR length. */
    private Match addressMatch(Optional<MacroString> spec, int cidr4, int cidr6, String domain) {
        Optional<Stop> limit = countLookup();
        if (limit.isPresent()) return limit.get();
        String target = spec.map(s -> targetName(s, domain)).orElse(DomainNames.withoutRootDot(domain));
        if (!DomainNames.isQueryable(target)) return NO_MATCH;
        return switch (addresses(target)) {
            case DnsAnswer.TempFail<? extends InetAddress> f ->
                    new Stop(SpfResult.TEMPERROR, "DNS failure looking up " + target + ": " + f.why());
            case DnsAnswer.NxDomain<? extends InetAddress> nx -> voidLookup(target);
            case DnsAnswer.NoData<? extends InetAddress> nodata -> voidLookup(target);
            case DnsAnswer.Found<? extends InetAddress> found -> anyWithin(found.values(), cidr4, cidr6) ? MATCHED : NO_MATCH;
        };
    }

    /** §5.4: the MX hosts' addresses; more than 10 hosts to look at is a permerror (§4.6.4). */
    private Match mx(SpfRecord.Mx mx, String domain) {
        Optional<Stop> limit = countLookup();
        if (limit.isPresent()) return limit.get();
        String target = mx.target().map(s -> targetName(s, domain)).orElse(DomainNames.withoutRootDot(domain));
        if (!DomainNames.isQueryable(target)) return NO_MATCH;
        List<MxHost> hosts;
        switch (mx(target)) {
            case MxAnswer.TempFail f -> {
                return new Stop(SpfResult.TEMPERROR, "DNS failure looking up MX of " + target + ": " + f.why());
            }
            case MxAnswer.NxDomain nx -> {
                return voidLookup(target);
            }
            case MxAnswer.NoData nodata -> {
                return voidLookup(target);
            }
            case MxAnswer.NullMx nullMx -> {
                return NO_MATCH;
            }
            case MxAnswer.Found found -> hosts = found.hosts();
        }
        for (int i = 0; i < hosts.size(); i++) {
            if (i == NAME_LIMIT) {
                return new Stop(SpfResult.PERMERROR, target + " has more than " + NAME_LIMIT + " MX hosts to look up");
            }
            String host = DomainNames.fromAnswer(hosts.get(i).host());
            if (!DomainNames.isQueryable(host)) continue;
            switch (addresses(host)) {
                case DnsAnswer.TempFail<? extends InetAddress> f -> {
                    return new Stop(SpfResult.TEMPERROR, "DNS failure looking up MX host " + host + ": " + f.why());
                }
                case DnsAnswer.Found<? extends InetAddress> found -> {
                    if (anyWithin(found.values(), mx.cidr4(), mx.cidr6())) return MATCHED;
                }
                default -> { }
            }
        }
        return NO_MATCH;
    }

    /**
     * §5.5: a validated reverse name of the client that is the target or below it. PTR lookup errors mean no match,
     * and names whose address lookup fails are skipped (§5.5), both remembered for the fail guard.
     */
    private Match ptr(SpfRecord.Ptr ptr, String domain) {
        Optional<Stop> limit = countLookup();
        if (limit.isPresent()) return limit.get();
        String target = ptr.target().map(s -> targetName(s, domain)).orElse(DomainNames.withoutRootDot(domain));
        List<String> names;
        switch (ptr()) {
            case DnsAnswer.TempFail<String> f -> {
                skipped("PTR of " + IpNetwork.format(client) + ": " + f.why());
                return NO_MATCH;
            }
            case DnsAnswer.NxDomain<String> nx -> {
                return voidLookup("PTR of " + IpNetwork.format(client));
            }
            case DnsAnswer.NoData<String> nodata -> {
                return voidLookup("PTR of " + IpNetwork.format(client));
            }
            case DnsAnswer.Found<String> found -> names = firstNames(found.values());
        }
        for (String name : names) {
            if (DomainNames.isSameOrBelow(name, target) && validates(name)) return MATCHED;
        }
        return NO_MATCH;
    }

    /** §5.7: any A record for the target (A even for an IPv6 client). */
    private Match exists(SpfRecord.Exists exists, String domain) {
        Optional<Stop> limit = countLookup();
        if (limit.isPresent()) return limit.get();
        String target = targetName(exists.target(), domain);
        if (!DomainNames.isQueryable(target)) return NO_MATCH;
        return switch (a(target)) {
            case DnsAnswer.TempFail<? extends InetAddress> f ->
                    new Stop(SpfResult.TEMPERROR, "DNS failure looking up " + target + ": " + f.why());
            case DnsAnswer.NxDomain<? extends InetAddress> nx -> voidLookup(target);
            case DnsAnswer.NoData<? extends InetAddress> nodata -> voidLookup(target);
            case DnsAnswer.Found<? extends InetAddress> found -> MATCHED;
        };
    }

    // ---- limits ------------------------------------------------------------------------------------------------

    private Optional<Stop> countLookup() {
        lookups++;
        if (lookups > LOOKUP_LIMIT) {
            return Optional.of(new Stop(SpfResult.PERMERROR, "more than " + LOOKUP_LIMIT + " DNS-querying terms"));
        }
        return Optional.empty();
    }

    private Match voidLookup(String what) {
        voids++;
        if (voids > settings.voidLookupLimit()) {
            return new Stop(SpfResult.PERMERROR, "more than " + settings.voidLookupLimit() + " void lookups (last: " + what + ")");
        }
        return NO_MATCH;
    }

    private void skipped(String what) {
        if (skippedDnsFailure == null) skippedDnsFailure = what;
    }

    // ---- names and addresses -------------------------------------------------------------------------------------

    /** The first 10 names of a PTR answer, as raw text (§4.6.4: the rest are ignored). */
    private static List<String> firstNames(List<String> answer) {
        List<String> out = new ArrayList<>();
        for (String n : answer) {
            if (out.size() == NAME_LIMIT) break;
            out.add(DomainNames.fromAnswer(n));
        }
        return out;
    }

    /** Forward confirmation of a PTR name: one of its addresses is the client's. Lookup failures skip the name. */
    private boolean validates(String name) {
        if (!DomainNames.isQueryable(DomainNames.withoutRootDot(name))) return false;
        return switch (addresses(DomainNames.withoutRootDot(name))) {
            case DnsAnswer.Found<? extends InetAddress> found -> found.values().stream().anyMatch(client::equals);
            case DnsAnswer.TempFail<? extends InetAddress> f -> {
                skipped("address of " + name + ": " + f.why());
                yield false;
            }
            default -> false;
        };
    }

    private boolean anyWithin(List<? extends InetAddress> addresses, int cidr4, int cidr6) {
        IpNetwork around = IpNetwork.of(client, ip6 ? cidr6 : cidr4);
        for (InetAddress a : addresses) {
            if (around.contains(a)) return true;
        }
        return false;
    }

    /** Expands a domain-spec and cuts it to DNS length (§7.3); the result may still be unqueryable. */
    private String targetName(MacroString spec, String domain) {
        return DomainNames.truncate(spec.expand(letter -> macroValue(letter, domain)));
    }

    /** §7.3 macro values. {@code c}, {@code r} and {@code t} only reach here from explanation text. */
    private String macroValue(char letter, String domain) {
        return switch (letter) {
            case 's' -> sender;
            case 'l' -> local;
            case 'o' -> senderDomain;
            case 'd' -> domain;
            case 'i' -> macroForm(client);
            case 'p' -> validatedName(domain);
            case 'v' -> ip6 ? "ip6" : "in-addr";
            case 'h' -> helo;
            case 'c' -> IpNetwork.format(client);
            case 'r' -> settings.receiver();
            case 't' -> Long.toString(clock.instant().getEpochSecond());
            default -> throw new IllegalStateException("macro letter not checked by the parser: " + letter);
        };
    }

    /** The {@code i} macro: dotted quad, or 32 dot-separated upper-case nibbles (RFC 7208 §7.3). */
    static String macroForm(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) return IpNetwork.format(a);
        StringBuilder sb = new StringBuilder(63);
        for (byte x : b) {
            if (!sb.isEmpty()) sb.append('.');
            sb.append(HEX[(x >> 4) & 0xf]).append('.').append(HEX[x & 0xf]);
        }
        return sb.toString();
    }

    /**
     * §7.3 {@code %{p}}: a validated name of the client, preferring {@code domain} itself, then a name below it, then
     * any; {@code unknown} when there is none or a DNS error occurred.
     */
    private String validatedName(String domain) {
        if (validatedNames == null) {
            validatedNames = new ArrayList<>();
            switch (ptr()) {
                case DnsAnswer.Found<String> found -> {
                    for (String name : firstNames(found.values())) {
                        if (validates(name)) validatedNames.add(DomainNames.withoutRootDot(name));
                    }
                }
                case DnsAnswer.TempFail<String> f -> skipped("PTR of " + IpNetwork.format(client) + ": " + f.why());
                default -> { }
            }
        }
        String d = DomainNames.withoutRootDot(domain).toLowerCase(Locale.ROOT);
        for (String n : validatedNames) {
            if (n.toLowerCase(Locale.ROOT).equals(d)) return n;
        }
        for (String n : validatedNames) {
            if (DomainNames.isSameOrBelow(n, d)) return n;
        }
        return validatedNames.isEmpty() ? "unknown" : validatedNames.get(0);
    }

    // ---- explanation -------------------------------------------------------------------------------------------

    /**
     * §6.2: the {@code exp=} text, looked up once, after the result is known, outside every limit; any problem
     * (bad name, DNS error, not exactly one TXT record, bad syntax) falls back to the default explanation.
     */
    String explanation(Optional<PendingExplanation> pending) {
        Optional<String> fromDomain = pending.flatMap(p -> {
            String target = targetName(p.target(), p.domain());
            if (!DomainNames.isQueryable(target)) return Optional.empty();
            if (!(txt(target) instanceof DnsAnswer.Found<String> found) || found.values().size() != 1) return Optional.empty();
            return MacroString.parse(found.values().get(0), MacroString.Kind.EXPLANATION)
                    .map(text -> text.expand(letter -> macroValue(letter, p.domain())));
        });
        return fromDomain.orElseGet(() -> MacroString.parse(settings.defaultExplanation(), MacroString.Kind.EXPLANATION)
                .map(text -> text.expand(letter -> macroValue(letter, senderDomain)))
                .orElse(settings.defaultExplanation()));
    }

    // ---- DNS, under the deadline -------------------------------------------------------------------------------

    private boolean expired() {
        if (!timedOut && !clock.instant().isBefore(deadline)) timedOut = true;
        return timedOut;
    }

    private static <T> DnsAnswer<T> late() {
        return new DnsAnswer.TempFail<>("SPF deadline exceeded");
    }

    private DnsAnswer<String> txt(String name) {
        return expired() ? late() : dns.txt(DomainNames.toQuery(name));
    }

    private DnsAnswer<? extends InetAddress> a(String name) {
        return expired() ? late() : dns.a(DomainNames.toQuery(name));
    }

    /** A for an IPv4 client, AAAA for an IPv6 one. */
    private DnsAnswer<? extends InetAddress> addresses(String name) {
        if (expired()) return late();
        return ip6 ? dns.aaaa(DomainNames.toQuery(name)) : dns.a(DomainNames.toQuery(name));
    }

    private MxAnswer mx(String name) {
        return expired() ? new MxAnswer.TempFail("SPF deadline exceeded") : dns.mx(DomainNames.toQuery(name));
    }

    private DnsAnswer<String> ptr() {
        return expired() ? late() : dns.ptr(client);
    }
}
