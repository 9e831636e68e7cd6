package greyrelay.db.greylist;

import static greyrelay.db.Jdbc.instant;
import static greyrelay.db.Jdbc.utc;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.Dialect;
import greyrelay.db.Jdbc;
import greyrelay.db.Sort;
import greyrelay.db.SortColumn;
import greyrelay.db.Where;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The greylist's shared memory: triplets and the auto-whitelist counters of client networks.
 *
 * <p>Every decision reads one row through a unique index ({@code greylist_triplet_key}, or the client network's
 * primary key), so its cost does not grow with the table. Writes are conditional on what the caller read
 * (optimistic): when two threads or two nodes race, one write wins and the other learns it from the returned
 * {@code false}, re-reads and decides again. First sight is {@code INSERT … ON CONFLICT DO NOTHING} on the unique
 * key (valid on H2 and PostgreSQL), so concurrent first sights create exactly one row.
 *
 * <p>Every method takes a connection from the pool and gives it back; failures are {@link DatabaseException}s with
 * a one-line message. Thread-safe. Time is always passed in, never read here.
 *
 * <p>On PostgreSQL the writes of the SMTP path commit with {@code synchronous_commit = off} (set per transaction,
 * nothing else is affected): the client does not wait for the WAL flush, which is most of the cost of a first sight.
 * A crash of the database server can then lose the last fraction of a second of greylist writes (PostgreSQL's
 * documentation: up to three times {@code wal_writer_delay}), never corrupt them; at worst a sender is greylisted
 * once more. The one exception is {@link #markPassed}: a pass the client was told is committed durably before the
 * answer. H2 does not flush per commit anyway.
 *
 * <p>{@link #writeAll} writes many {@link GreylistWrite}s in one transaction: the relay queues its first sights,
 * attempts and touches and writes them in batches, so a request never waits for its own commit.
 */
public final class GreylistStore {
    private static final String TRIPLET_COLUMNS = "client_key, sender, recipient, first_seen, last_seen, passed_at, attempts,"
            + " expires_at";
    private static final String KEY_MATCH = "client_key = ? AND sender = ? AND recipient = ?";

    private static final String FIND = "SELECT " + TRIPLET_COLUMNS + " FROM greylist_triplet WHERE " + KEY_MATCH;
    private static final String INSERT = "INSERT INTO greylist_triplet (" + TRIPLET_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String ATTEMPT = "UPDATE greylist_triplet SET attempts = attempts + 1, last_seen = ? WHERE "
            + KEY_MATCH + " AND first_seen = ? AND passed_at IS NULL";
    // the passing retry is an attempt too: "attempts" counts every try of the round
    private static final String PASS = "UPDATE greylist_triplet SET passed_at = ?, last_seen = ?, expires_at = ?, attempts = attempts + 1 WHERE "
            + KEY_MATCH + " AND first_seen = ? AND passed_at IS NULL";
    private static final String RESTART = "UPDATE greylist_triplet SET first_seen = ?, last_seen = ?, passed_at = ?,"
            + " attempts = ?, expires_at = ? WHERE " + KEY_MATCH + " AND first_seen = ? AND last_seen = ?";
    private static final String TOUCH = "UPDATE greylist_triplet SET last_seen = ?, expires_at = ? WHERE " + KEY_MATCH
            + " AND last_seen < ?";
    private static final String DELETE = "DELETE FROM greylist_triplet WHERE " + KEY_MATCH;
    // oldest first through the expires_at index; LIMIT in a subquery is portable, DELETE … LIMIT is not
    private static final String DELETE_EXPIRED = "DELETE FROM greylist_triplet WHERE id IN (SELECT id FROM greylist_triplet"
            + " WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)";
    private static final String RECENT = "SELECT " + TRIPLET_COLUMNS + " FROM greylist_triplet ORDER BY id DESC LIMIT ? OFFSET ?";

    // one round trip for everything a decision reads: the triplet and its client network's counter, each through
    // its unique index; the one-row subquery keeps a row even when neither exists
    private static final String READ = "SELECT t.client_key, t.sender, t.recipient, t.first_seen, t.last_seen, t.passed_at,"
            + " t.attempts, t.expires_at, c.client_network, c.passes, c.first_seen, c.last_seen, c.expires_at"
            + " FROM (SELECT CAST(? AS VARCHAR(64)) AS net) q"
            + " LEFT JOIN greylist_triplet t ON t.client_key = ? AND t.sender = ? AND t.recipient = ?"
            + " LEFT JOIN greylist_client c ON c.client_network = q.net";
    private static final String CLIENT_COLUMNS = "client_network, passes, first_seen, last_seen, expires_at";
    private static final String FIND_CLIENT = "SELECT " + CLIENT_COLUMNS + " FROM greylist_client WHERE client_network = ?";
    // a network silent since before forgetBefore starts counting again from 1; SET expressions see the old row
    private static final String COUNT_PASS = "UPDATE greylist_client SET"
            + " passes = CASE WHEN last_seen < ? THEN 1 ELSE passes + 1 END,"
            + " first_seen = CASE WHEN last_seen < ? THEN ? ELSE first_seen END,"
            + " last_seen = ?, expires_at = ? WHERE client_network = ?";
    private static final String INSERT_CLIENT = "INSERT INTO greylist_client (" + CLIENT_COLUMNS
            + ") VALUES (?, 1, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String TOUCH_CLIENT = "UPDATE greylist_client SET last_seen = ?, expires_at = ? WHERE"
            + " client_network = ? AND last_seen < ?";
    private static final String DELETE_EXPIRED_CLIENTS = "DELETE FROM greylist_client WHERE client_network IN (SELECT"
            + " client_network FROM greylist_client WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)";

    private final Jdbc jdbc;
    private final boolean relaxedCommit;

    public GreylistStore(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
        this.relaxedCommit = database.dialect() == Dialect.POSTGRESQL;
    }

    /**
     * One write of the SMTP path in its own transaction; on PostgreSQL without waiting for the WAL flush. The
     * {@link SQLException} reaches the caller, which may take a duplicate key for an answer.
     */
    private <T> T write(Jdbc.Work<T> work) throws SQLException {
        try (Connection c = jdbc.connection()) {
            if (!relaxedCommit) return work.run(c);
            return Jdbc.transaction(c, tx -> {
                try (Statement s = tx.createStatement()) {
                    s.execute("SET LOCAL synchronous_commit TO OFF");
                }
                return work.run(tx);
            });
        }
    }

    // ---- triplets ----------------------------------------------------------------------------------------------

    public Optional<GreylistEntry> find(TripletKey key) {
        Objects.requireNonNull(key, "key");
        return jdbc.first("greylist: cannot read triplet", FIND, s -> bindKey(s, 1, key), GreylistStore::readTriplet);
    }

    /** What one decision reads: a triplet and the auto-whitelist counter of a client network, if stored. */
    public record Seen(Optional<GreylistEntry> triplet, Optional<ClientNetworkEntry> client) {}

    /** Reads a triplet and a client network's counter in one statement (the SMTP path's only read). */
    public Seen read(TripletKey key, String network) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(network, "network");
        return jdbc.query("greylist: cannot read triplet", READ, s -> {
            s.setString(1, network);
            bindKey(s, 2, key);
        }, rs -> {
            if (!rs.next()) return new Seen(Optional.empty(), Optional.empty());
            Optional<GreylistEntry> t = rs.getString(1) == null ? Optional.empty() : Optional.of(readTriplet(rs));
            Optional<ClientNetworkEntry> n = rs.getString(9) == null ? Optional.empty() : Optional.of(readClient(rs, 9));
            return new Seen(t, n);
        });
    }

    /** {@link #read(TripletKey, String)} without a client network: the triplet alone (auto-whitelisting off). */
    public Seen read(TripletKey key) {
        return new Seen(find(key), Optional.empty());
    }

    /**
     * Stores a triplet seen for the first time, unless one with the same key exists (another thread or node was
     * first). Returns true when this call created it; on false, {@link #find} what the winner stored.
     */
    public boolean insertIfAbsent(GreylistEntry entry) {
        try {
            return write(c -> {
                try (PreparedStatement s = c.prepareStatement(INSERT)) {
                    bindTriplet(s, entry);
                    return s.executeUpdate() == 1;
                }
            });
        } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) return false; // a racing insert the database did not fold into DO NOTHING
            throw DatabaseException.failed("greylist: cannot insert triplet", e);
        }
    }

    /** Stores many triplets in batches of one transaction each (benchmarks, tests, migrations); existing keys stay. */
    public void insertAll(List<GreylistEntry> entries) {
        if (entries.isEmpty()) return;
        jdbc.inTransaction("greylist: cannot insert " + entries.size() + " triplets", c -> {
            try (PreparedStatement s = c.prepareStatement(INSERT)) {
                int n = 0;
                for (GreylistEntry e : entries) {
                    bindTriplet(s, e);
                    s.addBatch();
                    if (++n % 5000 == 0) {
                        s.executeBatch();
                        c.commit();
                    }
                }
                s.executeBatch();
            }
            return null;
        });
    }

    /** A deferred retry: one more attempt, clock not restarted. False if the entry changed since it was read. */
    public boolean recordAttempt(GreylistEntry read, Instant now) {
        return update("record attempt", ATTEMPT, s -> {
            s.setObject(1, utc(now));
            bindKey(s, 2, read.key());
            s.setObject(5, utc(read.firstSeen()));
        });
    }

    /**
     * The retry came within the window: the triplet passes from now on. False if the entry changed since it was
     * read (another node passed or restarted it first).
     */
    public boolean markPassed(GreylistEntry read, Instant now, Instant expiresAt) {
        // auto-commit with the database's own synchronous_commit: a pass the client is told must survive a crash
        return jdbc.update("greylist: cannot mark passed", PASS, s -> {
            s.setObject(1, utc(now));
            s.setObject(2, utc(now));
            s.setObject(3, utc(expiresAt));
            bindKey(s, 4, read.key());
            s.setObject(7, utc(read.firstSeen()));
        }) > 0;
    }

    /** Replaces an entry the policy found expired with a fresh round. False if it changed since it was read. */
    public boolean restart(GreylistEntry read, GreylistEntry replacement) {
        if (!read.key().equals(replacement.key())) throw new IllegalArgumentException("restart must keep the key");
        return update("restart triplet", RESTART, s -> {
            s.setObject(1, utc(replacement.firstSeen()));
            s.setObject(2, utc(replacement.lastSeen()));
            s.setObject(3, Jdbc.utcOrNull(replacement.passedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
            s.setInt(4, replacement.attempts());
            s.setObject(5, utc(replacement.expiresAt()));
            bindKey(s, 6, read.key());
            s.setObject(9, utc(read.firstSeen()));
            s.setObject(10, utc(read.lastSeen()));
        });
    }

    /** Moves last use forward (never back) for a passed triplet used again. */
    public void touch(TripletKey key, Instant lastSeen, Instant expiresAt) {
        update("touch triplet", TOUCH, s -> {
            s.setObject(1, utc(lastSeen));
            s.setObject(2, utc(expiresAt));
            bindKey(s, 3, key);
            s.setObject(6, utc(lastSeen));
        });
    }

    /** Forgets one triplet (admin). */
    public boolean delete(TripletKey key) {
        return update("delete triplet", DELETE, s -> bindKey(s, 1, key));
    }

    /**
     * Writes the batch in one transaction (on PostgreSQL without waiting for the WAL flush): the inserts first, then
     * the attempts, the touches and the pass counts, each kind as one JDBC batch, so a write queued after the insert
     * of its triplet finds the row. Conditional writes whose row changed meanwhile do nothing. All or none: a
     * failure throws and nothing of the batch is stored.
     */
    public void writeAll(List<GreylistWrite> writes) {
        if (writes.isEmpty()) return;
        try {
            write(c -> {
                boolean outer = c.getAutoCommit();
                if (outer) c.setAutoCommit(false); // H2: one transaction too
                try {
                    batch(c, INSERT, writes, GreylistWrite.Insert.class, (s, w) -> bindTriplet(s, w.entry()));
                    batch(c, ATTEMPT, writes, GreylistWrite.Attempt.class, (s, w) -> {
                        s.setObject(1, utc(w.at()));
                        bindKey(s, 2, w.read().key());
                        s.setObject(5, utc(w.read().firstSeen()));
                    });
                    batch(c, TOUCH, writes, GreylistWrite.Touch.class, (s, w) -> {
                        s.setObject(1, utc(w.lastSeen()));
                        s.setObject(2, utc(w.expiresAt()));
                        bindKey(s, 3, w.key());
                        s.setObject(6, utc(w.lastSeen()));
                    });
                    batch(c, TOUCH_CLIENT, writes, GreylistWrite.TouchClient.class, (s, w) -> {
                        s.setObject(1, utc(w.lastSeen()));
                        s.setObject(2, utc(w.expiresAt()));
                        s.setString(3, w.network());
                        s.setObject(4, utc(w.lastSeen()));
                    });
                    for (GreylistWrite w : writes) {
                        if (w instanceof GreylistWrite.CountPass p) countPass(c, p.network(), p.now(), p.forgetBefore(), p.expiresAt());
                    }
                    if (outer) c.commit();
                } catch (SQLException | RuntimeException e) {
                    if (outer) c.rollback();
                    throw e;
                } finally {
                    if (outer) c.setAutoCommit(true);
                }
                return null;
            });
        } catch (SQLException e) {
            throw DatabaseException.failed("greylist: cannot write " + writes.size() + " queued writes", e);
        }
    }

    private static <W extends GreylistWrite> void batch(Connection c, String sql, List<GreylistWrite> writes, Class<W> kind,
            Jdbc.RowBinder<W> binder) throws SQLException {
        PreparedStatement s = null;
        try {
            for (GreylistWrite w : writes) {
                if (!kind.isInstance(w)) continue;
                if (s == null) s = c.prepareStatement(sql);
                binder.bind(s, kind.cast(w));
                s.addBatch();
            }
            if (s != null) s.executeBatch();
        } finally {
            if (s != null) s.close();
        }
    }

    // ---- admin panel -------------------------------------------------------------------------------------------

    private static final String ID_COLUMNS = "id, " + TRIPLET_COLUMNS;
    private static final String FIND_ID = "SELECT " + ID_COLUMNS + " FROM greylist_triplet WHERE id = ?";
    // an admin's pass: remembered as passed from now (an earlier pass time is kept), for maxAge from now
    private static final String PASS_ID = "UPDATE greylist_triplet SET passed_at = COALESCE(passed_at, ?), last_seen = ?,"
            + " expires_at = ? WHERE id = ?";
    private static final String DELETE_ID = "DELETE FROM greylist_triplet WHERE id = ?";
    private static final String AUTO_WHITELISTED = "SELECT " + CLIENT_COLUMNS + " FROM greylist_client WHERE expires_at > ?"
            + " AND passes >= ?";

    /** A statement with its parameters, built for a search (package-private: a test EXPLAINs it). */
    record Built(String sql, List<Object> args) {}

    /** The columns the triplet list may be sorted by; the default (newest row first) is {@code ID} descending. */
    public enum Column implements SortColumn {
        ID(Spec.of("id")), CLIENT(Spec.of("client_key")), SENDER(Spec.of("sender")), RECIPIENT(Spec.of("recipient")),
        FIRST_SEEN(Spec.of("first_seen")), LAST_SEEN(Spec.of("last_seen")), ATTEMPTS(Spec.of("attempts")),
        EXPIRES(Spec.of("expires_at"));

        private final Spec spec;

        Column(Spec spec) {
            this.spec = spec;
        }

        @Override
        public Spec spec() {
            return spec;
        }
    }

    static Built searchSql(TripletQuery q) {
        return searchSql(q, Sort.desc(Column.ID));
    }

    static Built searchSql(TripletQuery q, Sort<Column> sort) {
        Where where = new Where();
        if (q.client() != null) where.and("client_key = ?", q.client());
        if (q.sender() != null) where.and("sender = ?", q.sender());
        if (q.recipient() != null) where.and("recipient = ?", q.recipient());
        if (q.state() != null) {
            where.and(switch (q.state()) {
                case GREYLISTED -> "passed_at IS NULL AND expires_at > ?";
                case PASSED -> "passed_at IS NOT NULL AND expires_at > ?";
                case EXPIRED -> "expires_at <= ?";
            }, utc(q.now()));
        }
        return new Built("SELECT " + ID_COLUMNS + " FROM greylist_triplet" + where.sql() + sort.orderBy("id") + " LIMIT ? OFFSET ?",
                where.parameters(q.limit(), q.offset()));
    }

    /**
     * Triplets matching the query, newest first. Every part is an exact match, so the database answers from an index
     * (the unique key for the client, {@code greylist_triplet_sender_idx} / {@code _recipient_idx} for the others, the
     * primary key for the newest rows), never by reading the whole table.
     */
    public List<StoredTriplet> search(TripletQuery q) {
        return search(q, Sort.desc(Column.ID));
    }

    /** Triplets matching the query in {@code sort}'s order (ties by id in the same direction). */
    public List<StoredTriplet> search(TripletQuery q, Sort<Column> sort) {
        Built b = searchSql(q, sort);
        return jdbc.list("greylist: cannot search triplets", b.sql(), Jdbc.parameters(b.args()), GreylistStore::readStored);
    }

    public Optional<StoredTriplet> find(long id) {
        return jdbc.first("greylist: cannot read triplet " + id, FIND_ID, s -> s.setLong(1, id), GreylistStore::readStored);
    }

    /**
     * Lets a triplet through from now on (admin): it counts as passed, last used {@code now}, kept until
     * {@code expiresAt} (now + maxAge). An earlier pass time is kept. A pass by hand is not a retry, so the client
     * network's auto-whitelist counter is left alone. False when there is no such row.
     */
    public boolean passNow(long id, Instant now, Instant expiresAt) {
        return jdbc.update("greylist: cannot pass triplet " + id, PASS_ID, s -> {
            s.setObject(1, utc(now));
            s.setObject(2, utc(now));
            s.setObject(3, utc(expiresAt));
            s.setLong(4, id);
        }) > 0;
    }

    /** Forgets one triplet by id (admin); its next attempt is a first sight. False when there is no such row. */
    public boolean delete(long id) {
        return jdbc.update("greylist: cannot delete triplet " + id, DELETE_ID, s -> s.setLong(1, id)) > 0;
    }

    /**
     * Client networks with at least {@code minPasses} counted passes that are still remembered at {@code now}: the
     * auto-whitelisted ones when {@code minPasses} is {@code greylist.autoWhitelistAfter}. Most recently seen first,
     * through the {@code expires_at} index.
     *
     * @param network only this network (exact), or null
     */
    public List<ClientNetworkEntry> autoWhitelisted(String network, int minPasses, Instant now, int limit, int offset) {
        return autoWhitelisted(network, minPasses, now, limit, offset, Sort.desc(ClientColumn.EXPIRES));
    }

    /** The columns the list of auto-whitelisted networks may be sorted by; the default is {@code EXPIRES} descending. */
    public enum ClientColumn implements SortColumn {
        NETWORK(Spec.of("client_network")), PASSES(Spec.of("passes")), FIRST_SEEN(Spec.of("first_seen")),
        LAST_SEEN(Spec.of("last_seen")), EXPIRES(Spec.of("expires_at"));

        private final Spec spec;

        ClientColumn(Spec spec) {
            this.spec = spec;
        }

        @Override
        public Spec spec() {
            return spec;
        }
    }

    /** As {@link #autoWhitelisted(String, int, Instant, int, int)}, in {@code sort}'s order (ties by network). */
    public List<ClientNetworkEntry> autoWhitelisted(String network, int minPasses, Instant now, int limit, int offset,
            Sort<ClientColumn> sort) {
        String sql = AUTO_WHITELISTED + (network == null ? "" : " AND client_network = ?") + sort.orderBy("client_network")
                + " LIMIT ? OFFSET ?";
        return jdbc.list("greylist: cannot list auto-whitelisted networks", sql, s -> {
            int i = 0;
            s.setObject(++i, utc(now));
            s.setInt(++i, minPasses);
            if (network != null) s.setString(++i, network);
            s.setInt(++i, limit);
            s.setInt(++i, offset);
        }, rs -> readClient(rs, 1));
    }

    private static StoredTriplet readStored(ResultSet rs) throws SQLException {
        return new StoredTriplet(rs.getLong(1), new GreylistEntry(new TripletKey(rs.getString(2), rs.getString(3),
                rs.getString(4)), instant(rs, 5), instant(rs, 6), instant(rs, 7), rs.getInt(8), instant(rs, 9)));
    }

    /** The most recently created triplets first, one page (admin panel). */
    public List<GreylistEntry> recent(int limit, int offset) {
        return jdbc.list("greylist: cannot list triplets", RECENT, s -> {
            s.setInt(1, limit);
            s.setInt(2, offset);
        }, GreylistStore::readTriplet);
    }

    /** Drops at most {@code batchSize} triplets that expired at or before {@code now}; returns how many. */
    public int deleteExpiredTriplets(Instant now, int batchSize) {
        return deleteExpired("triplets", DELETE_EXPIRED, now, batchSize);
    }

    public long countTriplets() {
        return count("greylist_triplet");
    }

    // ---- auto-whitelist counters -------------------------------------------------------------------------------

    public Optional<ClientNetworkEntry> client(String network) {
        return jdbc.first("greylist: cannot read client network", FIND_CLIENT, s -> s.setString(1, network),
                rs -> readClient(rs, 1));
    }

    /**
     * Counts one more passed triplet for a client network. A network not seen since before {@code forgetBefore}
     * starts again at 1. Atomic under concurrency: update, else insert-or-ignore, else update again.
     */
    public void countPass(String network, Instant now, Instant forgetBefore, Instant expiresAt) {
        try {
            write(c -> countPass(c, network, now, forgetBefore, expiresAt));
        } catch (SQLException e) {
            throw DatabaseException.failed("greylist: cannot count a pass for a client network", e);
        }
    }

    private static Void countPass(Connection c, String network, Instant now, Instant forgetBefore, Instant expiresAt)
            throws SQLException {
        for (int round = 0; round < 2; round++) {
            try (PreparedStatement s = c.prepareStatement(COUNT_PASS)) {
                s.setObject(1, utc(forgetBefore));
                s.setObject(2, utc(forgetBefore));
                s.setObject(3, utc(now));
                s.setObject(4, utc(now));
                s.setObject(5, utc(expiresAt));
                s.setString(6, network);
                if (s.executeUpdate() == 1) return null;
            }
            if (round == 1) break;
            // a racing insert is folded into DO NOTHING (0 rows), then the update of round 2 counts ours
            try (PreparedStatement s = c.prepareStatement(INSERT_CLIENT)) {
                s.setString(1, network);
                s.setObject(2, utc(now));
                s.setObject(3, utc(now));
                s.setObject(4, utc(expiresAt));
                if (s.executeUpdate() == 1) return null;
            } catch (SQLException e) {
                if (!Jdbc.isUniqueViolation(e)) throw e; // H2 (auto-commit) may report the race instead of folding it
            }
        }
        throw new DatabaseException("greylist: cannot count a pass for " + network + ": row vanished twice");
    }

    /** Moves an auto-whitelisted network's last pass forward (never back). */
    public void touchClient(String network, Instant lastSeen, Instant expiresAt) {
        update("touch client network", TOUCH_CLIENT, s -> {
            s.setObject(1, utc(lastSeen));
            s.setObject(2, utc(expiresAt));
            s.setString(3, network);
            s.setObject(4, utc(lastSeen));
        });
    }

    public int deleteExpiredClients(Instant now, int batchSize) {
        return deleteExpired("client networks", DELETE_EXPIRED_CLIENTS, now, batchSize);
    }

    public long countClients() {
        return count("greylist_client");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private boolean update(String what, String sql, Jdbc.Binder binder) {
        try {
            return write(c -> Jdbc.update(c, sql, binder) > 0);
        } catch (SQLException e) {
            throw DatabaseException.failed("greylist: cannot " + what, e);
        }
    }

    private int deleteExpired(String what, String sql, Instant now, int batchSize) {
        return jdbc.deleteBatch("greylist: cannot drop expired " + what, sql, now, batchSize);
    }

    private long count(String table) {
        return jdbc.count("greylist: cannot count " + table, "SELECT COUNT(*) FROM " + table, Jdbc.NO_PARAMETERS);
    }

    private static void bindKey(PreparedStatement s, int first, TripletKey key) throws SQLException {
        s.setString(first, key.client());
        s.setString(first + 1, key.sender());
        s.setString(first + 2, key.recipient());
    }

    private static void bindTriplet(PreparedStatement s, GreylistEntry e) throws SQLException {
        bindKey(s, 1, e.key());
        s.setObject(4, utc(e.firstSeen()));
        s.setObject(5, utc(e.lastSeen()));
        s.setObject(6, Jdbc.utcOrNull(e.passedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
        s.setInt(7, e.attempts());
        s.setObject(8, utc(e.expiresAt()));
    }

    private static GreylistEntry readTriplet(ResultSet rs) throws SQLException {
        return new GreylistEntry(new TripletKey(rs.getString(1), rs.getString(2), rs.getString(3)), instant(rs, 4),
                instant(rs, 5), instant(rs, 6), rs.getInt(7), instant(rs, 8));
    }

    /** A client network's counter from the five columns of {@link #CLIENT_COLUMNS} starting at {@code first}. */
    private static ClientNetworkEntry readClient(ResultSet rs, int first) throws SQLException {
        return new ClientNetworkEntry(rs.getString(first), rs.getInt(first + 1), instant(rs, first + 2),
                instant(rs, first + 3), instant(rs, first + 4));
    }
}
