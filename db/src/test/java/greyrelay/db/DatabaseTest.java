package greyrelay.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.db.Database.SchemaLifetime;
import greyrelay.db.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    private static final Duration PING = Duration.ofSeconds(2);
    private static final String INSERT_ONE = "INSERT INTO decision_log (decided_at, phase, check_name, outcome,"
            + " observe) VALUES (TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00', 'RCPT', 'greylist', 'DEFERRED',"
            + " FALSE)";

    @TempDir
    Path temp;

    // --- H2 -----------------------------------------------------------------------------------------------------

    @Test
    void creates_the_h2_file_in_a_missing_data_dir() {
        Path dataDir = temp.resolve("data/nested");

        try (Database database = Database.open(DbSettings.embedded(dataDir))) {
            assertThat(database.dialect()).isEqualTo(Dialect.H2);
            assertThat(dataDir.resolve("greyrelay.mv.db")).isRegularFile();
            assertThat(database.toString()).isEqualTo("H2 file " + dataDir.toAbsolutePath().resolve("greyrelay"));
        }
    }

    @Test
    void applies_the_migrations_on_h2() throws SQLException {
        try (Database database = TestDatabases.h2(temp)) {
            assertThat(appliedVersions(database)).contains("1");
            assertThat(tables(database)).contains("decision_log");
        }
    }

    @Test
    void keeps_h2_data_across_close_and_reopen() throws SQLException {
        try (Database database = TestDatabases.h2(temp)) {
            execute(database, INSERT_ONE);
        }

        try (Database reopened = TestDatabases.h2(temp)) {
            assertThat(count(reopened, "SELECT COUNT(*) FROM decision_log")).isEqualTo(1);
            assertThat(count(reopened, "SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void pings_true_while_open_and_false_after_close() {
        Database database = TestDatabases.h2(temp);
        assertThat(database.ping(PING)).isTrue();
        assertThat(database.ping(Duration.ZERO)).isFalse();

        database.close();

        assertThat(database.ping(PING)).isFalse();
        database.close(); // twice is harmless
    }

    @Test
    void refuses_to_migrate_a_foreign_non_empty_database_in_one_line() throws SQLException {
        // a database that has tables but no Flyway history: not ours, so never touched
        Properties user = new Properties();
        user.setProperty("user", "sa");
        try (Connection connection = new org.h2.Driver().connect(Database.h2Url(temp), user);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE decision_log (x INTEGER)");
        }

        assertThatThrownBy(() -> Database.open(DbSettings.embedded(temp)))
                .isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("cannot migrate H2 file " + temp.toAbsolutePath().resolve("greyrelay") + ": ")
                .hasMessageContaining("no schema history table")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void refuses_a_data_dir_that_is_a_file() throws Exception {
        Path file = Files.writeString(temp.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> Database.open(DbSettings.embedded(file)))
                .isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("cannot create dataDir " + file.toAbsolutePath());
    }

    // --- settings and connection failures ------------------------------------------------------------------------

    @Test
    void refuses_a_url_that_is_neither_empty_nor_postgresql_naming_the_key() {
        assertThatThrownBy(() -> Database.open(new DbSettings("jdbc:mysql://db.example.com/mail?password=secret",
                "u", "p", temp, 2)))
                .isInstanceOf(DatabaseException.class)
                .hasMessage("database.url must be empty (embedded H2 in dataDir) or start with jdbc:postgresql:,"
                        + " got \"jdbc:mysql:\"");
    }

    @Test
    void refuses_a_pool_size_below_one_naming_the_key() {
        assertThatThrownBy(() -> new DbSettings("", "", "", temp, 0))
                .isInstanceOf(DatabaseException.class)
                .hasMessage("database.poolSize must be at least 1, got 0");
    }

    @Test
    void never_prints_the_password() {
        DbSettings settings = new DbSettings(TestDatabases.POSTGRES_URL, "relay", "s3cret", temp, 4);

        assertThat(settings.toString()).doesNotContain("s3cret").contains("password=********");
    }

    @Test
    void never_prints_a_password_the_url_carries_but_keeps_the_rest_readable() {
        DbSettings settings = new DbSettings("jdbc:postgresql://relay:hunter2@db.example.com:5432/mail?user=relay"
                + "&password=s3cret&sslmode=verify-full&sslpassword=k3y", "", "", temp, 4);

        assertThat(settings.toString()).doesNotContain("hunter2").doesNotContain("s3cret").doesNotContain("k3y")
                .contains("url=jdbc:postgresql://relay:********@db.example.com:5432/mail?user=relay&password=********"
                        + "&sslmode=verify-full&sslpassword=********");
        assertThat(DbSettings.maskedUrl("jdbc:postgresql://db.example.com/mail")).isEqualTo("jdbc:postgresql://db.example.com/mail");
        assertThat(DbSettings.maskedUrl("")).isEmpty();
    }

    @Test
    void reports_an_unreachable_postgresql_in_one_line() {
        DbSettings settings = new DbSettings("jdbc:postgresql://127.0.0.1:1/test", "postgres", "", temp, 2);

        assertThatThrownBy(() -> Database.open(settings))
                .isInstanceOf(DatabaseException.class)
                .hasMessage("cannot connect to PostgreSQL at 127.0.0.1:1: Connection refused");
    }

    @Test
    void allows_an_explicit_schema_only_for_postgresql_and_only_a_plain_name() {
        DbSettings postgres = TestDatabases.postgresSettings();

        assertThatThrownBy(() -> Database.openInSchema(DbSettings.embedded(temp), "t_x", SchemaLifetime.KEEP))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Database.openInSchema(postgres, "x\"; DROP TABLE y; --", SchemaLifetime.KEEP))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Database.openInSchema(postgres, "Upper", SchemaLifetime.KEEP))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- PostgreSQL (skipped when unreachable, failed with REQUIRE_POSTGRES=1) ------------------------------------

    @Test
    void applies_the_migrations_in_a_fresh_postgresql_schema() throws SQLException {
        try (Database database = TestDatabases.postgres()) {
            assertThat(database.dialect()).isEqualTo(Dialect.POSTGRESQL);
            assertThat(currentSchema(database)).startsWith("t_");
            assertThat(appliedVersions(database)).contains("1");
            assertThat(tables(database)).contains("decision_log");
            assertThat(database.ping(PING)).isTrue();
        }
    }

    @Test
    void drops_the_test_schema_on_close_and_pings_false() throws SQLException {
        Database database = TestDatabases.postgres();
        String schema = currentSchema(database);
        assertThat(schemaExists(schema)).isTrue();

        database.close();

        assertThat(schemaExists(schema)).isFalse();
        assertThat(database.ping(PING)).isFalse();
    }

    @Test
    void keeps_postgresql_data_across_close_and_reopen_in_a_kept_schema() throws SQLException {
        TestDatabases.requirePostgres();
        String schema = "t_keep_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        try (Database database = Database.openInSchema(TestDatabases.postgresSettings(), schema,
                SchemaLifetime.KEEP)) {
            execute(database, INSERT_ONE);
        }
        assertThat(schemaExists(schema)).isTrue();

        try (Database reopened = Database.openInSchema(TestDatabases.postgresSettings(), schema,
                SchemaLifetime.DROP_ON_CLOSE)) {
            assertThat(count(reopened, "SELECT COUNT(*) FROM decision_log")).isEqualTo(1);
            assertThat(count(reopened, "SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1'"))
                    .isEqualTo(1);
        }
        assertThat(schemaExists(schema)).isFalse();
    }

    @Test
    void isolates_two_postgresql_test_databases() throws SQLException {
        try (Database first = TestDatabases.postgres(); Database second = TestDatabases.postgres()) {
            execute(first, INSERT_ONE);

            assertThat(currentSchema(first)).isNotEqualTo(currentSchema(second));
            assertThat(count(first, "SELECT COUNT(*) FROM decision_log")).isEqualTo(1);
            assertThat(count(second, "SELECT COUNT(*) FROM decision_log")).isZero();
        }
    }

    @Test
    void refuses_a_foreign_postgresql_schema_and_drops_a_throwaway_one() throws SQLException {
        TestDatabases.requirePostgres();
        String schema = "t_foreign_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Properties props = new Properties();
        props.setProperty("user", TestDatabases.POSTGRES_USER);
        try (Connection connection = new org.postgresql.Driver().connect(TestDatabases.POSTGRES_URL, props);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            statement.execute("CREATE TABLE " + schema + ".decision_log (x INTEGER)");
        }

        assertThatThrownBy(() -> Database.openInSchema(TestDatabases.postgresSettings(), schema,
                SchemaLifetime.DROP_ON_CLOSE))
                .isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("cannot migrate PostgreSQL at 127.0.0.1:5432 schema " + schema + ": ")
                .hasMessageContaining("no schema history table")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(schemaExists(schema)).isFalse();
    }

    @Test
    void takes_the_user_from_the_url_when_database_user_is_empty() throws SQLException {
        TestDatabases.requirePostgres();
        DbSettings settings = new DbSettings(TestDatabases.POSTGRES_URL + "?user=" + TestDatabases.POSTGRES_USER,
                "", "", temp, 2);
        String schema = "t_url_user_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

        try (Database database = Database.openInSchema(settings, schema, SchemaLifetime.DROP_ON_CLOSE)) {
            assertThat(strings(database, "SELECT CURRENT_USER")).containsExactly(TestDatabases.POSTGRES_USER);
        }
        assertThat(schemaExists(schema)).isFalse();
    }

    @Test
    void reports_a_missing_postgresql_database_in_one_line() {
        TestDatabases.requirePostgres();
        DbSettings settings = new DbSettings("jdbc:postgresql://127.0.0.1:5432/greyrelay_no_such_db", "postgres",
                "", temp, 2);

        assertThatThrownBy(() -> Database.open(settings))
                .isInstanceOf(DatabaseException.class)
                .hasMessage("cannot connect to PostgreSQL at 127.0.0.1:5432:"
                        + " database \"greyrelay_no_such_db\" does not exist");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static List<String> appliedVersions(Database database) throws SQLException {
        return strings(database, "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL");
    }

    private static List<String> tables(Database database) throws SQLException {
        return strings(database, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = CURRENT_SCHEMA");
    }

    private static String currentSchema(Database database) throws SQLException {
        return strings(database, "SELECT CURRENT_SCHEMA").get(0);
    }

    private static boolean schemaExists(String schema) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", TestDatabases.POSTGRES_USER);
        try (Connection connection = new org.postgresql.Driver().connect(TestDatabases.POSTGRES_URL, props);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT COUNT(*) FROM pg_namespace WHERE nspname = '" + schema + "'")) {
            rows.next();
            return rows.getLong(1) == 1;
        }
    }

    private static List<String> strings(Database database, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static long count(Database database, String sql) throws SQLException {
        return Long.parseLong(strings(database, sql).get(0));
    }

    private static void execute(Database database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
