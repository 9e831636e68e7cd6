package greyrelay.db.verify;

import greyrelay.db.Columns;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One {@code verification_freeze} row: probes to {@code domain} are paused on every node until {@code frozenUntil}.
 *
 * @param domain      the sender domain, lower case
 * @param frozenUntil the end of the freeze (which may be over)
 * @param reason      why, for the panel and logs (cut to 500 characters)
 */
public record DomainFreeze(String domain, Instant frozenUntil, String reason) {
    static final int MAX_REASON = 500;

    public DomainFreeze {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(frozenUntil, "frozenUntil");
        domain = domain.toLowerCase(Locale.ROOT);
        if (domain.isEmpty() || domain.length() > CacheEntry.MAX_DOMAIN) {
            throw new IllegalArgumentException("domain must have 1 to " + CacheEntry.MAX_DOMAIN + " characters");
        }
        frozenUntil = Columns.micros(frozenUntil);
        reason = Objects.requireNonNullElse(Columns.clean(reason, MAX_REASON), "");
    }

    public boolean isFrozen(Instant now) {
        return now.isBefore(frozenUntil);
    }
}
