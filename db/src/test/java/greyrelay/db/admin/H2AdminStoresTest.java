package greyrelay.db.admin;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2AdminStoresTest extends AdminStoresContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.h2();

    H2AdminStoresTest() {
        super(db);
    }
}
