package greyrelay.db.ratelimit;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2RateLimitOverridesTest extends RateLimitOverridesContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.h2();

    H2RateLimitOverridesTest() {
        super(db);
    }
}
