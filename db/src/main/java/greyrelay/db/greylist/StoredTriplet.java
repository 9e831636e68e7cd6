package greyrelay.db.greylist;

import java.time.Instant;
import java.util.Objects;

/** A triplet as the admin panel sees it: with its row id, which names it in URLs and actions. */
public record StoredTriplet(long id, GreylistEntry entry) {
    public StoredTriplet {
        Objects.requireNonNull(entry, "entry");
    }

    public TripletKey key() {
        return entry.key();
    }

    public TripletState state(Instant now) {
        return TripletState.of(entry, now);
    }
}
