package greyrelay.db.ratelimit;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Skipped when PostgreSQL is unreachable, failed instead with {@code REQUIRE_POSTGRES=1}. */
class PostgresRateLimitOverridesTest extends RateLimitOverridesContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.postgres();

    PostgresRateLimitOverridesTest() {
        super(db);
    }
}
