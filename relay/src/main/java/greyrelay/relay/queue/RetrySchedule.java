package greyrelay.relay.queue;

import greyrelay.relay.config.QueueConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When to try again, as data: {@code [1m, 5m*2, 1h]} means 1m after the first failed attempt, 5m after the second
 * and third, then every hour. The last step repeats; {@code queue.maxLifetime} ends it (Haraka's
 * temp_fail_intervals, Mireka's RetryPolicy).
 */
public final class RetrySchedule {
    private final List<Duration> steps;

    public RetrySchedule(List<String> spec) {
        List<Duration> s = new ArrayList<>();
        for (String step : spec) {
            QueueConfig.RetrySteps.Step p = QueueConfig.RetrySteps.parseStep(step);
            for (int i = 0; i < p.times(); i++) s.add(p.delay());
        }
        if (s.isEmpty()) throw new IllegalArgumentException("empty retry schedule");
        this.steps = List.copyOf(s);
    }

    /** The delay after the {@code attempts}-th failed attempt (1 = after the first). */
    public Duration after(int attempts) {
        int i = Math.max(1, attempts) - 1;
        return steps.get(Math.min(i, steps.size() - 1));
    }

    @Override
    public String toString() {
        return steps.toString();
    }
}
