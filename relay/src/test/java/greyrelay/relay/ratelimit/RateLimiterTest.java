package greyrelay.relay.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.ratelimit.RateLimiter.Limit;
import greyrelay.relay.ratelimit.RateLimiter.Take;
import greyrelay.relay.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local token buckets under a moved clock: exact limits, recovery, give-back, idle expiry. */
class RateLimiterTest {
    final TestClock clock = new TestClock();
    final RateLimiter limiter = RateLimiter.local(clock, 1000);

    List<Take> take(int n, String key, Limit limit) {
        List<Take> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(limiter.take(key, limit));
        return out;
    }

    @Test
    void grants_exactly_the_capacity_then_refuses_with_the_time_until_the_next_token() {
        Limit three = Limit.perMinute(3);

        assertThat(take(3, "k", three)).allMatch(t -> t instanceof Take.Granted);
        assertThat(limiter.take("k", three)).isEqualTo(new Take.Refused(Duration.ofSeconds(20)));
    }

    @Test
    void recovers_one_token_per_period_over_capacity_and_fully_after_a_period() {
        Limit three = Limit.perMinute(3);
        take(3, "k", three);

        clock.advance(Duration.ofSeconds(19));
        assertThat(limiter.take("k", three)).isInstanceOf(Take.Refused.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.take("k", three)).isInstanceOf(Take.Granted.class);
        assertThat(limiter.take("k", three)).isInstanceOf(Take.Refused.class);

        clock.advance(Duration.ofMinutes(5));
        assertThat(take(4, "k", three)).extracting(t -> t instanceof Take.Granted).containsExactly(true, true, true, false);
    }

    @Test
    void keys_and_limits_are_separate_buckets() {
        take(2, "a", Limit.perHour(2));

        assertThat(limiter.take("a", Limit.perHour(2))).isInstanceOf(Take.Refused.class);
        assertThat(limiter.take("b", Limit.perHour(2))).isInstanceOf(Take.Granted.class);
        assertThat(limiter.take("a", Limit.perHour(5))).as("a changed limit starts a fresh bucket").isInstanceOf(Take.Granted.class);
    }

    @Test
    void a_token_given_back_can_be_taken_again() {
        Limit one = Limit.perHour(1);
        limiter.take("k", one);
        limiter.giveBack("k", one);

        assertThat(limiter.take("k", one)).isInstanceOf(Take.Granted.class);
        assertThat(limiter.take("k", one)).isInstanceOf(Take.Refused.class);
    }

    @Test
    void an_off_limit_always_grants_and_stores_nothing() {
        assertThat(take(1000, "k", Limit.OFF)).allMatch(t -> t instanceof Take.Granted);
        assertThat(Limit.perMinute(0)).isEqualTo(Limit.OFF);
        assertThat(limiter.size()).isZero();
    }

    @Test
    void idle_buckets_are_forgotten_once_they_would_be_full_again() {
        limiter.take("minute", Limit.perMinute(5));
        limiter.take("hour", Limit.perHour(5));
        assertThat(limiter.size()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(2));
        limiter.removeExpired();
        assertThat(limiter.size()).isEqualTo(1);

        clock.advance(Duration.ofHours(1));
        limiter.removeExpired();
        assertThat(limiter.size()).isZero();
    }

    @Test
    void limits_print_as_operators_write_them_and_long_keys_are_hashed() {
        assertThat(Limit.perMinute(60)).hasToString("60/1m");
        assertThat(Limit.perHour(1000)).hasToString("1000/1h");
        assertThat(Limit.OFF).hasToString("off");
        assertThat(RateLimiter.id("msg:dom:example.org", Limit.perHour(5))).isEqualTo("msg:dom:example.org|5/1h");
        String longKey = "msg:dom:" + "a".repeat(500);
        assertThat(RateLimiter.id(longKey, Limit.perHour(5))).startsWith("sha256:").endsWith("|5/1h").hasSizeLessThan(100);
    }

    @Test
    void a_read_only_view_estimates_without_taking_a_token_or_creating_a_bucket() {
        Limit two = Limit.perHour(2);
        RateLimiter dry = limiter.readOnly();
        assertThat(dry.take("new", two)).as("no bucket yet: full").isInstanceOf(Take.Granted.class);
        assertThat(limiter.size()).as("nothing created").isZero();

        limiter.take("k", two);
        for (int i = 0; i < 5; i++) assertThat(dry.take("k", two)).isInstanceOf(Take.Granted.class);
        dry.giveBack("k", two);
        assertThat(limiter.take("k", two)).as("the dry takes took nothing").isInstanceOf(Take.Granted.class);
        assertThat(dry.take("k", two)).as("now empty, as the real take would find it").isInstanceOf(Take.Refused.class);
        assertThat(limiter.take("k", two)).isInstanceOf(Take.Refused.class);
    }
}
