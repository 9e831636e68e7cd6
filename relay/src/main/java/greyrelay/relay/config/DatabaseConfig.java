package greyrelay.relay.config;

/**
 * {@code database.*}: empty url = embedded H2 under dataDir; or {@code jdbc:postgresql://…} shared by several nodes. The
 * url may carry a password ({@code password=}, {@code user:pass@}): dumps, pages, errors and {@link #toString} mask it.
 */
public record DatabaseConfig(@Secret(Secret.Part.URL_CREDENTIALS) String url, String user, @Secret String password, int poolSize) {
    public DatabaseConfig {
        Require.present("database.url", url, "\"\" or jdbc:postgresql://host:port/db");
        if (!url.isBlank() && !url.startsWith("jdbc:postgresql:")) {
            throw ConfigException.invalid("database.url", "\"\" (embedded H2) or jdbc:postgresql://host:port/db",
                    Secret.Part.URL_CREDENTIALS.mask(url));
        }
        Require.present("database.user", user, "a user name or \"\"");
        Require.present("database.password", password, "a password or \"\"");
        Require.range("database.poolSize", poolSize, 2, 200);
    }

    @Override
    public String toString() {
        return ConfigDump.describe(this);
    }

    static DatabaseConfig defaults() {
        return new DatabaseConfig("", "", "", 10);
    }
}
