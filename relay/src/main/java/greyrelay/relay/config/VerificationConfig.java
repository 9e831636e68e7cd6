package greyrelay.relay.config;

import java.time.Duration;

/** {@code verification.*}: sender callback verification. */
public record VerificationConfig(
        boolean enabled,
        Mode mode,
        int probePort,
        Duration maxWait,
        Duration confirmAfter) {

    public VerificationConfig {
        Require.present("verification.mode", mode, "enforce or observe");
        Require.range("verification.probePort", probePort, 1, 65535);
        Require.duration("verification.maxWait", maxWait, Duration.ZERO, Duration.ofMinutes(5));
        Require.duration("verification.confirmAfter", confirmAfter, Duration.ZERO, Duration.ofDays(30));
    }

    static VerificationConfig defaults() {
        return new VerificationConfig(true, Mode.ENFORCE, 25, Duration.ofSeconds(5), Duration.ofHours(1));
    }
}
