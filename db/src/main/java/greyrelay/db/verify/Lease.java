package greyrelay.db.verify;

import greyrelay.db.Columns;
import java.time.Instant;
import java.util.Objects;

/**
 * One {@code verification_lease} row: {@code holder} holds {@code key} from {@code takenAt} until {@code expiresAt}.
 *
 * @param key       what is held: one address's probe, or one slot of a shared concurrency cap
 * @param holder    the node run that holds it (an id chosen at start-up)
 * @param takenAt   when it was taken or last renewed
 * @param expiresAt from here on anyone may take it
 */
public record Lease(String key, String holder, Instant takenAt, Instant expiresAt) {
    static final int MAX_KEY = 400;
    static final int MAX_HOLDER = 100;

    public Lease {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (key.isEmpty() || key.length() > MAX_KEY) throw new IllegalArgumentException("lease key must have 1 to " + MAX_KEY + " characters");
        if (holder.isEmpty() || holder.length() > MAX_HOLDER) throw new IllegalArgumentException("lease holder must have 1 to " + MAX_HOLDER + " characters");
        takenAt = Columns.micros(takenAt);
        expiresAt = Columns.micros(expiresAt);
    }

    public boolean isLive(Instant now) {
        return now.isBefore(expiresAt);
    }
}
