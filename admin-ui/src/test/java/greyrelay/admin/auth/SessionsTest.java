package greyrelay.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionsTest {
    final MutableClock clock = new MutableClock();
    final Sessions sessions = new Sessions(clock, Duration.ofMinutes(30));

    @Test
    void gives_each_session_its_own_unguessable_id_and_csrf_token() {
        Sessions.Session a = sessions.create("admin");
        Sessions.Session b = sessions.create("admin");

        assertThat(a.id()).isNotEqualTo(b.id()).hasSize(43);
        assertThat(a.csrfToken()).isNotEqualTo(b.csrfToken()).isNotEqualTo(a.id()).hasSize(43);
    }

    @Test
    void keeps_a_session_alive_while_it_is_used_and_ends_it_after_the_idle_timeout() {
        Sessions.Session s = sessions.create("admin");

        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.touch(s.id())).isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.touch(s.id())).isPresent();
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.touch(s.id())).isEmpty();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void ends_even_a_busy_session_after_the_maximum_lifetime() {
        Sessions.Session s = sessions.create("admin");
        for (int i = 0; i < Sessions.MAX_LIFETIME.toMinutes() / 20 - 1; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(sessions.touch(s.id())).isPresent();
        }
        clock.advance(Duration.ofMinutes(20));

        assertThat(sessions.touch(s.id())).isEmpty();
    }

    @Test
    void ends_every_session_of_a_user_at_once() {
        Sessions.Session a = sessions.create("jane");
        Sessions.Session b = sessions.create("jane");
        Sessions.Session c = sessions.create("admin");

        sessions.invalidateUser("jane");

        assertThat(sessions.touch(a.id())).isEmpty();
        assertThat(sessions.touch(b.id())).isEmpty();
        assertThat(sessions.touch(c.id())).isPresent();
    }

    @Test
    void shows_a_flash_message_once() {
        Sessions.Session s = sessions.create("admin");
        sessions.flash(s.id(), "Done.");

        assertThat(sessions.takeFlash(s.id())).contains("Done.");
        assertThat(sessions.takeFlash(s.id())).isEmpty();
        sessions.flash("no-such-session", "lost");
        assertThat(sessions.takeFlash("no-such-session")).isEmpty();
    }

    @Test
    void answers_unknown_null_and_empty_ids_with_nothing() {
        assertThat(sessions.touch(null)).isEmpty();
        assertThat(sessions.touch("")).isEmpty();
        assertThat(sessions.touch("forged")).isEmpty();
    }
}
