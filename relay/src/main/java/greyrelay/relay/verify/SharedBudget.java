package greyrelay.relay.verify;

import java.util.Optional;

/**
 * Concurrency caps shared by every node (per sender domain, per target address): a {@link Permit} for one of
 * {@code capacity} slots of {@code scope} while one is free across the cluster, else empty. Never blocks.
 * {@link #none()} on one node, where the local {@link Slots} are the whole count.
 */
interface SharedBudget {

    Optional<Permit> tryTake(String scope, int capacity);

    /** Nothing shared (one node): always a permit that holds nothing. */
    static SharedBudget none() {
        return (scope, capacity) -> Optional.of(Permit.none());
    }
}
