package greyrelay.relay.verify;

import greyrelay.db.verify.DomainProfile;
import greyrelay.db.verify.DomainProfiles;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What probes taught us about sender domains (null MX, refuses the null sender, accepts any address, greylists our
 * probes, unreachable), kept in {@link DomainProfiles}: read before a probe and during a burst freeze, written after
 * a probe that observed or cleared a trait. Reading never stops a probe: an unreadable profile is an empty one.
 */
final class ProfileBook {
    private static final Logger log = LoggerFactory.getLogger(ProfileBook.class);

    private final DomainProfiles profiles;

    ProfileBook(DomainProfiles profiles) {
        this.profiles = profiles;
    }

    /** The domain's profile; an empty one when it has none or it cannot be read. */
    DomainProfile read(String domain, Instant now) {
        try {
            return profiles.find(domain).orElse(DomainProfile.empty(domain, now));
        } catch (RuntimeException e) {
            log.warn("verify: profile of {} unreadable, going on without it: {}", domain, e.getMessage());
            return DomainProfile.empty(domain, now);
        }
    }

    /**
     * Adds what a probe observed and drops what it showed to be no longer true; writes only when that changes
     * something {@code before} (the profile the probe was planned with) had. Throws when the database does.
     */
    void learn(DomainProfile before, ProbeOutcome outcome, Instant now) {
        if (outcome.observed().isEmpty() && outcome.cleared().stream().noneMatch(before.traits()::containsKey)) return;
        DomainProfile current = profiles.find(before.domain()).orElse(DomainProfile.empty(before.domain(), now));
        profiles.put(current.with(outcome.observed(), outcome.cleared(), now));
    }
}
