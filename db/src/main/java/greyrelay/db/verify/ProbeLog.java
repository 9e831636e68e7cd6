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
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The probe history: append in batches, search for the admin panel (filters and paging), trim on a schedule.
 * Thread-safe; failures surface as {@link DatabaseException}.
 */
public final class ProbeLog {

    private static final String COLUMNS = "id, probed_at, node, session_id, kind, origin, address, domain, mx_host,"
            + " mx_ip, outcome, reply_code, reply_text, transcript, duration_ms, cache_hit";

    private static final String INSERT = "INSERT INTO probe_log (probed_at, node, session_id, kind, origin, address,"
            + " domain, mx_host, mx_ip, outcome, reply_code, reply_text, transcript, duration_ms, cache_hit)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String FIND = "SELECT " + COLUMNS + " FROM probe_log WHERE id = ?";

    // oldest first, bounded: DELETE … LIMIT is not portable, LIMIT in a subquery is
    private static final String TRIM = "DELETE FROM probe_log WHERE id IN (SELECT id FROM probe_log"
            + " WHERE probed_at < ? ORDER BY probed_at, id LIMIT ?)";

    static final char LIKE_ESCAPE = '!';

    private final DataSource dataSource;

    public ProbeLog(Database database) {
        this.dataSource = database.dataSource();
    }

    /** Stores the records in one batch and one transaction; their ids are ignored. An empty list does nothing. */
    public void appendAll(List<ProbeRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (ProbeRecord r : records) {
                    bind(insert, r);
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw DatabaseException.failed("probe log: cannot append " + records.size() + " records", e);
        }
    }

    private static void bind(PreparedStatement insert, ProbeRecord r) throws SQLException {
        int i = 0;
        insert.setObject(++i, Texts.utc(r.probedAt()));
        insert.setString(++i, r.node());
        insert.setString(++i, r.sessionId());
        insert.setString(++i, r.kind().name());
        insert.setString(++i, r.origin());
        insert.setString(++i, r.address());
        insert.setString(++i, r.domain());
        insert.setString(++i, r.mxHost());
        insert.setString(++i, r.mxIp());
        insert.setString(++i, r.outcome());
        if (r.replyCode() == null) {
            insert.setNull(++i, Types.INTEGER);
        } else {
            insert.setInt(++i, r.replyCode());
        }
        insert.setString(++i, r.replyText());
        insert.setString(++i, r.transcript());
        insert.setLong(++i, r.durationMs());
        insert.setBoolean(++i, r.cacheHit());
    }

    /** Matching records in the query's order (newest first unless it says otherwise), one page. */
    public List<ProbeRecord> search(ProbeQuery query) {
        Objects.requireNonNull(query, "query");
        List<Object> parameters = new ArrayList<>();
        String sql = "SELECT " + COLUMNS + " FROM probe_log" + where(query, parameters)
                + " ORDER BY " + query.order().sql + " LIMIT ? OFFSET ?";
        parameters.add(query.limit());
        parameters.add(query.offset());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            List<ProbeRecord> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(read(rows));
                }
            }
            return found;
        } catch (SQLException e) {
            throw DatabaseException.failed("probe log: search failed", e);
        }
    }

    /** One record by its id (the panel's probe page); empty when there is none, e.g. trimmed by retention. */
    public Optional<ProbeRecord> find(long id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(FIND)) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw DatabaseException.failed("probe log: cannot read record " + id, e);
        }
    }

    /** How many records match the query's filters (its paging ignored), for the panel's page count. */
    public long count(ProbeQuery query) {
        Objects.requireNonNull(query, "query");
        List<Object> parameters = new ArrayList<>();
        String sql = "SELECT COUNT(*) FROM probe_log" + where(query, parameters);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw DatabaseException.failed("probe log: count failed", e);
        }
    }

    private static String where(ProbeQuery q, List<Object> parameters) {
        List<String> conditions = new ArrayList<>();
        if (q.addressContains() != null) {
            conditions.add("LOWER(address) LIKE ? ESCAPE '" + LIKE_ESCAPE + "'");
            parameters.add(containsPattern(q.addressContains()));
        }
        if (q.domain() != null) {
            conditions.add("domain = ?");
            parameters.add(q.domain());
        }
        if (q.outcome() != null) {
            conditions.add("outcome = ?");
            parameters.add(q.outcome());
        }
        if (q.kind() != null) {
            conditions.add("kind = ?");
            parameters.add(q.kind().name());
        }
        if (q.cacheHit() != null) {
            conditions.add("cache_hit = ?");
            parameters.add(q.cacheHit());
        }
        if (q.from() != null) {
            conditions.add("probed_at >= ?");
            parameters.add(Texts.utc(q.from()));
        }
        if (q.to() != null) {
            conditions.add("probed_at < ?");
            parameters.add(Texts.utc(q.to()));
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /**
     * Deletes at most {@code batchSize} records older than {@code cutoff}, oldest first, and returns how many; the
     * retention job calls it until it returns less than {@code batchSize}.
     */
    public int deleteOlderThan(Instant cutoff, int batchSize) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(TRIM)) {
            delete.setObject(1, Texts.utc(cutoff));
            delete.setInt(2, batchSize);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw DatabaseException.failed("probe log: trim failed", e);
        }
    }

    private static ProbeRecord read(ResultSet rows) throws SQLException {
        return new ProbeRecord(
                rows.getLong("id"),
                Texts.instant(rows.getObject("probed_at", OffsetDateTime.class)),
                rows.getString("node"),
                rows.getString("session_id"),
                CacheKind.valueOf(rows.getString("kind")),
                rows.getString("origin"),
                rows.getString("address"),
                rows.getString("domain"),
                rows.getString("mx_host"),
                rows.getString("mx_ip"),
                rows.getString("outcome"),
                rows.getObject("reply_code", Integer.class),
                rows.getString("reply_text"),
                rows.getString("transcript"),
                rows.getLong("duration_ms"),
                rows.getBoolean("cache_hit"));
    }

    static String containsPattern(String text) {
        StringBuilder pattern = new StringBuilder("%");
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '%' || c == '_' || c == LIKE_ESCAPE) {
                pattern.append(LIKE_ESCAPE);
            }
            pattern.append(c);
        }
        return pattern.append('%').toString();
    }
}
