package greyrelay.db.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.db.Database;
import greyrelay.db.testing.ClassDatabase;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the admin stores promise ({@link AdminUsers}, {@link AuditLog}, {@link ApiTokens}), run against H2
 * ({@link H2AdminStoresTest}) and PostgreSQL ({@link PostgresAdminStoresTest}). Tables are emptied before each test.
 */
abstract class AdminStoresContract {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
    static final String TOKEN_HASH = "a".repeat(64);

    private final ClassDatabase db;

    AdminUsers users;
    AuditLog audit;
    ApiTokens tokens;

    AdminSessions sessions;
    LoginFailures failures;

    AdminStoresContract(ClassDatabase db) {
        this.db = db;
    }

    Database database() {
        return db.database();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        db.deleteAllRows("admin_user", "admin_audit", "admin_api_token", "admin_session", "admin_login_failure");
        users = new AdminUsers(database());
        audit = new AuditLog(database());
        tokens = new ApiTokens(database());
        sessions = new AdminSessions(database());
        failures = new LoginFailures(database());
    }

    @Test
    void creates_a_user_and_finds_it_by_exact_name() {
        assertThat(users.create("admin", HASH, T0)).isTrue();

        AdminUser found = users.find("admin").orElseThrow();
        assertThat(found.passwordHash()).isEqualTo(HASH);
        assertThat(found.createdAt()).isEqualTo(T0);
        assertThat(found.passwordChangedAt()).isEqualTo(T0);
        assertThat(found.lastLoginAt()).isNull();
        assertThat(users.find("Admin")).isEmpty();
        assertThat(found.toString()).doesNotContain(HASH);
    }

    @Test
    void refuses_a_second_user_with_the_same_name() {
        users.create("admin", HASH, T0);

        assertThat(users.create("admin", "other", T0.plusSeconds(1))).isFalse();
        assertThat(users.find("admin").orElseThrow().passwordHash()).isEqualTo(HASH);
        assertThat(users.count()).isEqualTo(1);
    }

    @Test
    void creates_the_first_user_only_while_there_is_none() {
        assertThat(users.createFirst("admin", HASH, T0, true)).isTrue();
        assertThat(users.createFirst("second", HASH, T0, false)).isFalse();
        assertThat(users.createFirst("admin", HASH, T0, false)).isFalse();

        assertThat(users.list()).extracting(AdminUser::username).containsExactly("admin");
        assertThat(users.find("admin").orElseThrow().mustChangePassword()).isTrue();
    }

    @Test
    void a_new_password_is_no_longer_to_be_changed() {
        users.createFirst("admin", HASH, T0, true);

        users.updatePassword("admin", "chosen-hash", T0.plusSeconds(60));

        assertThat(users.find("admin").orElseThrow().mustChangePassword()).isFalse();
        users.create("jane", HASH, T0);
        assertThat(users.find("jane").orElseThrow().mustChangePassword()).isFalse();
    }

    @Test
    void changes_a_password_and_records_logins() {
        users.create("jane", HASH, T0);

        assertThat(users.updatePassword("jane", "new-hash", T0.plusSeconds(60))).isTrue();
        assertThat(users.recordLogin("jane", T0.plusSeconds(120))).isTrue();
        assertThat(users.updatePassword("nobody", "x", T0)).isFalse();
        assertThat(users.recordLogin("nobody", T0)).isFalse();

        AdminUser jane = users.find("jane").orElseThrow();
        assertThat(jane.passwordHash()).isEqualTo("new-hash");
        assertThat(jane.passwordChangedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(jane.lastLoginAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(jane.createdAt()).isEqualTo(T0);
    }

    @Test
    void deletes_a_user_and_lists_the_rest_by_name() {
        users.create("zed", HASH, T0);
        users.create("amy", HASH, T0);
        users.create("bob", HASH, T0);

        assertThat(users.delete("bob")).isTrue();
        assertThat(users.delete("bob")).isFalse();
        assertThat(users.list()).extracting(AdminUser::username).containsExactly("amy", "zed");
    }

    @Test
    void refuses_an_empty_or_over_long_username() {
        assertThatThrownBy(() -> users.create(" ", HASH, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> users.create("x".repeat(65), HASH, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appends_audit_entries_and_searches_them_newest_first() {
        audit.append(AuditEntry.of(T0, "admin", "login", null, null, "192.0.2.1", "mx1"));
        audit.append(AuditEntry.of(T0.plusSeconds(60), "admin", "queue.retry", "0ABC123DEF", "retry now", "192.0.2.1", "mx1"));
        audit.append(AuditEntry.of(T0.plusSeconds(120), "token:backup", "queue.delete", "0ABC123XYZ", null, "192.0.2.2", "mx2"));

        List<AuditEntry> all = audit.search(AuditQuery.newest(10));
        assertThat(all).extracting(AuditEntry::action).containsExactly("queue.delete", "queue.retry", "login");
        assertThat(all.get(1)).isEqualTo(new AuditEntry(all.get(1).id(), T0.plusSeconds(60), "admin", "queue.retry",
                "0ABC123DEF", "retry now", "192.0.2.1", "mx1"));
    }

    @Test
    void filters_the_audit_log_by_text_action_prefix_and_time() {
        audit.append(AuditEntry.of(T0, "admin", "login", null, null, null, "mx1"));
        audit.append(AuditEntry.of(T0.plusSeconds(60), "Jane", "queue.retry", "Q1", null, null, "mx1"));
        audit.append(AuditEntry.of(T0.plusSeconds(120), "admin", "queue.delete", "Q2", "100% gone", null, "mx1"));

        assertThat(audit.search(new AuditQuery("jane", null, null, null, 10, 0))).extracting(AuditEntry::target).containsExactly("Q1");
        assertThat(audit.search(new AuditQuery("100%", null, null, null, 10, 0))).extracting(AuditEntry::target).containsExactly("Q2");
        assertThat(audit.search(new AuditQuery(null, "queue.", null, null, 10, 0))).hasSize(2);
        assertThat(audit.search(new AuditQuery(null, "login", null, null, 10, 0))).hasSize(1);
        assertThat(audit.search(new AuditQuery(null, null, T0.plusSeconds(60), T0.plusSeconds(120), 10, 0)))
                .extracting(AuditEntry::target).containsExactly("Q1");
        assertThat(audit.search(new AuditQuery(null, null, null, null, 1, 1))).extracting(AuditEntry::target).containsExactly("Q1");
    }

    @Test
    void cuts_over_long_audit_text_and_replaces_nul_instead_of_failing() {
        audit.append(AuditEntry.of(T0, "x".repeat(500), "login.failed", "t\0t", "d".repeat(5000), null, null));

        AuditEntry found = audit.search(AuditQuery.newest(1)).get(0);
        assertThat(found.actor()).hasSize(128);
        assertThat(found.detail()).hasSize(2000);
        assertThat(found.target()).isEqualTo("t\uFFFDt");
    }

    @Test
    void creates_api_tokens_finds_them_by_hash_and_revokes_them_by_name() {
        ApiToken created = tokens.create("backup", TOKEN_HASH, "admin", T0).orElseThrow();

        assertThat(tokens.findByHash(TOKEN_HASH)).contains(created);
        assertThat(tokens.findByName("backup")).contains(created);
        assertThat(tokens.create("backup", "b".repeat(64), "admin", T0)).isEmpty();
        tokens.touch(created.id(), T0.plusSeconds(5));
        assertThat(tokens.list()).extracting(ApiToken::lastUsedAt).containsExactly(T0.plusSeconds(5));
        assertThat(tokens.delete("backup")).isTrue();
        assertThat(tokens.delete("backup")).isFalse();
        assertThat(tokens.findByHash(TOKEN_HASH)).isEmpty();
    }

    @Test
    void users_and_tokens_are_admins_unless_made_viewers_and_a_user_keeps_a_time_display() {
        users.createFirst("admin", HASH, T0, false);
        users.create("vera", HASH, T0, AdminRole.VIEWER);

        assertThat(users.find("admin").orElseThrow().role()).isEqualTo(AdminRole.ADMIN);
        assertThat(users.find("vera").orElseThrow().role()).isEqualTo(AdminRole.VIEWER);
        assertThat(users.count(AdminRole.ADMIN)).isEqualTo(1);
        assertThat(users.updateRole("vera", AdminRole.ADMIN)).isTrue();
        assertThat(users.updateRole("nobody", AdminRole.ADMIN)).isFalse();
        assertThat(users.count(AdminRole.ADMIN)).isEqualTo(2);

        assertThat(users.find("vera").orElseThrow().localTime()).isFalse();
        assertThat(users.updateLocalTime("vera", true)).isTrue();
        assertThat(users.find("vera").orElseThrow().localTime()).isTrue();
        assertThat(users.find("admin").orElseThrow().localTime()).isFalse();

        assertThat(tokens.create("backup", TOKEN_HASH, "admin", T0).orElseThrow().role()).isEqualTo(AdminRole.ADMIN);
        ApiToken viewer = tokens.create("grafana", "c".repeat(64), "admin", T0, AdminRole.VIEWER).orElseThrow();
        assertThat(tokens.findByName("grafana")).contains(viewer);
        assertThat(viewer.role()).isEqualTo(AdminRole.VIEWER);
    }

    @Test
    void the_database_refuses_a_role_it_does_not_know() {
        users.create("jane", HASH, T0);

        assertThatThrownBy(() -> new greyrelay.db.Jdbc(database().dataSource()).update("test", "UPDATE admin_user SET role = 'root'",
                greyrelay.db.Jdbc.NO_PARAMETERS)).isInstanceOf(RuntimeException.class);
        assertThat(users.find("jane").orElseThrow().role()).isEqualTo(AdminRole.ADMIN);
    }

    @Test
    void refuses_a_token_hash_that_is_not_a_sha256() {
        assertThatThrownBy(() -> tokens.create("x", "secret-in-clear", "admin", T0)).isInstanceOf(IllegalArgumentException.class);
    }

    static final String SESSION = "b".repeat(64);

    @Test
    void a_session_made_through_one_pool_is_found_through_another_until_it_expires() {
        sessions.create(new AdminSession(SESSION, "admin", "192.0.2.7", "mx1", T0, T0, T0.plusSeconds(3600)));
        AdminSessions otherNode = new AdminSessions(db.secondNode());

        assertThat(otherNode.find(SESSION, T0.plusSeconds(10))).hasValueSatisfying(s -> {
            assertThat(s.username()).isEqualTo("admin");
            assertThat(s.clientIp()).isEqualTo("192.0.2.7");
            assertThat(s.createdAt()).isEqualTo(T0);
        });
        assertThat(otherNode.find(SESSION, T0.plusSeconds(3600))).isEmpty();
        assertThat(otherNode.touch(SESSION, T0.plusSeconds(3000), T0.plusSeconds(6600))).isTrue();
        assertThat(sessions.find(SESSION, T0.plusSeconds(3600))).isPresent();
        assertThat(sessions.find("c".repeat(64), T0)).isEmpty();
        assertThat(sessions.find("not-a-hash", T0)).isEmpty();
    }

    @Test
    void deletes_a_session_a_users_sessions_and_expired_ones() {
        sessions.create(new AdminSession(SESSION, "admin", null, null, T0, T0, T0.plusSeconds(60)));
        sessions.create(new AdminSession("c".repeat(64), "jane", null, null, T0, T0, T0.plusSeconds(60)));
        sessions.create(new AdminSession("d".repeat(64), "jane", null, null, T0, T0, T0.plusSeconds(7200)));
        sessions.create(new AdminSession("e".repeat(64), "bob", null, null, T0, T0, T0.plusSeconds(7200)));

        assertThat(new AdminSessions(db.secondNode()).delete(SESSION)).isTrue();
        assertThat(sessions.delete(SESSION)).isFalse();
        assertThat(sessions.deleteUser("jane")).isEqualTo(2);
        assertThat(sessions.count()).isEqualTo(1);
        sessions.create(new AdminSession("f".repeat(64), "old", null, null, T0, T0, T0.plusSeconds(10)));
        assertThat(sessions.deleteExpired(T0.plusSeconds(3600), 100)).isEqualTo(1);
        assertThat(sessions.find("e".repeat(64), T0)).isPresent();
    }

    @Test
    void a_flash_message_is_shown_once_on_any_node() {
        sessions.create(new AdminSession(SESSION, "admin", null, null, T0, T0, T0.plusSeconds(60)));

        sessions.flash(SESSION, "Added 192.0.2.0/24.");

        AdminSessions otherNode = new AdminSessions(db.secondNode());
        assertThat(otherNode.takeFlash(SESSION)).hasValue("Added 192.0.2.0/24.");
        assertThat(sessions.takeFlash(SESSION)).isEmpty();
    }

    @Test
    void refuses_a_session_id_in_clear() {
        assertThatThrownBy(() -> new AdminSession("secret-cookie-value", "admin", null, null, T0, T0, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void counts_failures_per_subject_within_a_window_on_every_node() {
        for (int i = 0; i < 5; i++) failures.record("user:admin", T0.plusSeconds(i * 10));
        failures.record("ip:192.0.2.7", T0);
        LoginFailures otherNode = new LoginFailures(db.secondNode());

        assertThat(otherNode.nthLatest("user:admin", T0.minusSeconds(1), 1)).hasValue(T0.plusSeconds(40));
        assertThat(otherNode.nthLatest("user:admin", T0.minusSeconds(1), 5)).hasValue(T0);
        assertThat(otherNode.nthLatest("user:admin", T0.minusSeconds(1), 6)).isEmpty();
        assertThat(otherNode.nthLatest("user:admin", T0.plusSeconds(15), 3)).hasValue(T0.plusSeconds(20));
        assertThat(otherNode.nthLatest("user:admin", T0.plusSeconds(15), 4)).isEmpty();

        otherNode.clear("user:admin");
        assertThat(failures.nthLatest("user:admin", T0.minusSeconds(1), 1)).isEmpty();
        assertThat(failures.nthLatest("ip:192.0.2.7", T0.minusSeconds(1), 1)).hasValue(T0);
        assertThat(failures.deleteOlderThan(T0, 100)).isEqualTo(1);
        assertThat(failures.nthLatest("ip:192.0.2.7", T0.minusSeconds(1), 1)).isEmpty();
    }
}
