package greyrelay.db.verify;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.Jdbc;
import greyrelay.db.Where;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The probe history: append in batches, search for the admin panel (filters and paging), trim on a schedule.
 * Thread-safe; failures surface as {@link DatabaseException}.
 */
public final class ProbeLog {

    private static final String COLUMNS = "id, probed_at, node, session_id, kind, origin, address, domain, mx_host,"
            + " mx_ip, outcome, reply_code, reply_text, transcript, duration_ms, cache_hit";

    private static final String INSERT_INTO = "INSERT INTO probe_log (probed_at, node, session_id, kind, origin,"
            + " address, domain, mx_host, mx_ip, outcome, reply_code, reply_text, transcript, duration_ms, cache_hit) VALUES ";
    private static final int FIELDS = 15;

    private static final String FIND = "SELECT " + COLUMNS + " FROM probe_log WHERE id = ?";

    // oldest first, bounded: DELETE … LIMIT is not portable, LIMIT in a subquery is
    private static final String TRIM = "DELETE FROM probe_log WHERE id IN (SELECT id FROM probe_log"
            + " WHERE probed_at < ? ORDER BY probed_at, id LIMIT ?)";

    private final Jdbc jdbc;

    public ProbeLog(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    /** Stores the records in one transaction (multi-row inserts); their ids are ignored. An empty list does nothing. */
    public void appendAll(List<ProbeRecord> records) {
        jdbc.insertRows("probe log: cannot append " + records.size() + " records", INSERT_INTO, FIELDS, records,
                ProbeLog::bind);
    }

    /** Binds one record's {@value #FIELDS} values after the first {@code offset} parameters. */
    private static void bind(PreparedStatement insert, int offset, ProbeRecord r) throws SQLException {
        int i = offset;
        insert.setObject(++i, Jdbc.utc(r.probedAt()));
        insert.setString(++i, r.node());
        insert.setString(++i, r.sessionId());
        insert.setString(++i, r.kind().name());
        insert.setString(++i, r.origin());
        insert.setString(++i, r.address());
        insert.setString(++i, r.domain());
        insert.setString(++i, r.mxHost());
        insert.setString(++i, r.mxIp());
        insert.setString(++i, r.outcome());
        Jdbc.setInteger(insert, ++i, r.replyCode());
        insert.setString(++i, r.replyText());
        insert.setString(++i, r.transcript());
        insert.setLong(++i, r.durationMs());
        insert.setBoolean(++i, r.cacheHit());
    }

    /** Matching records in the query's order (newest first unless it says otherwise), one page. */
    public List<ProbeRecord> search(ProbeQuery query) {
        Objects.requireNonNull(query, "query");
        Where where = where(query);
        String sql = "SELECT " + COLUMNS + " FROM probe_log" + where.sql()
                + " ORDER BY " + query.order().sql + " LIMIT ? OFFSET ?";
        return jdbc.list("probe log: search failed", sql,
                Jdbc.parameters(where.parameters(query.limit(), query.offset())), ProbeLog::read);
    }

    /** One record by its id (the panel's probe page); empty when there is none, e.g. trimmed by retention. */
    public Optional<ProbeRecord> find(long id) {
        return jdbc.first("probe log: cannot read record " + id, FIND, s -> s.setLong(1, id), ProbeLog::read);
    }

    /** How many records match the query's filters (its paging ignored), for the panel's page count. */
    public long count(ProbeQuery query) {
        Objects.requireNonNull(query, "query");
        Where where = where(query);
        return jdbc.count("probe log: count failed", "SELECT COUNT(*) FROM probe_log" + where.sql(),
                Jdbc.parameters(where.parameters()));
    }

    private static Where where(ProbeQuery q) {
        Where where = new Where();
        if (q.addressContains() != null) {
            where.and(Jdbc.like("LOWER(address)"), Jdbc.containsPattern(q.addressContains()));
        }
        if (q.domain() != null) {
            where.and("domain = ?", q.domain());
        }
        if (q.outcome() != null) {
            where.and("outcome = ?", q.outcome());
        }
        if (q.kind() != null) {
            where.and("kind = ?", q.kind().name());
        }
        if (q.cacheHit() != null) {
            where.and("cache_hit = ?", q.cacheHit());
        }
        if (q.from() != null) {
            where.and("probed_at >= ?", Jdbc.utc(q.from()));
        }
        if (q.to() != null) {
            where.and("probed_at < ?", Jdbc.utc(q.to()));
        }
        return where;
    }

    /**
     * Deletes at most {@code batchSize} records older than {@code cutoff}, oldest first, and returns how many; the
     * retention job calls it until it returns less than {@code batchSize}.
     */
    public int deleteOlderThan(Instant cutoff, int batchSize) {
        Objects.requireNonNull(cutoff, "cutoff");
        return jdbc.deleteBatch("probe log: trim failed", TRIM, cutoff, batchSize);
    }

    private static ProbeRecord read(ResultSet rows) throws SQLException {
        return new ProbeRecord(
                rows.getLong("id"),
                Jdbc.instant(rows, "probed_at"),
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
}
