package greyrelay.db.greylist;

import greyrelay.db.Columns;
import java.time.Instant;
import java.util.Objects;

/**
 * What the greylist remembers about one triplet. Instants are cut to microseconds, the precision both databases
 * store, so an entry read back equals the one written.
 *
 * @param firstSeen when the current greylisting round started (the first deferral)
 * @param lastSeen  the last time the triplet was used (deferred again, passed, or delivered through)
 * @param passedAt  when it first passed greylisting; null while it is still grey
 * @param attempts  tries in the current round: every deferral (the first one included) and the retry that passed;
 *                  mail after passing is not counted (nor a pass by hand)
 * @param expiresAt when cleanup may drop it (computed by the policy from the configured periods)
 */
public record GreylistEntry(TripletKey key, Instant firstSeen, Instant lastSeen, Instant passedAt, int attempts,
        Instant expiresAt) {

    public GreylistEntry {
        Objects.requireNonNull(key, "key");
        firstSeen = Columns.micros(Objects.requireNonNull(firstSeen, "firstSeen"));
        lastSeen = Columns.micros(Objects.requireNonNull(lastSeen, "lastSeen"));
        passedAt = Columns.micros(passedAt);
        expiresAt = Columns.micros(Objects.requireNonNull(expiresAt, "expiresAt"));
        if (attempts < 0) throw new IllegalArgumentException("attempts must not be negative: " + attempts);
    }

    /** True once the triplet has passed greylisting. */
    public boolean passed() {
        return passedAt != null;
    }
}
