package greyrelay.relay.verify;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Bucket4j time from the injected {@link Clock}, so tests move the token buckets by moving the clock. */
final class ClockTimeMeter implements TimeMeter {
    private final Clock clock;

    ClockTimeMeter(Clock clock) {
        this.clock = clock;
    }

    /** A token bucket of {@code rate} per {@code period}, full at first, refilled greedily on this clock. */
    Bucket bucket(int rate, Duration period) {
        return Bucket.builder().addLimit(l -> l.capacity(rate).refillGreedy(rate, period)).withCustomTimePrecision(this).build();
    }

    @Override
    public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
