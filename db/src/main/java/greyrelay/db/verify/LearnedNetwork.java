package greyrelay.db.verify;

import greyrelay.db.Columns;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A network that delivered mail from verified senders of a domain (vouching, issue 18).
 *
 * @param domain    the sender domain, lower case
 * @param network   the client network in CIDR form ({@code greylist.ipv4Prefix}/{@code ipv6Prefix})
 * @param firstSeen when a verified sender of the domain first came from it
 * @param lastSeen  when one last did (written at most hourly)
 * @param verified  how many times it was recorded
 */
public record LearnedNetwork(String domain, String network, Instant firstSeen, Instant lastSeen, long verified) {
    public LearnedNetwork {
        domain = Objects.requireNonNull(domain, "domain").toLowerCase(Locale.ROOT);
        if (domain.length() > CacheEntry.MAX_DOMAIN) throw new IllegalArgumentException("domain too long");
        Objects.requireNonNull(network, "network");
        firstSeen = Columns.micros(Objects.requireNonNull(firstSeen, "firstSeen"));
        lastSeen = Columns.micros(Objects.requireNonNull(lastSeen, "lastSeen"));
    }
}
