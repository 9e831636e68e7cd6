package greyrelay.db.decision;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2DecisionLogTest extends DecisionLogContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.h2();

    H2DecisionLogTest() {
        super(db);
    }
}
