package greyrelay.db.testing;

import greyrelay.db.Database;
import greyrelay.db.Database.SchemaLifetime;
import greyrelay.db.DbSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Real databases for tests, shared with the other modules through the db test-jar.
 *
 * <ul>
 *   <li>{@link #h2(Path)}: an H2 file in a JUnit {@code @TempDir}, migrated.</li>
 *   <li>{@link #postgres()}: the PostgreSQL at {@value #POSTGRES_URL} (user {@value #POSTGRES_USER}), in a fresh
 *       schema {@code t_<random>} that Flyway creates and {@link Database#close()} drops (CASCADE), so parallel
 *       runs never see each other's rows. When the server is unreachable the calling test is skipped, unless the
 *       environment has {@code REQUIRE_POSTGRES=1} (CI), where it fails.</li>
 * </ul>
 *
 * <p>Migration or schema errors are never turned into skips: only an unreachable server is. A test JVM killed
 * before {@code close()} leaves its {@code t_*} schema behind; drop those by hand.
 */
public final class TestDatabases {

    public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String POSTGRES_USER = "postgres";
    /** Small pools: many test databases may be open at once against one server (max_connections). */
    static final int POOL_SIZE = 3;

    private static final Object PROBE_LOCK = new Object();
    private static boolean probed;
    private static String unreachable;

    private TestDatabases() {
    }

    /** A migrated H2 database in {@code tempDir}. Close it in the test. */
    public static Database h2(Path tempDir) {
        return Database.open(new DbSettings("", "", "", tempDir, POOL_SIZE));
    }

    /** A migrated PostgreSQL database in a fresh schema, dropped on close; skips (or fails) when unreachable. */
    public static Database postgres() {
        requirePostgres();
        String schema = "t_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        return Database.openInSchema(postgresSettings(), schema, SchemaLifetime.DROP_ON_CLOSE);
    }

    /** Settings for the test server's default schema; for tests that need a raw connection or a second node. */
    public static DbSettings postgresSettings() {
        return new DbSettings(POSTGRES_URL, POSTGRES_USER, "", Path.of("target", "unused-data-dir"), POOL_SIZE);
    }

    /** Skips the calling test when PostgreSQL is unreachable, or fails it when {@code REQUIRE_POSTGRES=1}. */
    public static void requirePostgres() {
        String why = unreachable();
        if (why == null) {
            return;
        }
        String message = "PostgreSQL is not reachable at " + POSTGRES_URL + " (" + why + ")";
        if ("1".equals(System.getenv("REQUIRE_POSTGRES"))) {
            Assertions.fail(message + "; REQUIRE_POSTGRES=1 requires it");
        }
        Assumptions.abort(message + "; skipped (set REQUIRE_POSTGRES=1 to fail instead)");
    }

    /** Probed once per JVM, so a missing server costs one connect timeout, not one per test class. */
    private static String unreachable() {
        synchronized (PROBE_LOCK) {
            if (!probed) {
                unreachable = probe();
                probed = true;
            }
            return unreachable;
        }
    }

    private static String probe() {
        Properties props = new Properties();
        props.setProperty("user", POSTGRES_USER);
        props.setProperty("connectTimeout", "3");
        try (Connection connection = new org.postgresql.Driver().connect(POSTGRES_URL, props);
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        }
    }
}
