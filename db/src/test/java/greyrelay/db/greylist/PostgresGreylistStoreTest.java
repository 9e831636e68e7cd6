package greyrelay.db.greylist;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Skipped when PostgreSQL is unreachable, failed instead with {@code REQUIRE_POSTGRES=1}. */
class PostgresGreylistStoreTest extends GreylistStoreContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.postgres();

    PostgresGreylistStoreTest() {
        super(db);
    }
}
