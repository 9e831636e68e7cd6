package greyrelay.relay.verify;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the burst freezes of sender domains are shared: {@link #local()} (one node: each {@link BurstFreeze} is the
 * whole truth) or {@link SharedFreezes} (several nodes on PostgreSQL: a row with an end time per domain). The
 * {@link ProbeScheduler} reads it before it decides and writes it when a domain's burst freezes it; its
 * {@code isFrozen}/{@code frozenUntil} answer from both.
 */
interface FreezeStore {

    /** The end of the domain's latest shared freeze (which may be over), if any. */
    Optional<Instant> frozenUntil(String domain);

    /** Freezes the domain on every node until {@code until} (a later end only: an earlier one changes nothing). */
    void freeze(String domain, Instant until, String why);

    /** Nothing shared: one node, and the freezes live in its {@link BurstFreeze}s only. */
    static FreezeStore local() {
        return new FreezeStore() {
            @Override
            public Optional<Instant> frozenUntil(String domain) {
                return Optional.empty();
            }

            @Override
            public void freeze(String domain, Instant until, String why) {
                // the scheduler's BurstFreeze already holds it
            }
        };
    }
}
