package greyrelay.relay.greylist;

import greyrelay.db.greylist.GreylistEntry;
import greyrelay.db.greylist.GreylistStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The mechanism around {@link GreylistPolicy}: load what is stored, decide, write what the outcome says, through
 * {@link WriteBehind} (first sights, attempts and touches are queued and written in batches; a pass is committed before
 * the answer). With the embedded database, a triplet this node saw passing recently is decided from memory, without a
 * read. The other writes are
 * conditional on what was read; when another thread or node changed the entry in between, the write reports it and
 * the decision is made again on a fresh read (at most a few rounds). A store failure propagates (the pipeline
 * answers {@code 451 4.3.0}). Shared by the RCPT check and the null sender's end-of-DATA check; thread-safe.
 */
final class Greylister {
    /** What was decided after storage. */
    sealed interface Result {
        /** Deferred; {@code firstSight}: this call started a new round (the triplet is newly greylisted). */
        record Deferred(GreylistOutcome outcome, long retryInSeconds, boolean firstSight) implements Result {}

        /** Passes greylisting. */
        record Passed(GreylistOutcome outcome, Metric metric) implements Result {}
    }

    /** The outcomes counted by {@code greyrelay.greylist.decisions{outcome=…}}. */
    enum Metric {
        GREYLISTED, PASSED, AUTO_WHITELISTED, WHITELISTED, TRAPPED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int ROUNDS = 4;

    private final WriteBehind store;
    private final GreylistPolicy policy;
    private final boolean readOnly;
    private final Map<Metric, Counter> counters = new EnumMap<>(Metric.class);

    /** @param rememberPassing see {@link WriteBehind}: true with the embedded database only */
    Greylister(GreylistStore store, GreylistPolicy policy, Clock clock, MeterRegistry metrics, boolean rememberPassing) {
        this(new WriteBehind(store, clock, metrics, rememberPassing), policy, metrics, false);
    }

    private Greylister(WriteBehind store, GreylistPolicy policy, MeterRegistry metrics, boolean readOnly) {
        this.store = store;
        this.policy = policy;
        this.readOnly = readOnly;
        for (Metric m : Metric.values()) {
            counters.put(m, Counter.builder("greyrelay.greylist.decisions").tag("outcome", m.tag())
                    .description("greylisting outcomes, per recipient").register(metrics));
        }
    }

    void count(Metric m) {
        counters.get(m).increment();
    }

    /**
     * The same store and policy for a dry run: {@link #decide} answers as {@link #wouldDecide} (nothing written), and
     * its counters go to {@code metrics} (a registry nobody scrapes).
     */
    Greylister readOnly(MeterRegistry metrics) {
        return new Greylister(store, policy, metrics, true);
    }

    /** What {@link #decide} would answer now, from one read, writing nothing and counting nothing. */
    Result wouldDecide(Triplet triplet, String clientNetwork, Instant now) {
        GreylistStore.Seen seen = store.read(triplet.key(), counterToRead(clientNetwork));
        GreylistOutcome outcome = policy.decide(triplet.key(), seen.triplet(), seen.client(), now);
        return switch (outcome) {
            case GreylistOutcome.FirstSight f -> new Result.Deferred(outcome, f.retryInSeconds(), true);
            case GreylistOutcome.TooEarly t -> new Result.Deferred(outcome, t.retryInSeconds(), false);
            case GreylistOutcome.Restart r -> new Result.Deferred(outcome, r.retryInSeconds(), true);
            case GreylistOutcome.FirstPass p -> new Result.Passed(outcome, Metric.PASSED);
            case GreylistOutcome.KnownPass k -> new Result.Passed(outcome, Metric.PASSED);
            case GreylistOutcome.AutoWhitelisted a -> new Result.Passed(outcome, Metric.AUTO_WHITELISTED);
        };
    }

    /**
     * Decides one triplet at {@code now}. {@code clientNetwork} keys the auto-whitelist; a first pass is counted
     * for it only when {@code countsForAutoWhitelist} (never for the null sender).
     */
    Result decide(Triplet triplet, String clientNetwork, boolean countsForAutoWhitelist, Instant now) {
        if (readOnly) return wouldDecide(triplet, clientNetwork, now);
        var key = triplet.key();
        Optional<GreylistEntry> recent = store.passing(key);
        if (recent.isPresent()
                && policy.decide(key, recent, Optional.empty(), now) instanceof GreylistOutcome.KnownPass k) {
            if (k.touch()) store.touch(k.entry(), now, k.expiresAt());
            return passed(k, Metric.PASSED);
        }
        for (int round = 0; round < ROUNDS; round++) {
            long stamp = store.stamp(key);
            GreylistStore.Seen seen = store.read(key, counterToRead(clientNetwork));
            GreylistOutcome outcome = policy.decide(key, seen.triplet(), seen.client(), now);
            switch (outcome) {
                case GreylistOutcome.FirstSight f -> {
                    if (store.firstSight(f.create(), stamp)) return deferred(outcome, f.retryInSeconds(), true);
                }
                case GreylistOutcome.TooEarly t -> {
                    store.attempt(t.entry(), now); // queued: a lost attempt only misses from the count
                    return deferred(outcome, t.retryInSeconds(), false);
                }
                case GreylistOutcome.Restart r -> {
                    if (store.restart(r.previous(), r.replacement())) return deferred(outcome, r.retryInSeconds(), true);
                }
                case GreylistOutcome.FirstPass p -> {
                    if (store.markPassed(p.previous(), now, p.expiresAt())) {
                        if (countsForAutoWhitelist) {
                            store.countPass(clientNetwork, now, now.minus(policy.maxAge()), now.plus(policy.maxAge()));
                        }
                        return passed(outcome, Metric.PASSED);
                    }
                }
                case GreylistOutcome.KnownPass k -> {
                    if (k.touch()) store.touch(k.entry(), now, k.expiresAt());
                    return passed(outcome, Metric.PASSED);
                }
                case GreylistOutcome.AutoWhitelisted a -> {
                    if (a.touch()) store.touchClient(a.client().network(), now, a.expiresAt());
                    return passed(outcome, Metric.AUTO_WHITELISTED);
                }
            }
            // another thread or node changed the entry between our read and our write: read again
        }
        throw new IllegalStateException("greylist entry " + triplet + " kept changing under concurrent updates");
    }

    /** The network whose auto-whitelist counter a decision needs: none when auto-whitelisting is off (a cheaper read). */
    private String counterToRead(String clientNetwork) {
        return policy.autoWhitelists() ? clientNetwork : null;
    }

    /** See {@link Greylisting#forgetPassing}. */
    void forgetPassing() {
        store.forgetPassing();
    }

    /** Waits until the queued writes are in the database (tests; shutdown closes instead). */
    void flush() {
        store.flush();
    }

    /** Writes what is queued and stops writing; a dry run's twin leaves the live writer alone. */
    void close() {
        if (!readOnly) store.close();
    }

    private Result deferred(GreylistOutcome o, long seconds, boolean firstSight) {
        count(Metric.GREYLISTED);
        return new Result.Deferred(o, seconds, firstSight);
    }

    private Result passed(GreylistOutcome o, Metric m) {
        count(m);
        return new Result.Passed(o, m);
    }
}
