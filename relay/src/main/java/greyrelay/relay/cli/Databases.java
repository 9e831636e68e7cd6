package greyrelay.relay.cli;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.Dialect;
import greyrelay.relay.Relay;
import greyrelay.relay.config.RelayConfig;

/** Opens the database the configuration names, as the relay does, with a hint when the embedded file is in use. */
final class Databases {
    private Databases() {}

    static Database open(RelayConfig config) {
        try {
            return Database.open(Relay.settings(config));
        } catch (DatabaseException e) {
            if (Relay.settings(config).dialect() == Dialect.H2 && String.valueOf(e.getMessage()).contains("already in use")) {
                throw new DatabaseException(e.getMessage() + " (the relay is running and holds the embedded database: stop it"
                        + " first, or make the change in the admin panel)", e);
            }
            throw e;
        }
    }
}
