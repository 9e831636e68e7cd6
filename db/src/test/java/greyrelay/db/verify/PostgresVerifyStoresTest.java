package greyrelay.db.verify;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Skipped when PostgreSQL is unreachable, failed instead with {@code REQUIRE_POSTGRES=1}. */
class PostgresVerifyStoresTest extends VerifyStoresContract {

    private static Database database;

    @BeforeAll
    static void open() {
        database = TestDatabases.postgres();
    }

    @AfterAll
    static void close() {
        if (database != null) {
            database.close();
        }
    }

    @Override
    Database database() {
        return database;
    }
}
