package greyrelay.db.greylist;

import java.time.Instant;

/**
 * Where a stored triplet stands, as the admin panel shows and searches it. Read from the row alone: {@code expires_at}
 * is what the relay's policy computed when it last wrote the row (first sight + retry window while grey, last use +
 * max age once passed), so the store needs no configuration to tell the states apart.
 */
public enum TripletState {
    /** Deferred, waiting for the retry (not passed, not expired). */
    GREYLISTED,
    /** Passed greylisting and still remembered. */
    PASSED,
    /** Past its expiry, waiting for cleanup; the next attempt starts a new round. */
    EXPIRED;

    public static TripletState of(GreylistEntry e, Instant now) {
        if (!e.expiresAt().isAfter(now)) return EXPIRED;
        return e.passed() ? PASSED : GREYLISTED;
    }
}
