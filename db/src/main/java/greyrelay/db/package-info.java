/**
 * The database: opens it, migrates it, hands out pooled connections. See {@code db/README.md}.
 *
 * <p>{@link greyrelay.db.Database#open} takes {@link greyrelay.db.DbSettings}: an empty {@code database.url} opens
 * the embedded H2 file {@code <dataDir>/greyrelay} (PostgreSQL mode, lower-case identifiers, NULLs sort high, as on
 * PostgreSQL); a {@code jdbc:postgresql:} url opens a PostgreSQL that several nodes may share. It connects once and
 * fails fast with a one-line {@link greyrelay.db.DatabaseException} ("cannot connect to PostgreSQL at host:port:
 * Connection refused"), then runs Flyway over the one folder {@code classpath:db/migration}, whose SQL is valid on
 * both databases. The stores live in sub-packages by feature ({@code decision}, …) and use
 * {@link greyrelay.db.Database#dataSource()} through {@link greyrelay.db.Jdbc}, which holds the JDBC mechanics they
 * share (a pooled connection per call, one-line {@link greyrelay.db.DatabaseException}s, transactions with rollback,
 * batches, UTC instants, {@code LIKE} escaping); {@link greyrelay.db.Where} builds a WHERE clause from optional
 * filters, {@link greyrelay.db.Columns} fits record values to what both databases store, and
 * {@link greyrelay.db.Paging} checks page and batch sizes. These four are public only because the stores live in
 * sub-packages; other modules call the stores.
 *
 * <p>Talks to: the JDBC driver (H2 embedded, or PostgreSQL over TCP) through HikariCP (pool
 * {@code greyrelay-db}, 5 s connection timeout). Trusts: the database it is pointed at. Nothing here parses remote
 * text; stores bind everything as parameters.
 *
 * <p>Known limits: the H2 file belongs to one process (a second JVM gets "Database may be already in use"); H2
 * writes to disk in the background, so a hard crash (power loss, {@code kill -9}) can lose the last fraction of a
 * second of commits; H2's on-disk format is tied to the pinned H2 version (upgrades need {@code SCRIPT}/
 * {@code RUNSCRIPT}). Call {@link greyrelay.db.Database#close()} at shutdown: the H2 url sets
 * {@code DB_CLOSE_ON_EXIT=FALSE} so H2's own shutdown hook cannot close the file under a last write.
 *
 * <p>Config keys: {@code dataDir}, {@code database.url}, {@code database.user}, {@code database.password},
 * {@code database.poolSize}.
 */
package greyrelay.db;
