package greyrelay.relay.memory;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Instant;

/** The one way the relay builds a short-lived memory of reads: a Caffeine builder aged by the relay's injected clock. */
public final class ClockedCache {
    private ClockedCache() {}

    /**
     * A builder whose expiry follows {@code clock} (so a test that moves its clock ages the entries too) and whose
     * maintenance runs on the caller's thread (deterministic under a test clock). Add the bound and the lifetime.
     */
    public static Caffeine<Object, Object> builder(Clock clock) {
        return Caffeine.newBuilder()
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .executor(Runnable::run);
    }
}
