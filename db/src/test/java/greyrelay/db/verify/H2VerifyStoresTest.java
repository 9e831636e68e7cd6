package greyrelay.db.verify;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class H2VerifyStoresTest extends VerifyStoresContract {

    @TempDir
    static Path dataDir;

    private static Database database;

    @BeforeAll
    static void open() {
        database = TestDatabases.h2(dataDir);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Override
    Database database() {
        return database;
    }
}
