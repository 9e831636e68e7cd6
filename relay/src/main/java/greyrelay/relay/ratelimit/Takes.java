package greyrelay.relay.ratelimit;

import greyrelay.relay.ratelimit.RateLimitPolicy.Counted;
import greyrelay.relay.ratelimit.RateLimiter.Take;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Takes one token from each of several buckets, all or nothing: when one refuses, the tokens already taken are given
 * back, so a refused request costs the client nothing in the buckets that had room (and one busy neighbour in a /24
 * does not drain a client's own address bucket).
 */
final class Takes {
    /** The bucket that refused, and how long until it has a token again. */
    record Refusal(Counted counted, Duration retryAfter) {
        String reason() {
            return counted.label() + ": limit " + counted.limit() + ", next in " + Math.max(1, (retryAfter.toMillis() + 999) / 1000) + "s";
        }
    }

    private Takes() {}

    static Optional<Refusal> all(RateLimiter limiter, List<Counted> buckets, MeterRegistry metrics) {
        List<Counted> taken = new ArrayList<>(buckets.size());
        for (Counted c : buckets) {
            switch (limiter.take(c.key(), c.limit())) {
                case Take.Granted g -> taken.add(c);
                case Take.Refused r -> {
                    for (Counted t : taken) limiter.giveBack(t.key(), t.limit());
                    metrics.counter("greyrelay.ratelimit.exceeded", "limit", c.metric()).increment();
                    return Optional.of(new Refusal(c, r.retryAfter()));
                }
            }
        }
        return Optional.empty();
    }
}
