package greyrelay.db.greylist;

import java.time.Instant;
import java.util.Objects;

/**
 * The auto-whitelist counter of one client network: how many of its triplets have passed greylisting since it
 * was first counted, and when it was last seen passing.
 */
public record ClientNetworkEntry(String network, int passes, Instant firstSeen, Instant lastSeen, Instant expiresAt) {
    static final int MAX_NETWORK = 64;

    public ClientNetworkEntry {
        network = TripletKey.require("network", network, MAX_NETWORK);
        firstSeen = GreylistEntry.micros(Objects.requireNonNull(firstSeen, "firstSeen"));
        lastSeen = GreylistEntry.micros(Objects.requireNonNull(lastSeen, "lastSeen"));
        expiresAt = GreylistEntry.micros(Objects.requireNonNull(expiresAt, "expiresAt"));
        if (passes < 0) throw new IllegalArgumentException("passes must not be negative: " + passes);
    }
}
