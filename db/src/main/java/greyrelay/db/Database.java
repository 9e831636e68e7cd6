package greyrelay.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open database: a connection pool with the schema migrated to the version this build expects.
 *
 * <p>Call order: {@link #open} (connects, fails fast, migrates) → stores use {@link #dataSource()} → {@link #close()}
 * at shutdown. Close it explicitly: the embedded H2 file is opened with {@code DB_CLOSE_ON_EXIT=FALSE} so that H2's
 * own shutdown hook cannot close the database under a final decision-log flush.
 */
public final class Database implements AutoCloseable {

    /** What {@link #close()} does with an explicit schema. */
    public enum SchemaLifetime {
        /** The schema and its data stay. */
        KEEP,
        /** {@code DROP SCHEMA … CASCADE} after the pool is closed: for throwaway test schemas. */
        DROP_ON_CLOSE
    }

    static final String POOL_NAME = "greyrelay-db";
    static final String H2_FILE_NAME = "greyrelay";
    static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";DB_CLOSE_ON_EXIT=FALSE";
    static final String MIGRATIONS = "classpath:db/migration";
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    /** Schema names are spliced into SQL, so only plain lower-case identifiers are allowed. */
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final AtomicBoolean metricsBound = new AtomicBoolean();
    private final DbSettings settings;
    private final String description;
    private final String schema;
    private final SchemaLifetime lifetime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Database(HikariDataSource pool, DbSettings settings, String description, String schema,
            SchemaLifetime lifetime) {
        this.pool = pool;
        this.settings = settings;
        this.description = description;
        this.schema = schema;
        this.lifetime = lifetime;
    }

    /**
     * Opens the database the settings name, in the url's default schema, and migrates it.
     *
     * @throws DatabaseException with a one-line reason when it cannot connect or migrate
     */
    public static Database open(DbSettings settings) {
        return start(settings, null, SchemaLifetime.KEEP);
    }

    /**
     * Opens a PostgreSQL database in an explicit schema, which Flyway creates if it is missing. Tests use it to
     * isolate themselves; production uses {@link #open}.
     *
     * @param schema a lower-case identifier ({@code [a-z_][a-z0-9_]*}, at most 63 characters)
     * @throws IllegalArgumentException for H2 settings or an unsafe schema name
     * @throws DatabaseException        with a one-line reason when it cannot connect or migrate
     */
    public static Database openInSchema(DbSettings settings, String schema, SchemaLifetime lifetime) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(lifetime, "lifetime");
        if (settings.dialect() != Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("an explicit schema is supported for PostgreSQL only");
        }
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema name must match " + SCHEMA_NAME + ": " + schema);
        }
        return start(settings, schema, lifetime);
    }

    private static Database start(DbSettings settings, String schema, SchemaLifetime lifetime) {
        Objects.requireNonNull(settings, "settings");
        HikariConfig config = poolConfig(settings, schema);
        String description = describe(settings, schema);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            // Hikari wraps the driver's SQLException in PoolInitializationException
            throw new DatabaseException(ConnectFailure.describe(settings, e), e);
        }
        try {
            migrate(pool, schema);
        } catch (RuntimeException e) {
            pool.close();
            if (schema != null && lifetime == SchemaLifetime.DROP_ON_CLOSE) {
                dropSchema(settings, schema, description);
            }
            throw new DatabaseException("cannot migrate " + description + ": " + ConnectFailure.migration(e), e);
        }
        if (settings.dialect() == Dialect.H2) {
            // H2 creates its files with the umask's mode; they hold password hashes and the audit log
            try {
                PrivateFiles.restrict(settings.dataDir().toAbsolutePath().normalize(), H2_FILE_NAME + ".");
            } catch (IOException e) {
                pool.close();
                throw new DatabaseException("cannot make the H2 files in " + settings.dataDir() + " private: " + e, e);
            }
        }
        log.info("database ready: {}", description);
        return new Database(pool, settings, description, schema, lifetime);
    }

    private static HikariConfig poolConfig(DbSettings settings, String schema) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setMaximumPoolSize(settings.poolSize());
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(Duration.ofSeconds(2).toMillis());
        // one attempt at start-up, then fail: a relay must not accept mail it cannot record
        config.setInitializationFailTimeout(1);
        switch (settings.dialect()) {
            case H2 -> {
                config.setDriverClassName("org.h2.Driver");
                config.setJdbcUrl(h2Url(h2Directory(settings)));
                // the file is private to this process: dataDir is 0700 and its files 0600 (PrivateFiles)
                config.setUsername("sa");
                config.setPassword("");
            }
            case POSTGRESQL -> {
                config.setDriverClassName("org.postgresql.Driver");
                config.setJdbcUrl(settings.url());
                // empty means "not given": the url's user/password parameters or the driver's default apply
                config.setUsername(settings.user().isEmpty() ? null : settings.user());
                config.setPassword(settings.password().isEmpty() ? null : settings.password());
                // defaults only: parameters in the url win
                config.addDataSourceProperty("connectTimeout", String.valueOf(CONNECTION_TIMEOUT.toSeconds()));
                config.addDataSourceProperty("ApplicationName", "greyrelay");
                config.addDataSourceProperty("tcpKeepAlive", "true");
                if (schema != null) {
                    config.setSchema(schema);
                }
            }
        }
        return config;
    }

    /** Creates {@code dataDir} if needed and returns it absolute (H2 refuses implicitly relative paths). */
    private static Path h2Directory(DbSettings settings) {
        Path dir = settings.dataDir().toAbsolutePath().normalize();
        if (dir.toString().indexOf(';') >= 0) {
            throw new DatabaseException("dataDir must not contain ';' (it ends the H2 url): " + dir);
        }
        try {
            PrivateFiles.directory(dir);
        } catch (IOException e) {
            throw new DatabaseException("cannot create dataDir " + dir + ": " + ConnectFailure.oneLine(e), e);
        }
        return dir;
    }

    static String h2Url(Path dir) {
        return "jdbc:h2:file:" + dir.resolve(H2_FILE_NAME) + H2_OPTIONS;
    }

    private static void migrate(DataSource dataSource, String schema) {
        FluentConfiguration flyway = Flyway.configure(Database.class.getClassLoader())
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true);
        if (schema != null) {
            flyway.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        flyway.load().migrate();
    }

    private static String describe(DbSettings settings, String schema) {
        return switch (settings.dialect()) {
            case H2 -> "H2 file " + settings.dataDir().toAbsolutePath().normalize().resolve(H2_FILE_NAME);
            case POSTGRESQL -> "PostgreSQL at " + ConnectFailure.postgresLocation(settings.url())
                    + (schema == null ? "" : " schema " + schema);
        };
    }

    /** The pool. Connections come with auto-commit on; a store that needs a transaction sets it off and back. */
    public DataSource dataSource() {
        return pool;
    }

    public Dialect dialect() {
        return settings.dialect();
    }

    /**
     * Whether a connection can be had and answers within {@code timeout}; for health checks. Never throws, never
     * blocks much longer than the timeout (the check runs on its own virtual thread).
     */
    public boolean ping(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || closed.get()) {
            return false;
        }
        int validSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
        FutureTask<Boolean> check = new FutureTask<>(() -> {
            try (Connection connection = pool.getConnection()) {
                return connection.isValid(validSeconds);
            }
        });
        try {
            Thread.ofVirtual().name("greyrelay-db-ping").start(check);
            return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            check.cancel(true);
            return false;
        } catch (TimeoutException e) {
            check.cancel(true);
            return false;
        } catch (ExecutionException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Publishes the connection pool's meters ({@code hikaricp_connections_active}, {@code …_pending}, timeouts, usage) to
     * a Micrometer registry; Hikari recognises the registry's type itself, so this module needs no Micrometer dependency.
     * The first registry wins (several relays sharing one database in a test); false for the others.
     */
    public boolean bindMetrics(Object meterRegistry) {
        if (!metricsBound.compareAndSet(false, true)) return false;
        pool.setMetricRegistry(meterRegistry);
        return true;
    }


    /** Closes the pool (and drops a {@link SchemaLifetime#DROP_ON_CLOSE} schema). Safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        pool.close();
        if (schema != null && lifetime == SchemaLifetime.DROP_ON_CLOSE) {
            dropSchema(settings, schema, description);
        }
        log.info("database closed: {}", description);
    }

    /** On a fresh connection, after the pool is gone, so no pooled connection can hold a lock on the schema. */
    private static void dropSchema(DbSettings settings, String schema, String description) {
        Properties props = new Properties();
        if (!settings.user().isEmpty()) {
            props.setProperty("user", settings.user());
        }
        if (!settings.password().isEmpty()) {
            props.setProperty("password", settings.password());
        }
        props.setProperty("connectTimeout", String.valueOf(CONNECTION_TIMEOUT.toSeconds()));
        try (Connection connection = new org.postgresql.Driver().connect(settings.url(), props);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        } catch (SQLException e) {
            log.warn("could not drop schema {} of {}: {}", schema, description, ConnectFailure.oneLine(e));
        }
    }

    /** For logs: which database, never the password. */
    @Override
    public String toString() {
        return description;
    }
}
