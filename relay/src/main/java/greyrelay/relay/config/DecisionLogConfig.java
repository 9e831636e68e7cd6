package greyrelay.relay.config;

import java.time.Duration;

/** {@code decisionLog.*}: how long every accept/defer/reject decision is kept for "why was this deferred?". */
public record DecisionLogConfig(Duration retention) {
    public DecisionLogConfig {
        Require.duration("decisionLog.retention", retention, Duration.ofHours(1), Duration.ofDays(3650));
    }

    static DecisionLogConfig defaults() {
        return new DecisionLogConfig(Duration.ofDays(30));
    }
}
