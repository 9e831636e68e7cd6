package greyrelay.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.AdminServer;
import greyrelay.admin.testing.FakeQueue;
import greyrelay.db.admin.AdminSessions;
import greyrelay.db.testing.ClassDatabase;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two panels (two nodes) on one database: a session made on one is valid on the other, CSRF works across them, it
 * survives a restart, logout on either ends it everywhere, and failed logins count on both. On H2
 * ({@link H2SharedSessionsTest}: both apps on the one file) and PostgreSQL ({@link PostgresSharedSessionsTest}: two pools).
 */
abstract class SharedSessionsContract {
    private final ClassDatabase db;

    SharedSessionsContract(ClassDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void empty() throws SQLException {
        db.deleteAllRows("admin_session", "admin_login_failure", "admin_audit", "admin_user");
    }

    AdminServer node(greyrelay.db.Database database) {
        return AdminServer.start(database, false, AdminServer.settings(), new FakeQueue(), b -> {});
    }

    @Test
    void a_session_made_on_one_node_works_on_the_other_and_survives_a_restart() {
        AdminServer a = node(db.database());
        AdminServer.Session s;
        try (AdminServer b = node(db.secondNode())) {
            s = a.login();

            assertThat(b.get("/decisions", s).statusCode()).isEqualTo(200);
            assertThat(b.get("/decisions", s).body()).contains("content=\"" + s.csrf() + "\"");
            assertThat(b.json("POST", "/api/tokens", new AdminServer.Session(s.cookie(), "forged"), "{\"name\":\"x\"}").statusCode())
                    .isEqualTo(403);
            assertThat(b.json("POST", "/api/tokens", s, "{\"name\":\"made-on-b\"}").statusCode()).isEqualTo(201);
            assertThat(new AdminSessions(db.database()).count()).isEqualTo(1);
        } finally {
            a.close();
        }

        try (AdminServer restarted = node(db.database())) {
            assertThat(restarted.get("/decisions", s).statusCode()).as("after a restart").isEqualTo(200);
        }
    }

    @Test
    void logout_on_one_node_ends_the_session_on_both() {
        try (AdminServer a = node(db.database()); AdminServer b = node(db.secondNode())) {
            AdminServer.Session s = a.login();

            assertThat(b.postForm("/logout", s, Map.of()).statusCode()).isEqualTo(303);

            assertThat(new AdminSessions(db.database()).count()).isZero();
            assertThat(a.get("/decisions", s).statusCode()).isEqualTo(303);
            assertThat(b.get("/api/decisions", s).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void an_idle_session_expires_on_every_node() {
        try (AdminServer a = node(db.database()); AdminServer b = node(db.secondNode())) {
            AdminServer.Session s = a.login();
            b.clock.advance(Duration.ofMinutes(61));

            assertThat(b.get("/api/decisions", s).statusCode()).isEqualTo(401);
            assertThat(a.get("/api/decisions", s).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void failed_logins_on_both_nodes_add_up() {
        try (AdminServer a = node(db.database()); AdminServer b = node(db.secondNode())) {
            for (int i = 0; i < 5; i++) {
                AdminServer node = i % 2 == 0 ? a : b;
                assertThat(TrustedProxiesTest.attempt(node, "-", "admin", "wrong " + i).statusCode()).isEqualTo(401);
            }

            assertThat(TrustedProxiesTest.attempt(a, "-", "admin", AdminServer.PASSWORD).statusCode()).isEqualTo(429);
            assertThat(TrustedProxiesTest.attempt(b, "-", "admin", AdminServer.PASSWORD).statusCode()).isEqualTo(429);
        }
    }
}
