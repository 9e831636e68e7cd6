package greyrelay.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The JDBC mechanics the stores share, written once: a pooled connection per call, a {@link SQLException} turned into
 * a one-line {@link DatabaseException#failed}, transactions that roll back, batch inserts, and the portable-SQL rules
 * of {@code db/README.md} (instants bound as UTC {@link OffsetDateTime}, {@code LIKE} escaped with {@code '!'}).
 *
 * <p>For this module's stores only; it is public because they live in sub-packages. Other modules use the stores.
 * The {@code what} argument is the message prefix the caller's users see, e.g. {@code "probe log: search failed"}.
 * Thread-safe: it holds nothing but the pool.
 */
public final class Jdbc {

    /** The {@code LIKE} escape character: not the backslash, so no doubt about string-literal escaping on either database. */
    public static final char LIKE_ESCAPE = '!';

    /** SQLState of a duplicate key (unique constraint), on both databases. */
    public static final String UNIQUE_VIOLATION = "23505";

    /** Work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Sets the parameters of a statement. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Sets the parameters of a statement from one value (one row of a batch). */
    @FunctionalInterface
    public interface RowBinder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    /** Sets one row's values of a multi-row statement, after the first {@code offset} parameters. */
    @FunctionalInterface
    public interface OffsetBinder<T> {
        void bind(PreparedStatement statement, int offset, T row) throws SQLException;
    }

    /** Reads the current row of a result. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rows) throws SQLException;
    }

    /** Reads a whole result, from before its first row. */
    @FunctionalInterface
    public interface ResultReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** For statements without parameters. */
    public static final Binder NO_PARAMETERS = statement -> { };

    private final DataSource dataSource;

    public Jdbc(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    // ---- on a pooled connection; SQLException becomes DatabaseException.failed(what, e) ---------------------------

    /**
     * A connection from the pool, for work that must see the {@link SQLException} itself (for example to treat a
     * duplicate key as an answer). The caller closes it.
     */
    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Runs the work on one pooled connection (auto-commit on) and gives the connection back. */
    public <T> T withConnection(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw DatabaseException.failed(what, e);
        }
    }

    /** Runs the work in one transaction on one pooled connection: all or none (see {@link #transaction}). */
    public <T> T inTransaction(String what, Work<T> work) {
        return withConnection(what, connection -> transaction(connection, work));
    }

    /** One query: binds, executes and hands the whole result to the reader. */
    public <T> T query(String what, String sql, Binder binder, ResultReader<T> reader) {
        return withConnection(what, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                try (ResultSet rows = statement.executeQuery()) {
                    return reader.read(rows);
                }
            }
        });
    }

    /** Every row of a query, in the order the database returns them. */
    public <T> List<T> list(String what, String sql, Binder binder, RowMapper<T> mapper) {
        return query(what, sql, binder, rows -> {
            List<T> found = new ArrayList<>();
            while (rows.next()) {
                found.add(mapper.map(rows));
            }
            return found;
        });
    }

    /** The first row of a query, if there is one. */
    public <T> Optional<T> first(String what, String sql, Binder binder, RowMapper<T> mapper) {
        return query(what, sql, binder, rows -> rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty());
    }

    /** The number in the first column of the first row: for {@code SELECT COUNT(*) …}. */
    public long count(String what, String sql, Binder binder) {
        return query(what, sql, binder, rows -> {
            rows.next();
            return rows.getLong(1);
        });
    }

    /** One INSERT, UPDATE or DELETE in auto-commit; returns how many rows it changed. */
    public int update(String what, String sql, Binder binder) {
        return withConnection(what, connection -> update(connection, sql, binder));
    }

    /**
     * One bounded delete, {@code DELETE … WHERE key IN (SELECT key … WHERE <time column compared to ?> ORDER BY …
     * LIMIT ?)} (db/README.md: {@code DELETE … LIMIT} is not portable): binds {@code cutoff} as UTC, then
     * {@code batchSize}, and returns how many rows went. Cleanup jobs call it until it returns less than
     * {@code batchSize}.
     *
     * @throws IllegalArgumentException when {@code batchSize} is less than 1
     */
    public int deleteBatch(String what, String sql, Instant cutoff, int batchSize) {
        Paging.requireBatchSize(batchSize);
        return update(what, sql, statement -> {
            statement.setObject(1, utc(cutoff));
            statement.setInt(2, batchSize);
        });
    }

    // ---- on a connection the caller holds ------------------------------------------------------------------------

    /** One INSERT, UPDATE or DELETE on this connection; returns how many rows it changed. */
    public static int update(Connection connection, String sql, Binder binder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        }
    }

    /**
     * Rows per statement of {@link #insertRows}, largest first: a batch of n rows goes as few statements as these sizes
     * add up to (n = 23: 16 + 4 + 1 + 1 + 1), each statement text one of four, so the database keeps them prepared.
     */
    static final int[] ROWS_PER_STATEMENT = {64, 16, 4, 1};

    /**
     * Inserts {@code rows} with multi-row {@code INSERT … VALUES (…), (…)} statements in one transaction: all or none.
     * H2 runs a JDBC batch one row at a time, so one statement for many rows saves it the per-statement work per row
     * (PostgreSQL gains a little too). {@code insertInto} ends with {@code VALUES }; each row has {@code fields}
     * parameters. An empty list does nothing (no connection is taken).
     */
    public <T> void insertRows(String what, String insertInto, int fields, List<T> rows, OffsetBinder<T> binder) {
        if (rows.isEmpty()) return;
        inTransaction(what, connection -> {
            String row = "(" + String.join(", ", java.util.Collections.nCopies(fields, "?")) + ")";
            int from = 0;
            for (int size : ROWS_PER_STATEMENT) {
                int statements = (rows.size() - from) / size;
                if (statements == 0) continue;
                try (PreparedStatement insert = connection.prepareStatement(insertInto
                        + String.join(", ", java.util.Collections.nCopies(size, row)))) {
                    for (int n = 0; n < statements; n++, from += size) {
                        for (int k = 0; k < size; k++) binder.bind(insert, k * fields, rows.get(from + k));
                        if (statements == 1) insert.executeUpdate();
                        else insert.addBatch();
                    }
                    if (statements > 1) insert.executeBatch();
                }
            }
            return null;
        });
    }

    /**
     * Runs the work with auto-commit off and commits; on any failure rolls back and rethrows. A failing rollback is
     * added to the failure as suppressed, so it cannot hide why the work failed. Auto-commit is back on afterwards,
     * as the pool expects. The work may commit part-way itself (a long batch in chunks).
     */
    public static <T> T transaction(Connection connection, Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    // ---- values ----------------------------------------------------------------------------------------------------

    /** Binds the values in order, {@code setObject} each: for parameters collected while building the SQL. */
    public static Binder parameters(List<?> values) {
        return statement -> {
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
        };
    }

    /**
     * How an instant is bound: both drivers map {@link OffsetDateTime} to {@code TIMESTAMP WITH TIME ZONE}, and UTC
     * keeps what is stored easy to read. For values that must be there: null is the caller's bug and throws
     * {@link NullPointerException} here.
     */
    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** {@link #utc}, with null bound as SQL NULL: for nullable columns. */
    public static OffsetDateTime utcOrNull(Instant instant) {
        return instant == null ? null : utc(instant);
    }

    /**
     * Reads a {@code TIMESTAMP WITH TIME ZONE}: {@code getObject(i)} gives an {@link OffsetDateTime} on H2 but a
     * {@code Timestamp} on PostgreSQL; asking for the type is what round-trips the same instant on both. SQL NULL is
     * null.
     */
    public static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    /** {@link #instant(ResultSet, String)} by column number. */
    public static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    /** Binds a nullable integer: SQL NULL for null. */
    public static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    /** Whether the failure, or one of its causes, is a duplicate key ({@value #UNIQUE_VIOLATION}). */
    public static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    // ---- LIKE ------------------------------------------------------------------------------------------------------

    /** {@code <expression> LIKE ? ESCAPE '!'}: the condition to bind a {@link #likeEscape escaped} pattern to. */
    public static String like(String expression) {
        return expression + " LIKE ? ESCAPE '" + LIKE_ESCAPE + "'";
    }

    /** The text with {@code %}, {@code _} and the escape character itself taken literally by {@link #like}. */
    public static String likeEscape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (c == '%' || c == '_' || c == LIKE_ESCAPE) {
                escaped.append(LIKE_ESCAPE);
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /**
     * {@code %text%} in lower case, with the wildcards in the text taken literally: a case-insensitive substring
     * match against {@code LOWER(column)}, or against a column stored in lower case.
     */
    public static String containsPattern(String text) {
        return "%" + likeEscape(text.toLowerCase(Locale.ROOT)) + "%";
    }
}
