package greyrelay.relay.config;

/** {@code database.*}: empty url = embedded H2 under dataDir; or {@code jdbc:postgresql://…} shared by several nodes. */
public record DatabaseConfig(String url, String user, @Secret String password, int poolSize) {
    public DatabaseConfig {
        Require.present("database.url", url, "\"\" or jdbc:postgresql://host:port/db");
        if (!url.isBlank() && !url.startsWith("jdbc:postgresql:")) {
            throw ConfigException.invalid("database.url", "\"\" (embedded H2) or jdbc:postgresql://host:port/db", url);
        }
        Require.present("database.user", user, "a user name or \"\"");
        Require.present("database.password", password, "a password or \"\"");
        Require.range("database.poolSize", poolSize, 2, 200);
    }

    static DatabaseConfig defaults() {
        return new DatabaseConfig("", "", "", 10);
    }
}
