package greyrelay.db.greylist;

import java.time.Instant;
import java.util.Objects;

/**
 * A search of the greylist (admin panel): every given part must match exactly, as stored (client network such as
 * {@code 192.0.2.0/24} or {@code spf:example.org}, normalised sender, lower-case recipient). Exact matches keep every
 * search on an index: the unique key (client first), or the sender and recipient indexes of {@code V6}. Newest first.
 *
 * @param client    exact client key, or null
 * @param sender    exact sender ({@code <>} for the null sender), or null
 * @param recipient exact recipient, or null
 * @param state     only triplets in this state at {@code now}, or null
 * @param limit     at most this many rows (ask for one more than a page to learn whether another page exists)
 */
public record TripletQuery(String client, String sender, String recipient, TripletState state, Instant now, int limit,
        int offset) {
    public TripletQuery {
        Objects.requireNonNull(now, "now");
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1: " + limit);
        if (offset < 0) throw new IllegalArgumentException("offset must not be negative: " + offset);
    }
}
