package greyrelay.db.verify;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Skipped when PostgreSQL is unreachable, failed instead with {@code REQUIRE_POSTGRES=1}. */
class PostgresLeaseStoresTest extends LeaseStoresContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.postgres();

    PostgresLeaseStoresTest() {
        super(db);
    }
}
