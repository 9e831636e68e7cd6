package greyrelay.relay.verify;

import java.util.Optional;

/**
 * The per-MX-host part of the probe budget, asked by the {@link Prober} before each connection: a {@link Permit}
 * held for that one connection while the host's budget allows one, else empty (the prober then tries the next MX).
 * Never blocks.
 */
@FunctionalInterface
public interface HostGate {

    Optional<Permit> tryEnter(String mxHost);

    /** No per-host limit (recipient verification towards our own downstream, tests). */
    static HostGate open() {
        return host -> Optional.of(Permit.none());
    }
}
