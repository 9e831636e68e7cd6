package greyrelay.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.audit.Actor;
import greyrelay.admin.testing.MutableClock;
import greyrelay.db.Database;
import greyrelay.db.admin.AdminUser;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import greyrelay.db.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminAccountsTest {
    static final Actor CLI = new Actor("cli:root", null);

    @TempDir
    static Path dir;
    static Database db;
    AdminAccounts accounts;

    @BeforeAll
    static void open() {
        db = TestDatabases.h2(dir);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM admin_user");
            s.executeUpdate("DELETE FROM admin_audit");
        }
        accounts = AdminAccounts.open(db, new MutableClock(), "mx1.example.com");
    }

    @Test
    void creates_the_first_user_with_a_generated_password_shown_once() {
        String password = accounts.ensureFirstUser("").orElseThrow();

        assertThat(password).matches("[a-zA-Z2-9]{5}(-[a-zA-Z2-9]{5}){3}");
        assertThat(accounts.authenticate("admin", password)).contains("admin");
        assertThat(accounts.ensureFirstUser("")).isEmpty();
        assertThat(accounts.find("admin").orElseThrow().mustChangePassword()).isTrue();
        assertThat(new AuditLog(db).search(AuditQuery.newest(10))).extracting(AuditEntry::actor, AuditEntry::action)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("system", "user.add"));
        assertThat(new AuditLog(db).search(AuditQuery.newest(10)).get(0).detail()).doesNotContain(password);
    }

    @Test
    void creates_the_first_user_with_the_configured_password_and_returns_nothing_to_print() {
        assertThat(accounts.ensureFirstUser("configured password")).isEmpty();

        assertThat(accounts.authenticate("admin", "configured password")).contains("admin");
        assertThat(accounts.find("admin").orElseThrow().mustChangePassword()).isFalse();
    }

    @Test
    void a_password_set_by_an_operator_is_not_to_be_changed() {
        accounts.ensureFirstUser("");
        accounts.add("jane", "jane's long password", CLI);

        assertThat(accounts.changePassword("admin", "the operator's password", CLI)).isEqualTo(new AdminAccounts.Result.Done("admin"));

        assertThat(accounts.find("admin").orElseThrow().mustChangePassword()).isFalse();
        assertThat(accounts.find("jane").orElseThrow().mustChangePassword()).isFalse();
    }

    @Test
    void leaves_existing_users_alone_on_later_starts() {
        accounts.add("jane", "jane's long password", CLI);

        assertThat(accounts.ensureFirstUser("configured password")).isEmpty();
        assertThat(accounts.list()).extracting(AdminUser::username).containsExactly("jane");
    }

    @Test
    void refuses_bad_names_short_passwords_and_duplicates() {
        assertThat(accounts.add("Jane Doe", "long enough password", CLI)).isInstanceOf(AdminAccounts.Result.Invalid.class);
        assertThat(accounts.add("jane", "short", CLI)).isEqualTo(new AdminAccounts.Result.Invalid("password", "at least 10 characters"));
        assertThat(accounts.add("Jane", "long enough password", CLI)).isEqualTo(new AdminAccounts.Result.Done("jane"));
        assertThat(accounts.add("jane", "long enough password", CLI)).isInstanceOf(AdminAccounts.Result.Invalid.class);
    }

    @Test
    void never_deletes_the_last_user() {
        accounts.add("jane", "long enough password", CLI);
        accounts.add("bob", "long enough password", CLI);

        assertThat(accounts.delete("bob", CLI)).isEqualTo(new AdminAccounts.Result.Done("bob"));
        assertThat(accounts.delete("jane", CLI)).isInstanceOf(AdminAccounts.Result.Conflict.class);
        assertThat(accounts.delete("nobody", CLI)).isInstanceOf(AdminAccounts.Result.NotFound.class);
    }

    @Test
    void changes_a_password_and_audits_every_change_without_the_password() {
        accounts.add("jane", "long enough password", CLI);

        assertThat(accounts.changePassword("jane", "another long password", CLI)).isEqualTo(new AdminAccounts.Result.Done("jane"));

        assertThat(accounts.authenticate("jane", "long enough password")).isEmpty();
        assertThat(accounts.authenticate("jane", "another long password")).contains("jane");
        assertThat(new AuditLog(db).search(AuditQuery.newest(10))).extracting(AuditEntry::action)
                .containsExactly("user.password", "user.add");
        assertThat(new AuditLog(db).search(AuditQuery.newest(10)).toString()).doesNotContain("long enough password");
    }
}
