package greyrelay.relay.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code dnsbl.*}: DNS block and allow lists (DNSBL/DNSWL) queried for each client address.
 *
 * <p>Each entry of {@code lists} is {@code zone:action[:codes]}: {@code zen.spamhaus.org:reject},
 * {@code bl.example.net:defer:127.0.0.2..127.0.0.11}, {@code list.dnswl.org:skip-greylisting}. Codes are the answers
 * that count as "listed": single addresses or {@code from..to} ranges joined with {@code |}; without them any
 * {@code 127.0.0.0/8} answer counts except the error answers some lists give to refused queries (see the README).
 *
 * @param mode    {@code observe} records what would have been refused and lets it through
 * @param lists   the lists, as above; empty = no DNS lists
 * @param timeout how long a client waits, at most, for all lists together (they are asked in parallel); a list
 *                that has not answered by then counts as "not listed"
 */
public record DnsblConfig(Mode mode, List<String> lists, Duration timeout) {

    /** What a hit on a list does. */
    public enum Action {
        /** At connect: {@code 554 5.7.1 Service unavailable; client [ip] blocked using <zone>} instead of the banner. */
        REJECT("reject"),
        /** At RCPT: {@code 451 4.7.1 …} (try again later), for lists trusted less. */
        DEFER("defer"),
        /** An allow list (DNSWL): the client skips greylisting and the block lists. */
        SKIP_GREYLISTING("skip-greylisting");

        private final String text;

        Action(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** An inclusive range of IPv4 answers, as unsigned 32-bit numbers. */
    public record CodeRange(long from, long to) {
        public boolean contains(long address) {
            return address >= from && address <= to;
        }
    }

    /** One parsed entry of {@code dnsbl.lists}; {@code codes} empty means the default filter. */
    public record DnsList(String zone, Action action, List<CodeRange> codes) {
        public DnsList {
            codes = List.copyOf(codes);
        }
    }

    public DnsblConfig {
        Require.present("dnsbl.mode", mode, "enforce or observe");
        lists = Require.list("dnsbl.lists", lists).stream().map(String::trim).toList();
        parse(lists);
        Require.duration("dnsbl.timeout", timeout, Duration.ofMillis(100), Duration.ofSeconds(60));
    }

    static DnsblConfig defaults() {
        return new DnsblConfig(Mode.ENFORCE, List.of(), Duration.ofSeconds(5));
    }

    /** The lists, parsed (they were validated when the configuration was loaded). */
    public List<DnsList> entries() {
        return parse(lists);
    }

    private static List<DnsList> parse(List<String> lists) {
        List<DnsList> out = new ArrayList<>();
        Set<String> zones = new HashSet<>();
        for (String entry : lists) {
            DnsList list = parseEntry(entry);
            if (!zones.add(list.zone())) throw ConfigException.invalid("dnsbl.lists", "each zone once", entry);
            out.add(list);
        }
        return List.copyOf(out);
    }

    static DnsList parseEntry(String entry) {
        String expected = "zone:action[:codes] such as zen.spamhaus.org:reject, bl.example.net:defer:127.0.0.2..127.0.0.11"
                + " or list.dnswl.org:skip-greylisting (actions: reject, defer, skip-greylisting)";
        String[] parts = entry.split(":", -1);
        if (parts.length < 2 || parts.length > 3) throw ConfigException.invalid("dnsbl.lists", expected, entry);
        String zone = parts[0].trim().toLowerCase(Locale.ROOT);
        if (zone.endsWith(".")) zone = zone.substring(0, zone.length() - 1);
        if (!HostNames.isValid(zone) || zone.indexOf('.') < 0) throw ConfigException.invalid("dnsbl.lists", expected, entry);
        Action action = null;
        for (Action a : Action.values()) if (a.text.equals(parts[1].trim().toLowerCase(Locale.ROOT))) action = a;
        if (action == null) throw ConfigException.invalid("dnsbl.lists", expected, entry);
        List<CodeRange> codes = new ArrayList<>();
        if (parts.length == 3) {
            for (String code : parts[2].split("\\|", -1)) {
                String c = code.trim();
                int dots = c.indexOf("..");
                long from = ipv4(dots < 0 ? c : c.substring(0, dots));
                long to = dots < 0 ? from : ipv4(c.substring(dots + 2));
                if (from < 0 || to < 0 || to < from) {
                    throw ConfigException.invalid("dnsbl.lists", "answer codes such as 127.0.0.2 or 127.0.0.2..127.0.0.11,"
                            + " several joined with |", entry);
                }
                codes.add(new CodeRange(from, to));
            }
        }
        return new DnsList(zone, action, codes);
    }

    /** A dotted quad as an unsigned number, or -1. */
    static long ipv4(String s) {
        String[] p = s.trim().split("\\.", -1);
        if (p.length != 4) return -1;
        long v = 0;
        for (String octet : p) {
            if (!octet.matches("\\d{1,3}")) return -1;
            int n = Integer.parseInt(octet);
            if (n > 255) return -1;
            v = (v << 8) | n;
        }
        return v;
    }
}
