package greyrelay.admin.auth;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresSharedSessionsTest extends SharedSessionsContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.postgres();

    PostgresSharedSessionsTest() {
        super(db);
    }
}
