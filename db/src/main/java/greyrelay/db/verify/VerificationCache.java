package greyrelay.db.verify;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The verdict cache shared by all nodes: one row per (kind, address). Thread-safe; every method takes a pooled
 * connection and gives it back; failures surface as {@link DatabaseException}.
 */
public final class VerificationCache {

    private static final String COLUMNS = "kind, address, domain, status, reply_code, reply_text, mx_host, checked_at,"
            + " first_rejected_at, refresh_at, expires_at";

    private static final String FIND = "SELECT " + COLUMNS + " FROM verification_cache WHERE kind = ? AND address = ?";

    // the guard keeps an unexpired definite verdict when the new one is a temporary failure: another node may have
    // stored a good result since this node read the row
    private static final String UPDATE = "UPDATE verification_cache SET domain = ?, status = ?, reply_code = ?,"
            + " reply_text = ?, mx_host = ?, checked_at = ?, first_rejected_at = ?, refresh_at = ?, expires_at = ?"
            + " WHERE kind = ? AND address = ?"
            + " AND NOT (CAST(? AS VARCHAR(16)) = 'TEMPFAIL' AND status <> 'TEMPFAIL' AND expires_at > ?)";

    private static final String INSERT = "INSERT INTO verification_cache (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private static final String DELETE = "DELETE FROM verification_cache WHERE kind = ? AND address = ?";

    private static final String TRIM = "DELETE FROM verification_cache WHERE (kind, address) IN (SELECT kind, address"
            + " FROM verification_cache WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)";

    private static final String BY_DOMAIN = "SELECT " + COLUMNS + " FROM verification_cache WHERE domain = ?"
            + " ORDER BY checked_at DESC, address LIMIT ? OFFSET ?";

    private final DataSource dataSource;

    public VerificationCache(Database database) {
        this.dataSource = database.dataSource();
    }

    /** The row for this address, expired or not (the caller's policy decides what an old row means). */
    public Optional<CacheEntry> find(CacheKind kind, String address) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(FIND)) {
            select.setString(1, kind.name());
            select.setString(2, address);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw DatabaseException.failed("verification cache: cannot read " + address, e);
        }
    }

    /**
     * Stores the entry, replacing the row of the same key, except that a TEMPFAIL entry never replaces a row holding a
     * definite verdict that has not expired at {@code entry.checkedAt()}.
     *
     * @return whether the entry was written (false: the guard kept the existing verdict)
     */
    public boolean put(CacheEntry entry) {
        Objects.requireNonNull(entry, "entry");
        try (Connection connection = dataSource.getConnection()) {
            if (update(connection, entry) > 0) {
                return true;
            }
            if (insert(connection, entry) > 0) {
                return true;
            }
            // a row appeared between the two statements (another node), or the guard kept it: one more guarded try
            return update(connection, entry) > 0;
        } catch (SQLException e) {
            throw DatabaseException.failed("verification cache: cannot store " + entry.address(), e);
        }
    }

    private static int update(Connection connection, CacheEntry e) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
            int i = 0;
            update.setString(++i, e.domain());
            update.setString(++i, e.status().name());
            setInteger(update, ++i, e.replyCode());
            update.setString(++i, e.replyText());
            update.setString(++i, e.mxHost());
            update.setObject(++i, Texts.utc(e.checkedAt()));
            update.setObject(++i, Texts.utc(e.firstRejectedAt()));
            update.setObject(++i, Texts.utc(e.refreshAt()));
            update.setObject(++i, Texts.utc(e.expiresAt()));
            update.setString(++i, e.kind().name());
            update.setString(++i, e.address());
            update.setString(++i, e.status().name());
            update.setObject(++i, Texts.utc(e.checkedAt()));
            return update.executeUpdate();
        }
    }

    private static int insert(Connection connection, CacheEntry e) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            int i = 0;
            insert.setString(++i, e.kind().name());
            insert.setString(++i, e.address());
            insert.setString(++i, e.domain());
            insert.setString(++i, e.status().name());
            setInteger(insert, ++i, e.replyCode());
            insert.setString(++i, e.replyText());
            insert.setString(++i, e.mxHost());
            insert.setObject(++i, Texts.utc(e.checkedAt()));
            insert.setObject(++i, Texts.utc(e.firstRejectedAt()));
            insert.setObject(++i, Texts.utc(e.refreshAt()));
            insert.setObject(++i, Texts.utc(e.expiresAt()));
            return insert.executeUpdate();
        }
    }

    /** Forgets one address ("verify again" in the panel). Returns whether a row was there. */
    public boolean delete(CacheKind kind, String address) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setString(1, kind.name());
            delete.setString(2, address);
            return delete.executeUpdate() > 0;
        } catch (SQLException e) {
            throw DatabaseException.failed("verification cache: cannot delete " + address, e);
        }
    }

    /** The cached verdicts of one domain, newest first, one page. */
    public List<CacheEntry> byDomain(String domain, int limit, int offset) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be 1..1000, got " + limit);
        if (offset < 0) throw new IllegalArgumentException("offset must not be negative, got " + offset);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(BY_DOMAIN)) {
            select.setString(1, domain);
            select.setInt(2, limit);
            select.setInt(3, offset);
            List<CacheEntry> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(read(rows));
                }
            }
            return found;
        } catch (SQLException e) {
            throw DatabaseException.failed("verification cache: cannot list " + domain, e);
        }
    }

    /**
     * Deletes at most {@code batchSize} rows that expired at or before {@code now}, soonest-expired first, and returns
     * how many. The cleanup job calls it until it returns less than {@code batchSize}.
     */
    public int deleteExpired(Instant now, int batchSize) {
        Objects.requireNonNull(now, "now");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(TRIM)) {
            delete.setObject(1, Texts.utc(now));
            delete.setInt(2, batchSize);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw DatabaseException.failed("verification cache: cleanup failed", e);
        }
    }

    private static CacheEntry read(ResultSet rows) throws SQLException {
        return new CacheEntry(
                CacheKind.valueOf(rows.getString("kind")),
                rows.getString("address"),
                rows.getString("domain"),
                CacheStatus.valueOf(rows.getString("status")),
                rows.getObject("reply_code", Integer.class),
                rows.getString("reply_text"),
                rows.getString("mx_host"),
                Texts.instant(rows.getObject("checked_at", OffsetDateTime.class)),
                Texts.instant(rows.getObject("first_rejected_at", OffsetDateTime.class)),
                Texts.instant(rows.getObject("refresh_at", OffsetDateTime.class)),
                Texts.instant(rows.getObject("expires_at", OffsetDateTime.class)));
    }

    private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }
}
