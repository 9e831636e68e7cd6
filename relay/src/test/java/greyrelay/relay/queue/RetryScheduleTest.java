package greyrelay.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The retry schedule as operators write it ({@code queue.retrySchedule}): steps, repeats, and the last step for ever. */
class RetryScheduleTest {
    static final RetrySchedule SCHEDULE = new RetrySchedule(List.of("1m", "5m*2", "1h*3"));

    @ParameterizedTest(name = "after attempt {0}: wait {1}")
    @CsvSource({
            "1, PT1M",
            "2, PT5M",
            "3, PT5M",
            "4, PT1H",
            "6, PT1H",
            "7, PT1H",   // past the end: the last step repeats
            "1000, PT1H",
            "0, PT1M",   // before any attempt counts as the first
            "-3, PT1M"})
    void next_walks_the_steps_and_repeats_the_last(int attempts, Duration wait) {
        assertThat(SCHEDULE.next(attempts)).isEqualTo(wait);
    }

    @Test
    void steps_may_carry_spaces_and_any_duration_form() {
        RetrySchedule s = new RetrySchedule(List.of(" 90s ", "1h30m * 2"));

        assertThat(s.next(1)).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.next(2)).isEqualTo(Duration.ofMinutes(90));
        assertThat(s.next(9)).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void a_huge_repeat_count_costs_nothing() {
        RetrySchedule s = new RetrySchedule(List.of("1m*2000000000", "2h"));

        assertThat(s.next(2_000_000_000)).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.next(Integer.MAX_VALUE)).isEqualTo(Duration.ofHours(2));
    }

    @ParameterizedTest(name = "refuses \"{0}\"")
    @ValueSource(strings = {"", "5", "5x", "m", "0m", "0", "5m*0", "5m*-1", "5m*x", "*3", "5m*", "-5m"})
    void refuses_a_step_that_is_not_a_positive_delay(String step) {
        assertThatThrownBy(() -> new RetrySchedule(List.of("1m", step))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refuses_an_empty_schedule() {
        assertThatThrownBy(() -> new RetrySchedule(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty retry schedule");
    }
}
