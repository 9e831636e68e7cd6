package greyrelay.relay.whitelist;

import greyrelay.db.net.IpNetwork;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.policy.Exemption;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One immutable snapshot of every whitelist entry (database, configured files, the default list), compiled for
 * lookups that touch no database: exact addresses and domains in hash maps (a domain matches itself and its
 * subdomains by walking up its labels), networks and regular expressions in lists. The first entry (database first,
 * then files, then the default list) wins when several match.
 *
 * <p>What each kind of entry grants: client entries {@link #CLIENT_EXEMPTIONS}, sender entries
 * {@link #SENDER_EXEMPTIONS}, recipient entries {@link #RECIPIENT_EXEMPTIONS}.
 */
public final class Whitelist {
    /** A whitelisted client is trusted like the MTA of a known partner. */
    public static final Set<Exemption> CLIENT_EXEMPTIONS = Set.copyOf(EnumSet.of(Exemption.GREYLISTING,
            Exemption.SENDER_VERIFICATION, Exemption.SPF, Exemption.DNSBL, Exemption.HELO_CHECKS, Exemption.RATE_LIMITS));
    /** A sender can be forged, so it buys only what costs the sender a delay. */
    public static final Set<Exemption> SENDER_EXEMPTIONS = Set.copyOf(EnumSet.of(Exemption.GREYLISTING,
            Exemption.SENDER_VERIFICATION));
    /** A recipient opting out of greylisting. */
    public static final Set<Exemption> RECIPIENT_EXEMPTIONS = Set.copyOf(EnumSet.of(Exemption.GREYLISTING));

    /** The entry that matched, for logs: {@code sender example.org (admin)}. */
    public record Match(WhitelistKind kind, String value, String source, String note) {
        @Override
        public String toString() {
            return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + value + " (" + source + ")";
        }
    }

    private record Net(IpNetwork network, Match match) {}

    private record Regex(Pattern pattern, Match match) {}

    public static final Whitelist EMPTY = of(List.of());

    private final List<Net> networks = new ArrayList<>();
    private final Map<String, Match> hostDomains = new HashMap<>();
    private final List<Regex> hostRegexes = new ArrayList<>();
    private final Map<String, Match> senderAddresses = new HashMap<>();
    private final Map<String, Match> senderDomains = new HashMap<>();
    private final Map<String, Match> recipientAddresses = new HashMap<>();
    private final Map<String, Match> recipientLocals = new HashMap<>();
    private final Map<String, Match> recipientDomains = new HashMap<>();
    private final List<Regex> recipientRegexes = new ArrayList<>();
    private final int size;

    private Whitelist(Collection<WhitelistEntry> entries) {
        int n = 0;
        for (WhitelistEntry e : entries) {
            Match m = new Match(e.kind(), e.value(), e.source(), e.note());
            String v = e.value();
            boolean added = switch (e.kind()) {
                case CLIENT_ADDRESS -> networks.add(new Net(IpNetwork.parse(v), m));
                case CLIENT_HOST -> e.isRegex() ? hostRegexes.add(regex(v, m)) : hostDomains.putIfAbsent(v, m) == null;
                case SENDER -> (v.indexOf('@') >= 0 ? senderAddresses : senderDomains).putIfAbsent(v, m) == null;
                case RECIPIENT -> e.isRegex() ? recipientRegexes.add(regex(v, m))
                        : v.endsWith("@") ? recipientLocals.putIfAbsent(v.substring(0, v.length() - 1), m) == null
                        : (v.indexOf('@') >= 0 ? recipientAddresses : recipientDomains).putIfAbsent(v, m) == null;
            };
            if (added) n++;
        }
        this.size = n;
    }

    /** Compiles entries already validated by {@link WhitelistEntry}. */
    public static Whitelist of(Collection<WhitelistEntry> entries) {
        return new Whitelist(entries);
    }

    private static Regex regex(String v, Match m) {
        return new Regex(Pattern.compile(v.substring(1, v.length() - 1), Pattern.CASE_INSENSITIVE), m);
    }

    /** Distinct entries in this snapshot. */
    public int size() {
        return size;
    }

    /** Whether any entry needs the client's verified host name (so a connection without them skips the DNS). */
    public boolean hasHostRules() {
        return !hostDomains.isEmpty() || !hostRegexes.isEmpty();
    }

    public Optional<Match> clientAddress(InetAddress client) {
        for (Net n : networks) if (n.network().contains(client)) return Optional.of(n.match());
        return Optional.empty();
    }

    /** {@code verifiedName} must be forward-confirmed: anyone can publish any PTR name for their own addresses. */
    public Optional<Match> clientHost(String verifiedName) {
        String name = verifiedName.toLowerCase(Locale.ROOT);
        Optional<Match> d = byDomain(hostDomains, name);
        if (d.isPresent()) return d;
        return byRegex(hostRegexes, name);
    }

    public Optional<Match> sender(Mailbox sender) {
        String address = sender.normalised();
        Match exact = senderAddresses.get(address);
        if (exact != null) return Optional.of(exact);
        return byDomain(senderDomains, sender.domain());
    }

    /** Exact address, then the address without its {@code +extension}, then the local part, domain, regex. */
    public Optional<Match> recipient(Mailbox recipient) {
        String local = recipient.localPart().toLowerCase(Locale.ROOT);
        String domain = recipient.domain();
        int plus = local.indexOf('+');
        String base = plus > 0 ? local.substring(0, plus) : local;
        Match m = recipientAddresses.get(local + "@" + domain);
        if (m == null) m = recipientAddresses.get(base + "@" + domain);
        if (m == null) m = recipientLocals.get(local);
        if (m == null) m = recipientLocals.get(base);
        if (m != null) return Optional.of(m);
        Optional<Match> d = byDomain(recipientDomains, domain);
        if (d.isPresent()) return d;
        return byRegex(recipientRegexes, local + "@" + domain);
    }

    /** {@code a.b.example.org} looks up itself, {@code b.example.org} and {@code example.org}. */
    private static Optional<Match> byDomain(Map<String, Match> domains, String name) {
        if (domains.isEmpty()) return Optional.empty();
        String d = name;
        while (true) {
            Match m = domains.get(d);
            if (m != null) return Optional.of(m);
            int dot = d.indexOf('.');
            if (dot < 0) return Optional.empty();
            d = d.substring(dot + 1);
        }
    }

    private static Optional<Match> byRegex(List<Regex> regexes, String text) {
        for (Regex r : regexes) if (r.pattern().matcher(text).find()) return Optional.of(r.match());
        return Optional.empty();
    }
}
