package greyrelay.db.decision;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Skipped when PostgreSQL is unreachable, failed instead with {@code REQUIRE_POSTGRES=1}. */
class PostgresDecisionLogTest extends DecisionLogContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.postgres();

    PostgresDecisionLogTest() {
        super(db);
    }
}
