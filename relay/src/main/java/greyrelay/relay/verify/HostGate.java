package greyrelay.relay.verify;

import java.util.Optional;

/**
 * The per-target part of the probe budget, asked by the {@link Prober} before each connection: a {@link Permit} held
 * for that one connection while the budgets of the target's MX host name and of its address allow one, else empty
 * (the prober then tries the next MX). Never blocks.
 */
@FunctionalInterface
public interface HostGate {

    Optional<Permit> tryEnter(ProbeTarget target);

    /** No per-host limit (recipient verification towards our own downstream, tests). */
    static HostGate open() {
        return target -> Optional.of(Permit.none());
    }
}
