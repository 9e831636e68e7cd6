package greyrelay.db.whitelist;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Skipped when PostgreSQL is unreachable, failed instead with {@code REQUIRE_POSTGRES=1}. */
class PostgresWhitelistStoreTest extends WhitelistStoreContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.postgres();

    PostgresWhitelistStoreTest() {
        super(db);
    }
}
