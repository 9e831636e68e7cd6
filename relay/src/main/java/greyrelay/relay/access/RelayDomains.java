package greyrelay.relay.access;

import java.util.List;
import java.util.Locale;

/**
 * The domains we accept mail for ({@code smtp.relayDomains}): {@code example.com} matches exactly that domain,
 * {@code .example.com} matches every subdomain of it (Postfix's leading-dot form).
 */
public final class RelayDomains {
    private final List<String> entries;

    public RelayDomains(List<String> entries) {
        this.entries = entries.stream().map(e -> e.toLowerCase(Locale.ROOT)).toList();
    }

    public boolean contains(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        for (String e : entries) {
            if (e.startsWith(".") ? d.endsWith(e) && d.length() > e.length() : d.equals(e)) return true;
        }
        return false;
    }

    /** The domain a bare {@code <postmaster>} belongs to: the first exact relay domain, else our host name. */
    public String postmasterDomain(String hostname) {
        for (String e : entries) if (!e.startsWith(".")) return e;
        return hostname;
    }

    public List<String> entries() {
        return entries;
    }
}
