package greyrelay.db.verify;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Skipped when PostgreSQL is unreachable, failed instead with {@code REQUIRE_POSTGRES=1}. */
class PostgresVerifyStoresTest extends VerifyStoresContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.postgres();

    PostgresVerifyStoresTest() {
        super(db);
    }
}
