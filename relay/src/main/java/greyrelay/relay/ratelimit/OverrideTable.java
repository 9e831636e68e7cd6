package greyrelay.relay.ratelimit;

import greyrelay.db.net.IpNetwork;
import greyrelay.db.ratelimit.RateLimitOverride;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of the rate-limit overrides, indexed for the two questions the checks ask: which override
 * covers this client (the most specific block wins) and which covers this sender domain (the exact domain, else
 * the nearest {@code .parent} entry).
 */
public final class OverrideTable {
    static final OverrideTable EMPTY = new OverrideTable(List.of());

    private record ClientEntry(IpNetwork block, RateLimitOverride override) {}

    private final List<ClientEntry> clients; // most specific first
    private final Map<String, RateLimitOverride> domains;
    private final int size;

    OverrideTable(List<RateLimitOverride> rows) {
        List<ClientEntry> c = new ArrayList<>();
        Map<String, RateLimitOverride> d = new HashMap<>();
        for (RateLimitOverride o : rows) {
            switch (o.kind()) {
                case CLIENT -> c.add(new ClientEntry(o.block(), o));
                case SENDER_DOMAIN -> d.put(o.match(), o);
            }
        }
        c.sort(Comparator.comparingInt((ClientEntry e) -> e.block().prefix()).reversed());
        this.clients = List.copyOf(c);
        this.domains = Map.copyOf(d);
        this.size = rows.size();
    }

    public Optional<RateLimitOverride> forClient(InetAddress client) {
        for (ClientEntry e : clients) {
            if (e.block().contains(client)) return Optional.of(e.override());
        }
        return Optional.empty();
    }

    /** {@code domain} lower case; {@code example.org} matches a row {@code example.org}, then {@code .org}-style parents. */
    public Optional<RateLimitOverride> forSenderDomain(String domain) {
        RateLimitOverride exact = domains.get(domain);
        if (exact != null) return Optional.of(exact);
        for (int dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
            RateLimitOverride parent = domains.get(domain.substring(dot));
            if (parent != null) return Optional.of(parent);
        }
        return Optional.empty();
    }

    public int size() {
        return size;
    }
}
