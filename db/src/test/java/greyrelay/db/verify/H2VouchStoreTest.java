package greyrelay.db.verify;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2VouchStoreTest extends VouchStoreContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.h2();

    H2VouchStoreTest() {
        super(db);
    }
}
