package greyrelay.db.testing;

import greyrelay.db.Database;
import greyrelay.db.Database.SchemaLifetime;
import greyrelay.db.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One migrated database for a whole test class: the setup and teardown of the H2 and PostgreSQL runs of a store
 * contract, written once. Register it on a static field of the concrete test class and hand it to the contract:
 *
 * <pre>{@code
 * class PostgresDecisionLogTest extends DecisionLogContract {
 *     @RegisterExtension
 *     static final ClassDatabase db = ClassDatabase.postgres();
 *
 *     PostgresDecisionLogTest() {
 *         super(db);
 *     }
 * }
 * }</pre>
 *
 * <p>Before all tests it opens {@link TestDatabases#h2} in a temporary directory of its own, or
 * {@link TestDatabases#postgres()} in a fresh schema (the class is skipped when PostgreSQL is unreachable, or fails
 * with {@code REQUIRE_POSTGRES=1}). After all tests it closes everything it opened (which drops the PostgreSQL schema)
 * and deletes the directory.
 */
public final class ClassDatabase implements BeforeAllCallback, AfterAllCallback {

    private final Dialect dialect;
    private Path directory;
    private Database database;
    private Database secondNode;

    private ClassDatabase(Dialect dialect) {
        this.dialect = dialect;
    }

    /** An H2 file in a temporary directory. */
    public static ClassDatabase h2() {
        return new ClassDatabase(Dialect.H2);
    }

    /** The test PostgreSQL, in a fresh schema dropped after the class. */
    public static ClassDatabase postgres() {
        return new ClassDatabase(Dialect.POSTGRESQL);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        switch (dialect) {
            case H2 -> {
                directory = Files.createTempDirectory("greyrelay-db-test-");
                database = TestDatabases.h2(directory.resolve("open"));
            }
            case POSTGRESQL -> database = TestDatabases.postgres();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws IOException {
        try {
            // the second pool first: closing the main database drops the schema under it
            if (secondNode != null && secondNode != database) {
                secondNode.close();
            }
            if (database != null) {
                database.close();
            }
        } finally {
            secondNode = null;
            database = null;
            if (directory != null) {
                deleteTree(directory);
                directory = null;
            }
        }
    }

    /** The database, migrated, open from before the first test to after the last. */
    public Database database() {
        return Objects.requireNonNull(database, "the database is open only while the test class runs");
    }

    /**
     * Another relay node on the same data. On PostgreSQL a second pool on the same schema, opened on first use and
     * closed with the class. H2 belongs to one process, so there the second node is the same database.
     */
    public synchronized Database secondNode() {
        Database first = database();
        if (secondNode == null) {
            secondNode = switch (dialect) {
                case H2 -> first;
                case POSTGRESQL -> Database.openInSchema(TestDatabases.postgresSettings(), schemaOf(first),
                        SchemaLifetime.KEEP);
            };
        }
        return secondNode;
    }

    /** A database of the same kind, opened and closed again: every store call on it fails. */
    public Database closedDatabase() {
        Database other = switch (dialect) {
            case H2 -> TestDatabases.h2(Objects.requireNonNull(directory, "not open").resolve("closed"));
            case POSTGRESQL -> TestDatabases.postgres();
        };
        other.close();
        return other;
    }

    /** Empties the tables, in this order (our own table names: they are spliced into the SQL). */
    public void deleteAllRows(String... tables) throws SQLException {
        try (Connection c = database().dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String table : tables) {
                s.executeUpdate("DELETE FROM " + table);
            }
        }
    }

    private static String schemaOf(Database db) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the test schema of " + db, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
