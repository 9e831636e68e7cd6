package greyrelay.db.verify;

import greyrelay.db.Columns;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What probes taught us about one sender domain: for each trait, when it was last observed (absent: not observed, or
 * cleared by a later probe that showed the opposite).
 *
 * @param domain    lower case
 * @param traits    trait to the instant it was last observed
 * @param updatedAt when the profile last changed
 */
public record DomainProfile(String domain, Map<DomainTrait, Instant> traits, Instant updatedAt) {

    public DomainProfile {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (domain.length() > CacheEntry.MAX_DOMAIN) throw new IllegalArgumentException("domain too long");
        domain = domain.toLowerCase(java.util.Locale.ROOT);
        EnumMap<DomainTrait, Instant> copy = new EnumMap<>(DomainTrait.class);
        for (var e : Objects.requireNonNull(traits, "traits").entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey()), Columns.micros(Objects.requireNonNull(e.getValue())));
        }
        traits = Collections.unmodifiableMap(copy);
        updatedAt = Columns.micros(updatedAt);
    }

    /** A profile that knows nothing yet. */
    public static DomainProfile empty(String domain, Instant now) {
        return new DomainProfile(domain, Map.of(), now);
    }

    public Optional<Instant> observed(DomainTrait trait) {
        return Optional.ofNullable(traits.get(trait));
    }

    /** Whether the trait was observed at or after {@code since}. */
    public boolean has(DomainTrait trait, Instant since) {
        Instant at = traits.get(trait);
        return at != null && !at.isBefore(since);
    }

    /** This profile with {@code observed} set to {@code now} and {@code cleared} removed. */
    public DomainProfile with(java.util.Set<DomainTrait> observed, java.util.Set<DomainTrait> cleared, Instant now) {
        EnumMap<DomainTrait, Instant> next = new EnumMap<>(DomainTrait.class);
        next.putAll(traits);
        for (DomainTrait t : cleared) next.remove(t);
        for (DomainTrait t : observed) next.put(t, now);
        return new DomainProfile(domain, next, now);
    }
}
