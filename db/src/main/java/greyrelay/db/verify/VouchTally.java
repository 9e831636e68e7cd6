package greyrelay.db.verify;

import greyrelay.db.Columns;
import java.time.Instant;
import java.util.Objects;

/**
 * How many senders of a domain were vouched for without a probe, for one reason ({@code spf},
 * {@code known-network}).
 */
public record VouchTally(String domain, String reason, long vouched, Instant firstAt, Instant lastAt) {
    public VouchTally {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(reason, "reason");
        firstAt = Columns.micros(Objects.requireNonNull(firstAt, "firstAt"));
        lastAt = Columns.micros(Objects.requireNonNull(lastAt, "lastAt"));
    }
}
