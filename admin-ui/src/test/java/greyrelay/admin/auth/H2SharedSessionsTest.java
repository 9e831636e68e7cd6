package greyrelay.admin.auth;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2SharedSessionsTest extends SharedSessionsContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.h2();

    H2SharedSessionsTest() {
        super(db);
    }
}
