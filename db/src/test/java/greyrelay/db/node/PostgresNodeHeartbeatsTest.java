package greyrelay.db.node;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Skipped when PostgreSQL is unreachable, failed instead with {@code REQUIRE_POSTGRES=1}. */
class PostgresNodeHeartbeatsTest extends NodeHeartbeatsContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.postgres();

    PostgresNodeHeartbeatsTest() {
        super(db);
    }
}
