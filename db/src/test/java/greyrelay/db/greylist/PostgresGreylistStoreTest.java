package greyrelay.db.greylist;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Skipped when PostgreSQL is unreachable, failed instead with {@code REQUIRE_POSTGRES=1}. */
class PostgresGreylistStoreTest extends GreylistStoreContract {
    private static Database database;
    private static Database secondNode;

    @BeforeAll
    static void open() throws SQLException {
        database = TestDatabases.postgres();
        secondNode = Database.openInSchema(TestDatabases.postgresSettings(), schemaOf(database), Database.SchemaLifetime.KEEP);
    }

    static String schemaOf(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @AfterAll
    static void close() {
        if (secondNode != null) secondNode.close();
        if (database != null) database.close();
    }

    @Override
    Database database() {
        return database;
    }

    /** A second connection pool on the same schema: another relay node. */
    @Override
    Database secondNode() {
        return secondNode;
    }

    @Override
    Database closedDatabase() {
        Database other = TestDatabases.postgres();
        other.close();
        return other;
    }
}
