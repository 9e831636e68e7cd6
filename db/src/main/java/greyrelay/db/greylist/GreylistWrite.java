package greyrelay.db.greylist;

import java.time.Instant;
import java.util.Objects;

/**
 * A greylist write that may wait and go to the database in a batch ({@link GreylistStore#writeAll}): every write
 * whose loss costs at most one more greylisting delay or a slightly early cleanup. A pass is never one of them: it is
 * written at once ({@link GreylistStore#markPassed}).
 */
public sealed interface GreylistWrite {
    /** A triplet seen for the first time; an existing row with its key stays (another node was first). */
    record Insert(GreylistEntry entry) implements GreylistWrite {
        public Insert {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** A retry too early: one more attempt of the round that started at {@code read.firstSeen()}, if it still runs. */
    record Attempt(GreylistEntry read, Instant at) implements GreylistWrite {
        public Attempt {
            Objects.requireNonNull(read, "read");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A passed triplet used again: last use moves forward (never back). */
    record Touch(TripletKey key, Instant lastSeen, Instant expiresAt) implements GreylistWrite {
        public Touch {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(lastSeen, "lastSeen");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** An auto-whitelisted client network used again: its last pass moves forward (never back). */
    record TouchClient(String network, Instant lastSeen, Instant expiresAt) implements GreylistWrite {
        public TouchClient {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(lastSeen, "lastSeen");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** One more passed triplet counted for a client network's auto-whitelisting ({@link GreylistStore#countPass}). */
    record CountPass(String network, Instant now, Instant forgetBefore, Instant expiresAt) implements GreylistWrite {
        public CountPass {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(now, "now");
            Objects.requireNonNull(forgetBefore, "forgetBefore");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }
}
