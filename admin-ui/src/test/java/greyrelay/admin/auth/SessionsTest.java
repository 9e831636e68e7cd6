package greyrelay.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.MutableClock;
import greyrelay.db.Database;
import greyrelay.db.admin.AdminSessions;
import greyrelay.db.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions over a real H2 file: what the gate relies on. Sharing between nodes: {@code SharedSessionsTest}. */
class SessionsTest {
    final MutableClock clock = new MutableClock();
    @TempDir
    Path dir;
    Database db;
    AdminSessions store;
    Sessions sessions;

    @BeforeEach
    void open() {
        db = TestDatabases.h2(dir);
        store = new AdminSessions(db);
        sessions = new Sessions(store, clock, Duration.ofMinutes(30), "mx1");
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void gives_each_session_its_own_unguessable_id_and_csrf_token() {
        Sessions.Session a = sessions.create("admin", "192.0.2.7");
        Sessions.Session b = sessions.create("admin", "192.0.2.7");

        assertThat(a.id()).isNotEqualTo(b.id()).hasSize(43);
        assertThat(a.csrfToken()).isNotEqualTo(b.csrfToken()).isNotEqualTo(a.id()).hasSize(43);
    }

    @Test
    void keeps_a_session_alive_while_it_is_used_and_ends_it_after_the_idle_timeout() {
        Sessions.Session s = sessions.create("admin", "192.0.2.7");

        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.touch(s.id())).isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.touch(s.id())).isPresent();
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.touch(s.id())).isEmpty();
        sessions.create("jane", null);
        assertThat(store.count()).as("expired rows go at the next login").isEqualTo(1);
    }

    @Test
    void ends_even_a_busy_session_after_the_maximum_lifetime() {
        Sessions.Session s = sessions.create("admin", "192.0.2.7");
        for (int i = 0; i < Sessions.MAX_LIFETIME.toMinutes() / 20 - 1; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(sessions.touch(s.id())).isPresent();
        }
        clock.advance(Duration.ofMinutes(20));

        assertThat(sessions.touch(s.id())).isEmpty();
    }

    @Test
    void ends_every_session_of_a_user_at_once() {
        Sessions.Session a = sessions.create("jane", "192.0.2.7");
        Sessions.Session b = sessions.create("jane", "192.0.2.7");
        Sessions.Session c = sessions.create("admin", "192.0.2.7");

        sessions.invalidateUser("jane");

        assertThat(sessions.touch(a.id())).isEmpty();
        assertThat(sessions.touch(b.id())).isEmpty();
        assertThat(sessions.touch(c.id())).isPresent();
    }

    @Test
    void shows_a_flash_message_once() {
        Sessions.Session s = sessions.create("admin", "192.0.2.7");
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

    @Test
    void stores_only_a_sha256_of_the_id_and_deletes_the_row_at_logout() {
        Sessions.Session s = sessions.create("admin", "192.0.2.7");

        assertThat(store.find(s.id(), clock.instant())).isEmpty();
        assertThat(store.find(Sessions.hash(s.id()), clock.instant())).hasValueSatisfying(row -> {
            assertThat(row.username()).isEqualTo("admin");
            assertThat(row.clientIp()).isEqualTo("192.0.2.7");
            assertThat(row.node()).isEqualTo("mx1");
        });
        assertThat(Sessions.hash(s.id())).hasSize(64).doesNotContain(s.id());
        assertThat(s.toString()).doesNotContain(s.id()).doesNotContain(s.csrfToken());

        sessions.invalidate(s.id());

        assertThat(store.count()).isZero();
        assertThat(sessions.touch(s.id())).isEmpty();
    }
}
