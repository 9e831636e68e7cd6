package greyrelay.db.verify;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.Jdbc;
import greyrelay.db.Paging;
import greyrelay.db.Sort;
import greyrelay.db.SortColumn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

    private static final String BY_DOMAIN = "SELECT " + COLUMNS + " FROM verification_cache WHERE domain = ?";

    private final Jdbc jdbc;

    public VerificationCache(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    /** The row for this address, expired or not (the caller's policy decides what an old row means). */
    public Optional<CacheEntry> find(CacheKind kind, String address) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        return jdbc.first("verification cache: cannot read " + address, FIND, s -> {
            s.setString(1, kind.name());
            s.setString(2, address);
        }, VerificationCache::read);
    }

    /**
     * Stores the entry, replacing the row of the same key, except that a TEMPFAIL entry never replaces a row holding a
     * definite verdict that has not expired at {@code entry.checkedAt()}.
     *
     * @return whether the entry was written (false: the guard kept the existing verdict)
     */
    public boolean put(CacheEntry entry) {
        Objects.requireNonNull(entry, "entry");
        return jdbc.withConnection("verification cache: cannot store " + entry.address(), connection -> {
            if (update(connection, entry) > 0) {
                return true;
            }
            if (insert(connection, entry) > 0) {
                return true;
            }
            // a row appeared between the two statements (another node), or the guard kept it: one more guarded try
            return update(connection, entry) > 0;
        });
    }

    private static int update(Connection connection, CacheEntry e) throws SQLException {
        return Jdbc.update(connection, UPDATE, update -> {
            int i = 0;
            update.setString(++i, e.domain());
            update.setString(++i, e.status().name());
            Jdbc.setInteger(update, ++i, e.replyCode());
            update.setString(++i, e.replyText());
            update.setString(++i, e.mxHost());
            update.setObject(++i, Jdbc.utc(e.checkedAt()));
            update.setObject(++i, Jdbc.utcOrNull(e.firstRejectedAt()));
            update.setObject(++i, Jdbc.utc(e.refreshAt()));
            update.setObject(++i, Jdbc.utc(e.expiresAt()));
            update.setString(++i, e.kind().name());
            update.setString(++i, e.address());
            update.setString(++i, e.status().name());
            update.setObject(++i, Jdbc.utc(e.checkedAt()));
        });
    }

    private static int insert(Connection connection, CacheEntry e) throws SQLException {
        return Jdbc.update(connection, INSERT, insert -> {
            int i = 0;
            insert.setString(++i, e.kind().name());
            insert.setString(++i, e.address());
            insert.setString(++i, e.domain());
            insert.setString(++i, e.status().name());
            Jdbc.setInteger(insert, ++i, e.replyCode());
            insert.setString(++i, e.replyText());
            insert.setString(++i, e.mxHost());
            insert.setObject(++i, Jdbc.utc(e.checkedAt()));
            insert.setObject(++i, Jdbc.utcOrNull(e.firstRejectedAt()));
            insert.setObject(++i, Jdbc.utc(e.refreshAt()));
            insert.setObject(++i, Jdbc.utc(e.expiresAt()));
        });
    }

    /** Forgets one address ("verify again" in the panel). Returns whether a row was there. */
    public boolean delete(CacheKind kind, String address) {
        return jdbc.update("verification cache: cannot delete " + address, DELETE, s -> {
            s.setString(1, kind.name());
            s.setString(2, address);
        }) > 0;
    }

    /** The cached verdicts of one domain, newest first, one page. */
    public List<CacheEntry> byDomain(String domain, int limit, int offset) {
        return byDomain(domain, limit, offset, Sort.desc(Column.CHECKED));
    }

    /** The columns a domain's cached verdicts may be sorted by; the default (newest check first) is {@code CHECKED} descending. */
    public enum Column implements SortColumn {
        ADDRESS(Spec.of("address")), KIND(Spec.of("kind")), VERDICT(Spec.of("status")), CHECKED(Spec.of("checked_at")),
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

    /** One domain's cached verdicts in {@code sort}'s order (ties by address), one page. */
    public List<CacheEntry> byDomain(String domain, int limit, int offset, Sort<Column> sort) {
        Paging.requirePage(limit, 1000, offset);
        return jdbc.list("verification cache: cannot list " + domain, BY_DOMAIN + sort.orderBy("address") + " LIMIT ? OFFSET ?", s -> {
            s.setString(1, domain);
            s.setInt(2, limit);
            s.setInt(3, offset);
        }, VerificationCache::read);
    }

    /**
     * Deletes at most {@code batchSize} rows that expired at or before {@code now}, soonest-expired first, and returns
     * how many. The cleanup job calls it until it returns less than {@code batchSize}.
     */
    public int deleteExpired(Instant now, int batchSize) {
        Objects.requireNonNull(now, "now");
        return jdbc.deleteBatch("verification cache: cleanup failed", TRIM, now, batchSize);
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
                Jdbc.instant(rows, "checked_at"),
                Jdbc.instant(rows, "first_rejected_at"),
                Jdbc.instant(rows, "refresh_at"),
                Jdbc.instant(rows, "expires_at"));
    }
}
