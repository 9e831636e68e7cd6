package greyrelay.db.greylist;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class H2GreylistStoreTest extends GreylistStoreContract {
    @TempDir
    static Path dataDir;

    @TempDir
    static Path otherDir;

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

    /** H2 belongs to one process: the second "node" is a second store on the same pool. */
    @Override
    Database secondNode() {
        return database;
    }

    @Override
    Database closedDatabase() {
        Database other = TestDatabases.h2(otherDir.resolve("closed"));
        other.close();
        return other;
    }
}
