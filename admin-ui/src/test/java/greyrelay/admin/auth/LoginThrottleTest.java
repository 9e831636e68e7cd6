package greyrelay.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.MutableClock;
import greyrelay.db.Database;
import greyrelay.db.admin.LoginFailures;
import greyrelay.db.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The throttle over a real H2 file: 3 failures per address, 5 per account, in 10 minutes. */
class LoginThrottleTest {
    final MutableClock clock = new MutableClock();
    @TempDir
    Path dir;
    Database db;
    LoginThrottle throttle;

    @BeforeEach
    void open() {
        db = TestDatabases.h2(dir);
        throttle = new LoginThrottle(new LoginFailures(db), clock, 3, 5, Duration.ofMinutes(10));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void blocks_an_address_after_the_allowed_failures_until_the_oldest_leaves_the_window() {
        throttle.failed("192.0.2.1", "jane");
        clock.advance(Duration.ofMinutes(4));
        throttle.failed("192.0.2.1", "jane");
        assertThat(throttle.blockedFor("192.0.2.1", "jane")).isEmpty();
        throttle.failed("192.0.2.1", "jane");

        assertThat(throttle.blockedFor("192.0.2.1", "jane")).map(LoginThrottle.Blocked::retryAfter).contains(Duration.ofMinutes(6));
        clock.advance(Duration.ofMinutes(6));
        assertThat(throttle.blockedFor("192.0.2.1", "jane")).isEmpty();
    }

    @Test
    void counts_each_address_apart() {
        for (int i = 0; i < 3; i++) throttle.failed("192.0.2.1", "jane");

        assertThat(throttle.blockedFor("192.0.2.1", "jane")).isPresent();
        assertThat(throttle.blockedFor("192.0.2.2", "jane")).isEmpty();
        assertThat(throttle.blockedFor("2001:db8::1", "jane")).isEmpty();
    }

    @Test
    void a_success_clears_the_record() {
        throttle.failed("192.0.2.1", "jane");
        throttle.failed("192.0.2.1", "jane");
        throttle.succeeded("192.0.2.1", "jane");
        throttle.failed("192.0.2.1", "jane");
        throttle.failed("192.0.2.1", "jane");

        assertThat(throttle.blockedFor("192.0.2.1", "jane")).isEmpty();
    }

    @Test
    void blocks_an_account_guessed_from_many_addresses_but_not_the_other_accounts() {
        for (int i = 1; i <= 5; i++) {
            assertThat(throttle.blockedFor("198.51.100." + i, "Admin")).isEmpty();
            throttle.failed("198.51.100." + i, "Admin");
        }

        assertThat(throttle.blockedFor("203.0.113.9", "admin")).hasValueSatisfying(b -> {
            assertThat(b.account()).isTrue();
            assertThat(b.retryAfter()).isEqualTo(Duration.ofMinutes(10));
        });
        assertThat(throttle.blockedFor("203.0.113.9", "jane")).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(throttle.blockedFor("203.0.113.9", "admin")).isEmpty();
    }

    @Test
    void a_success_clears_the_account_as_well_as_the_address() {
        for (int i = 1; i <= 4; i++) throttle.failed("198.51.100." + i, "admin");
        throttle.succeeded("203.0.113.9", "admin");
        throttle.failed("198.51.100.1", "admin");

        assertThat(throttle.blockedFor("203.0.113.9", "admin")).isEmpty();
    }
}
