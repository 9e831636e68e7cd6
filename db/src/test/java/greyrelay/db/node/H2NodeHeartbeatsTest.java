package greyrelay.db.node;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2NodeHeartbeatsTest extends NodeHeartbeatsContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.h2();

    H2NodeHeartbeatsTest() {
        super(db);
    }
}
