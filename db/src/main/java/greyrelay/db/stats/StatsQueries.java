package greyrelay.db.stats;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The morning report's raw figures (postgreyreport, pflogsumm) from the decision log, the greylist and the probe log,
 * since an instant. Aggregates are plain SQL that H2 and PostgreSQL both run; what needs parsing (networks, domains)
 * comes back as capped row lists for the caller to fold.
 */
public final class StatsQueries {
    /** Rows read for the folds in Java: a report, not an export. */
    public static final int MAX_ROWS = 200_000;

    private final Database database;

    public StatsQueries(Database database) {
        this.database = database;
    }

    /** A group and its count. */
    public record Count(String key, String key2, long n) {}

    /** A triplet's first sight and first pass (null when it never passed), attempts, sender. */
    public record Triplet(Instant firstSeen, Instant passedAt, int attempts, String sender, String client) {}

    /** An MX host's probe durations. */
    public record MxTime(String host, long probes, double avgMs, long maxMs) {}

    /** Final decisions (not observe) by outcome. */
    public List<Count> decisionsByOutcome(Instant from) {
        return counts("SELECT outcome, '' , COUNT(*) FROM decision_log WHERE decided_at >= ? AND observe = FALSE GROUP BY outcome"
                + " ORDER BY 3 DESC", from);
    }

    /** Decisions by check and outcome; {@code observe} picks the would-be answers of checks in observe mode. */
    public List<Count> decisionsByCheck(Instant from, boolean observe) {
        return counts("SELECT check_name, outcome, COUNT(*) FROM decision_log WHERE decided_at >= ? AND observe = "
                + (observe ? "TRUE" : "FALSE") + " GROUP BY check_name, outcome ORDER BY 3 DESC", from);
    }

    /** Deferred decisions: client address and sender, for the top networks and domains. */
    public List<Count> deferredClientsAndSenders(Instant from) {
        return counts("SELECT client_ip, sender, COUNT(*) FROM decision_log WHERE decided_at >= ? AND observe = FALSE"
                + " AND outcome = 'DEFERRED' GROUP BY client_ip, sender ORDER BY 3 DESC LIMIT " + MAX_ROWS, from);
    }

    /** Triplets first seen since {@code from}. */
    public List<Triplet> triplets(Instant from) {
        List<Triplet> out = new ArrayList<>();
        query("SELECT first_seen, passed_at, attempts, sender, client_key FROM greylist_triplet WHERE first_seen >= ? LIMIT " + MAX_ROWS,
                from, rs -> out.add(new Triplet(Jdbc.instant(rs, 1), Jdbc.instant(rs, 2),
                        rs.getInt(3), rs.getString(4), rs.getString(5))));
        return out;
    }

    /** Probes (not cache answers) by kind and outcome. */
    public List<Count> probesByOutcome(Instant from) {
        return counts("SELECT kind, outcome, COUNT(*) FROM probe_log WHERE probed_at >= ? AND cache_hit = FALSE"
                + " GROUP BY kind, outcome ORDER BY 3 DESC", from);
    }

    /** The slowest MX hosts by mean probe time. */
    public List<MxTime> slowestMx(Instant from, int limit) {
        List<MxTime> out = new ArrayList<>();
        query("SELECT mx_host, COUNT(*), AVG(CAST(duration_ms AS DOUBLE PRECISION)), MAX(duration_ms) FROM probe_log WHERE probed_at >= ?"
                + " AND cache_hit = FALSE AND mx_host IS NOT NULL GROUP BY mx_host ORDER BY 3 DESC LIMIT " + limit, from,
                rs -> out.add(new MxTime(rs.getString(1), rs.getLong(2), rs.getDouble(3), rs.getLong(4))));
        return out;
    }

    private List<Count> counts(String sql, Instant from) {
        List<Count> out = new ArrayList<>();
        query(sql, from, rs -> out.add(new Count(rs.getString(1), rs.getString(2), rs.getLong(3))));
        return out;
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Instant from, Row row) {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, Jdbc.utc(from));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) row.read(rs);
            }
        } catch (SQLException e) {
            throw new DatabaseException("stats query failed: " + e.getMessage(), e);
        }
    }
}
