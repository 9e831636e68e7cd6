package greyrelay.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    final MutableClock clock = new MutableClock();
    final LoginThrottle throttle = new LoginThrottle(clock, 3, Duration.ofMinutes(10));

    @Test
    void blocks_an_address_after_the_allowed_failures_until_the_oldest_leaves_the_window() {
        throttle.failed("192.0.2.1");
        clock.advance(Duration.ofMinutes(4));
        throttle.failed("192.0.2.1");
        assertThat(throttle.blockedFor("192.0.2.1")).isEmpty();
        throttle.failed("192.0.2.1");

        assertThat(throttle.blockedFor("192.0.2.1")).contains(Duration.ofMinutes(6));
        clock.advance(Duration.ofMinutes(6));
        assertThat(throttle.blockedFor("192.0.2.1")).isEmpty();
    }

    @Test
    void counts_each_address_apart() {
        for (int i = 0; i < 3; i++) throttle.failed("192.0.2.1");

        assertThat(throttle.blockedFor("192.0.2.1")).isPresent();
        assertThat(throttle.blockedFor("192.0.2.2")).isEmpty();
        assertThat(throttle.blockedFor("2001:db8::1")).isEmpty();
    }

    @Test
    void a_success_clears_the_record() {
        throttle.failed("192.0.2.1");
        throttle.failed("192.0.2.1");
        throttle.succeeded("192.0.2.1");
        throttle.failed("192.0.2.1");
        throttle.failed("192.0.2.1");

        assertThat(throttle.blockedFor("192.0.2.1")).isEmpty();
    }
}
