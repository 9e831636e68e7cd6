package greyrelay.relay.config;

import java.time.Duration;

/** {@code greylist.*}: triplet greylisting. */
public record GreylistConfig(
        boolean enabled,
        Mode mode,
        Duration delay,
        Duration retryWindow,
        Duration maxAge) {

    public GreylistConfig {
        Require.present("greylist.mode", mode, "enforce or observe");
        Require.duration("greylist.delay", delay, Duration.ZERO, Duration.ofDays(1));
        Require.duration("greylist.retryWindow", retryWindow, Duration.ofMinutes(1), Duration.ofDays(30));
        Require.duration("greylist.maxAge", maxAge, Duration.ofHours(1), Duration.ofDays(3650));
        if (retryWindow.compareTo(delay) <= 0) {
            throw ConfigException.invalid("greylist.retryWindow", "longer than greylist.delay (" + Durations.format(delay) + ")",
                    Durations.format(retryWindow));
        }
    }

    static GreylistConfig defaults() {
        return new GreylistConfig(true, Mode.ENFORCE, Duration.ofMinutes(5), Duration.ofDays(2), Duration.ofDays(35));
    }
}
