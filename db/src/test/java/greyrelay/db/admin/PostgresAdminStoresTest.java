package greyrelay.db.admin;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Skipped when PostgreSQL is unreachable, failed instead with {@code REQUIRE_POSTGRES=1}. */
class PostgresAdminStoresTest extends AdminStoresContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.postgres();

    PostgresAdminStoresTest() {
        super(db);
    }
}
