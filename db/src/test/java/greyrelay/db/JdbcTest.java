package greyrelay.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.db.testing.ClassDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared JDBC mechanics ({@link Jdbc}, {@link Where}, {@link Columns}, {@link Paging}), on a real H2. */
class JdbcTest {

    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.h2();

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** Only the NOT NULL columns of decision_log: enough to make a row, or (phase null) to fail one. */
    static final String INSERT = "INSERT INTO decision_log (decided_at, phase, check_name, outcome, observe)"
            + " VALUES (?, ?, 'greylist', 'ACCEPTED', FALSE)";

    Jdbc jdbc;

    @BeforeEach
    void empty() throws SQLException {
        db.deleteAllRows("decision_log", "admin_user");
        jdbc = new Jdbc(db.database().dataSource());
    }

    long rows() {
        return jdbc.count("count", "SELECT COUNT(*) FROM decision_log", Jdbc.NO_PARAMETERS);
    }

    @Test
    void escapes_like_wildcards_in_contains_patterns() {
        assertThat(Jdbc.containsPattern("A_b%c!d")).isEqualTo("%a!_b!%c!!d%");
        assertThat(Jdbc.likeEscape("Queue_1.")).as("no lower-casing").isEqualTo("Queue!_1.");
        assertThat(Jdbc.like("LOWER(sender)")).isEqualTo("LOWER(sender) LIKE ? ESCAPE '!'");
    }

    @Test
    void like_patterns_match_wildcards_literally_on_the_database() {
        String sql = "SELECT CASE WHEN " + Jdbc.like("CAST(? AS VARCHAR)") + " THEN 1 ELSE 0 END";
        assertThat(matches(sql, "a%b_c!d", Jdbc.containsPattern("%B_C!"))).isTrue();
        assertThat(matches(sql, "axbycd", Jdbc.containsPattern("%B_C!"))).isFalse();
    }

    boolean matches(String sql, String text, String pattern) {
        return jdbc.query("like", sql, s -> {
            s.setString(1, text);
            s.setString(2, pattern);
        }, rows -> rows.next() && rows.getInt(1) == 1);
    }

    @Test
    void where_joins_the_given_conditions_and_puts_paging_last() {
        Where none = new Where();
        assertThat(none.sql()).isEmpty();
        assertThat(none.parameters(10, 0)).containsExactly(10, 0);

        Where two = new Where().and("a = ?", "x").and("b IS NOT NULL").and("(c < ? OR d < ?)", 1, 2);
        assertThat(two.sql()).isEqualTo(" WHERE a = ? AND b IS NOT NULL AND (c < ? OR d < ?)");
        assertThat(two.parameters(50, 100)).containsExactly("x", 1, 2, 50, 100);
        assertThat(two.parameters()).containsExactly("x", 1, 2);
    }

    static final String INSERT_ROWS = "INSERT INTO decision_log (decided_at, phase, check_name, outcome, observe) VALUES ";

    /** Rows of 5 values for {@link Jdbc#insertRows}: the phase carries the row's number, so order can be checked. */
    static void bindRow(java.sql.PreparedStatement s, int offset, String phase) throws SQLException {
        s.setObject(offset + 1, Jdbc.utc(T0));
        s.setString(offset + 2, phase);
        s.setString(offset + 3, "greylist");
        s.setString(offset + 4, "ACCEPTED");
        s.setBoolean(offset + 5, false);
    }

    @Test
    void insert_rows_stores_every_row_once_in_order_whatever_the_count() throws SQLException {
        for (int n : new int[] {0, 1, 3, 4, 23, 64, 87, 151}) {
            db.deleteAllRows("decision_log");
            List<String> given = java.util.stream.IntStream.range(0, n).mapToObj(i -> String.format("P%04d", i)).toList();

            jdbc.insertRows("test: cannot insert", INSERT_ROWS, 5, given, JdbcTest::bindRow);

            List<String> stored = jdbc.list("read", "SELECT phase FROM decision_log ORDER BY id", Jdbc.NO_PARAMETERS,
                    r -> r.getString(1));
            assertThat(stored).as("%d rows", n).isEqualTo(given);
        }
        jdbc.insertRows("test: nothing", "not even SQL", 5, List.<String>of(), JdbcTest::bindRow);
    }

    @Test
    void insert_rows_keeps_none_when_one_row_fails() {
        List<String> phases = new ArrayList<>(java.util.Collections.nCopies(70, "RCPT"));
        phases.set(68, null); // in the single-row statements after a 64-row and a 4-row one

        assertThatThrownBy(() -> jdbc.insertRows("test: cannot insert 70 rows", INSERT_ROWS, 5, phases, JdbcTest::bindRow))
                .isInstanceOf(DatabaseException.class).hasMessageStartingWith("test: cannot insert 70 rows: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(rows()).isZero();
    }

    @Test
    void a_transaction_rolls_back_on_a_runtime_failure_and_rethrows_it() {
        assertThatThrownBy(() -> jdbc.inTransaction("test: tx", c -> {
            Jdbc.update(c, INSERT, s -> {
                s.setObject(1, Jdbc.utc(T0));
                s.setString(2, "RCPT");
            });
            throw new IllegalStateException("changed my mind");
        })).isInstanceOf(IllegalStateException.class).hasMessage("changed my mind");
        assertThat(rows()).isZero();

        int written = jdbc.inTransaction("test: tx", c -> Jdbc.update(c, INSERT, s -> {
            s.setObject(1, Jdbc.utc(T0));
            s.setString(2, "RCPT");
        }));
        assertThat(written).isEqualTo(1);
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void a_failing_statement_becomes_a_one_line_database_exception_with_the_callers_words() {
        assertThatThrownBy(() -> jdbc.update("test: cannot frobnicate", "UPDATE no_such_table SET x = 1", Jdbc.NO_PARAMETERS))
                .isInstanceOf(DatabaseException.class).hasMessageStartingWith("test: cannot frobnicate: ")
                .hasCauseInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void instants_round_trip_as_utc_and_null_stays_null() {
        String sql = "SELECT CAST(? AS TIMESTAMP WITH TIME ZONE)";
        Instant at = T0.plusNanos(123_456_000);

        assertThat(jdbc.first("t", sql, s -> s.setObject(1, Jdbc.utc(at)), rows -> Jdbc.instant(rows, 1))).contains(at);
        Instant none = jdbc.query("t", sql, s -> s.setObject(1, Jdbc.utcOrNull(null)), rows -> {
            rows.next();
            return Jdbc.instant(rows, 1);
        });
        assertThat(none).isNull();
        assertThatThrownBy(() -> Jdbc.utc(null)).isInstanceOf(NullPointerException.class);
        assertThat(Jdbc.utc(at).getOffset().getTotalSeconds()).isZero();
    }

    @Test
    void binds_a_null_integer_as_sql_null() {
        String sql = "SELECT CAST(? AS INTEGER)";
        Integer none = jdbc.query("t", sql, s -> Jdbc.setInteger(s, 1, null), rows -> {
            rows.next();
            return rows.getObject(1, Integer.class);
        });
        assertThat(none).isNull();
        assertThat(jdbc.first("t", sql, s -> Jdbc.setInteger(s, 1, 451), rows -> rows.getInt(1))).contains(451);
    }

    @Test
    void recognises_a_duplicate_key() throws SQLException {
        String insert = "INSERT INTO admin_user (username, password_hash, created_at, password_changed_at) VALUES"
                + " ('admin', 'x', ?, ?)";
        Jdbc.Binder times = s -> {
            s.setObject(1, Jdbc.utc(T0));
            s.setObject(2, Jdbc.utc(T0));
        };
        jdbc.update("t", insert, times);

        try (Connection c = jdbc.connection()) {
            assertThatThrownBy(() -> Jdbc.update(c, insert, times)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(Jdbc.isUniqueViolation(e)).isTrue());
            assertThatThrownBy(() -> Jdbc.update(c, "UPDATE no_such_table SET x = 1", Jdbc.NO_PARAMETERS))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(Jdbc.isUniqueViolation(e)).isFalse());
        }
    }

    @Test
    void columns_cut_text_without_splitting_a_surrogate_pair_and_replace_nul() {
        assertThat(Columns.clean("h".repeat(300), 255)).isEqualTo("h".repeat(255));
        assertThat(Columns.clean("h".repeat(254) + "\uD83D\uDCE7tail", 255)).isEqualTo("h".repeat(254));
        assertThat(Columns.clean("a\0b", 255)).isEqualTo("a\uFFFDb");
        assertThat(Columns.clean(null, 255)).isNull();
        assertThat(Columns.micros(T0.plusNanos(1_234_567))).isEqualTo(T0.plusNanos(1_234_000));
        assertThat(Columns.micros(null)).isNull();
    }

    @Test
    void paging_checks_give_the_stores_messages() {
        assertThatThrownBy(() -> Paging.requirePage(0, 1000, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be 1..1000, got 0");
        assertThatThrownBy(() -> Paging.requirePage(10, 1000, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("offset must not be negative, got -1");
        assertThatThrownBy(() -> Paging.requireLimit(1001, 1000)).hasMessage("limit must be 1..1000, got 1001");
        assertThatThrownBy(() -> Paging.requireBatchSize(0)).hasMessage("batchSize must be at least 1, got 0");
        Paging.requirePage(1000, 1000, 0);
        Paging.requireBatchSize(1);
    }
}
