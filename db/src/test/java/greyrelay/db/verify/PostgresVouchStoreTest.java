package greyrelay.db.verify;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Skipped when PostgreSQL is unreachable, failed instead with {@code REQUIRE_POSTGRES=1}. */
class PostgresVouchStoreTest extends VouchStoreContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.postgres();

    PostgresVouchStoreTest() {
        super(db);
    }
}
