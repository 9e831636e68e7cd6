package greyrelay.db.whitelist;

import greyrelay.db.testing.ClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2WhitelistStoreTest extends WhitelistStoreContract {
    @RegisterExtension
    static final ClassDatabase db = ClassDatabase.h2();

    H2WhitelistStoreTest() {
        super(db);
    }
}
