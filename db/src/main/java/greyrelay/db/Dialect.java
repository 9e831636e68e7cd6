package greyrelay.db;

/**
 * The two databases greyrelay runs on. Stores write portable SQL; they ask for the dialect only where the two
 * really differ (for example an upsert), and say why next to the branch.
 */
public enum Dialect {
    /** Embedded H2 file in PostgreSQL mode, one node. */
    H2,
    /** PostgreSQL 15 or newer, possibly shared by several nodes. */
    POSTGRESQL
}
