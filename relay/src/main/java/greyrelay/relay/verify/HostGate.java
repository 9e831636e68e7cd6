package greyrelay.relay.verify;

import java.util.Optional;

/**
 * The per-MX-host part of the probe budget, asked by the {@link Prober} before each connection: a permit while the
 * host's concurrency and rate allow one, else empty (the prober then tries the next MX). Never blocks.
 */
@FunctionalInterface
public interface HostGate {

    Optional<Permit> tryEnter(String mxHost);

    /** Held for one connection to one MX host. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /** No per-host limit (recipient verification towards our own downstream, tests). */
    static HostGate open() {
        return host -> Optional.of(() -> { });
    }
}
