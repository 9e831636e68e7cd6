package greyrelay.relay.config;

import java.time.Duration;
import java.util.List;

/** {@code queue.*}: the spool and its delivery. */
public record QueueConfig(
        List<String> retrySchedule,
        Duration maxLifetime,
        int workers,
        DataSize minFreeSpace) {

    public QueueConfig {
        retrySchedule = Require.list("queue.retrySchedule", retrySchedule);
        if (retrySchedule.isEmpty()) throw ConfigException.invalid("queue.retrySchedule", "at least one delay, e.g. [1m, 5m, 15m, 1h]", retrySchedule);
        for (String step : retrySchedule) {
            try {
                RetrySteps.parseStep(step);
            } catch (IllegalArgumentException e) {
                throw ConfigException.invalid("queue.retrySchedule", "delays like 1m or 5m*3", step);
            }
        }
        Require.duration("queue.maxLifetime", maxLifetime, Duration.ofMinutes(1), Duration.ofDays(60));
        Require.range("queue.workers", workers, 1, 1000);
        Require.present("queue.minFreeSpace", minFreeSpace, "a size such as 100MB");
    }

    static QueueConfig defaults() {
        return new QueueConfig(List.of("1m", "5m", "15m", "30m", "1h", "2h", "4h"), Duration.ofDays(5), 32, DataSize.ofMegabytes(100));
    }

    /** Parses one {@code retrySchedule} step: {@code 5m} or {@code 5m*3}. */
    public static final class RetrySteps {
        private RetrySteps() {}

        public record Step(Duration delay, int times) {}

        public static Step parseStep(String text) {
            String s = text.trim();
            int star = s.indexOf('*');
            Duration d = Durations.parse(star < 0 ? s : s.substring(0, star));
            int times = star < 0 ? 1 : Integer.parseInt(s.substring(star + 1).trim());
            if (d.isZero() || d.isNegative() || times < 1) throw new IllegalArgumentException(text);
            return new Step(d, times);
        }
    }
}
