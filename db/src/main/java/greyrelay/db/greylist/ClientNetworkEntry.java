package greyrelay.db.greylist;

import greyrelay.db.Columns;
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
        firstSeen = Columns.micros(Objects.requireNonNull(firstSeen, "firstSeen"));
        lastSeen = Columns.micros(Objects.requireNonNull(lastSeen, "lastSeen"));
        expiresAt = Columns.micros(Objects.requireNonNull(expiresAt, "expiresAt"));
        if (passes < 0) throw new IllegalArgumentException("passes must not be negative: " + passes);
    }
}
