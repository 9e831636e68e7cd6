package greyrelay.relay.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * What a check learned about one transaction for the checks after it, read by name. Each fact is set at most once:
 * a fact is a finding, and setting it twice is a programming error ({@link IllegalStateException}). Facts live on
 * the {@link Transaction}, so nothing learned in one MAIL transaction leaks into the next one of the connection.
 * What concerns the whole connection (exemptions, DNS list answers, the greeting probe) stays in {@link SessionNotes}.
 *
 * <p>Confined to the connection's thread, like the transaction itself.
 */
public final class TransactionFacts {
    private SpfFact spf;
    private boolean rateLimitCounted;

    /** Set by the {@code spf} check when it first evaluates the transaction's sender. */
    public void spf(SpfFact fact) {
        if (spf != null) throw new IllegalStateException("the SPF fact is already set: " + spf);
        spf = Objects.requireNonNull(fact, "fact");
    }

    /** Empty when SPF is off, every recipient so far was exempt from it, or its check has not run yet. */
    public Optional<SpfFact> spf() {
        return Optional.ofNullable(spf);
    }

    /** Set by the {@code rate-limit} check once it has counted this transaction's message. */
    public void rateLimitCounted() {
        if (rateLimitCounted) throw new IllegalStateException("the rate limit already counted this message");
        rateLimitCounted = true;
    }

    /** Whether the {@code rate-limit} check has counted this transaction's message (it counts each message once). */
    public boolean isRateLimitCounted() {
        return rateLimitCounted;
    }
}
