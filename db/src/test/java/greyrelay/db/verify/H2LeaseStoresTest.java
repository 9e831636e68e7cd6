package greyrelay.db.verify;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2LeaseStoresTest extends LeaseStoresContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.h2();

    H2LeaseStoresTest() {
        super(db);
    }
}
