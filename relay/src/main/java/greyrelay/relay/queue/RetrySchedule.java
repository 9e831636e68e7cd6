package greyrelay.relay.queue;

import greyrelay.relay.config.QueueConfig;
import java.time.Duration;
import java.util.List;

/**
 * When to try again, as data: {@code [1m, 5m*2, 1h]} means 1m after the first failed attempt, 5m after the second
 * and third, then every hour. The last step repeats; {@code queue.maxLifetime} ends it (Haraka's
 * temp_fail_intervals, Mireka's RetryPolicy).
 */
public final class RetrySchedule {
    private final List<QueueConfig.RetrySteps.Step> steps;

    /** @throws IllegalArgumentException for an empty list, or a step that is not a positive delay like {@code 5m} or {@code 5m*3} */
    public RetrySchedule(List<String> spec) {
        this.steps = spec.stream().map(QueueConfig.RetrySteps::parseStep).toList();
        if (steps.isEmpty()) throw new IllegalArgumentException("empty retry schedule");
    }

    /** How long to wait after the {@code attempts}-th attempt (1 = after the first) before the next one. */
    public Duration next(int attempts) {
        long left = Math.max(1, attempts);
        for (QueueConfig.RetrySteps.Step step : steps) {
            if (left <= step.times()) return step.delay();
            left -= step.times();
        }
        return steps.getLast().delay();
    }

    @Override
    public String toString() {
        return steps.stream().map(s -> s.times() == 1 ? s.delay().toString() : s.delay() + "*" + s.times()).toList().toString();
    }
}
