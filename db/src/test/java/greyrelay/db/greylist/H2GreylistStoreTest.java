package greyrelay.db.greylist;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2GreylistStoreTest extends GreylistStoreContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.h2();

    H2GreylistStoreTest() {
        super(db);
    }
}
