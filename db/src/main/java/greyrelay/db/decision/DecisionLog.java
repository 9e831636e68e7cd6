package greyrelay.db.decision;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The decision log store: append decisions in batches, search them for the admin panel, count them for the
 * dashboard, and trim old rows on a schedule.
 *
 * <p>Every method takes a connection from the pool and gives it back; failures surface as {@link DatabaseException}
 * with a one-line message. Thread-safe.
 */
public final class DecisionLog {

    private static final String COLUMNS = "id, decided_at, node, session_id, transaction_id, phase, check_name,"
            + " outcome, observe, reply_code, reply_text, reason, client_ip, helo, sender, recipient, queue_id";

    private static final String INSERT = "INSERT INTO decision_log (decided_at, node, session_id, transaction_id,"
            + " phase, check_name, outcome, observe, reply_code, reply_text, reason, client_ip, helo, sender,"
            + " recipient, queue_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    // oldest first, so an interrupted trim has removed the oldest rows; LIMIT in a subquery is portable, while
    // DELETE … LIMIT is not
    private static final String TRIM = "DELETE FROM decision_log WHERE id IN (SELECT id FROM decision_log"
            + " WHERE decided_at < ? ORDER BY decided_at, id LIMIT ?)";

    private static final String COUNT = "SELECT outcome, COUNT(*) FROM decision_log WHERE decided_at >= ?"
            + " GROUP BY outcome";

    // epoch seconds are extracted the same way on both databases; the division is done in DOUBLE PRECISION because
    // H2 rounds a NUMERIC quotient to the dividend's scale (3599 / 3600 gave 1), and FLOOR then keeps it whole
    private static final String HISTOGRAM = "SELECT b, outcome, check_name, COUNT(*) FROM (SELECT"
            + " FLOOR(CAST(EXTRACT(EPOCH FROM decided_at) - ? AS DOUBLE PRECISION) / ?) AS b, outcome, check_name"
            + " FROM decision_log"
            + " WHERE decided_at >= ? AND decided_at < ? AND observe = FALSE) t GROUP BY b, outcome, check_name";

    /** '!' rather than the backslash: no doubt about string-literal escaping on either database. */
    private static final char LIKE_ESCAPE = '!';

    private final DataSource dataSource;

    public DecisionLog(Database database) {
        this.dataSource = database.dataSource();
    }

    /**
     * Stores the decisions in one JDBC batch and one transaction: all or none. Their {@code id}s are ignored; the
     * database assigns new ones. An empty list does nothing.
     */
    public void appendAll(List<DecisionRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (DecisionRecord record : records) {
                    bind(insert, record);
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw DatabaseException.failed("decision log: cannot append " + records.size() + " decisions", e);
        }
    }

    /** A failing rollback must not hide why the batch failed. */
    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void bind(PreparedStatement insert, DecisionRecord record) throws SQLException {
        int i = 0;
        insert.setObject(++i, utc(record.decidedAt()));
        insert.setString(++i, record.node());
        insert.setString(++i, record.sessionId());
        insert.setString(++i, record.transactionId());
        insert.setString(++i, record.phase());
        insert.setString(++i, record.checkName());
        insert.setString(++i, record.outcome().name());
        insert.setBoolean(++i, record.observe());
        if (record.replyCode() == null) {
            insert.setNull(++i, Types.INTEGER);
        } else {
            insert.setInt(++i, record.replyCode());
        }
        insert.setString(++i, record.replyText());
        insert.setString(++i, record.reason());
        insert.setString(++i, record.clientIp());
        insert.setString(++i, record.helo());
        insert.setString(++i, record.sender());
        insert.setString(++i, record.recipient());
        insert.setString(++i, record.queueId());
    }

    /** Matching decisions, newest first (ties by id, newest first), one page of them. */
    public List<DecisionRecord> search(DecisionQuery query) {
        Objects.requireNonNull(query, "query");
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (query.senderContains() != null) {
            conditions.add("LOWER(sender) LIKE ? ESCAPE '" + LIKE_ESCAPE + "'");
            parameters.add(containsPattern(query.senderContains()));
        }
        if (query.recipientContains() != null) {
            conditions.add("LOWER(recipient) LIKE ? ESCAPE '" + LIKE_ESCAPE + "'");
            parameters.add(containsPattern(query.recipientContains()));
        }
        if (query.clientIp() != null) {
            conditions.add("client_ip = ?");
            parameters.add(query.clientIp());
        }
        if (query.outcome() != null) {
            conditions.add("outcome = ?");
            parameters.add(query.outcome().name());
        }
        if (query.from() != null) {
            conditions.add("decided_at >= ?");
            parameters.add(utc(query.from()));
        }
        if (query.to() != null) {
            conditions.add("decided_at < ?");
            parameters.add(utc(query.to()));
        }
        String sql = "SELECT " + COLUMNS + " FROM decision_log"
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY decided_at DESC, id DESC LIMIT ? OFFSET ?";
        parameters.add(query.limit());
        parameters.add(query.offset());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            List<DecisionRecord> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(read(rows));
                }
            }
            return found;
        } catch (SQLException e) {
            throw DatabaseException.failed("decision log: search failed", e);
        }
    }

    private static DecisionRecord read(ResultSet rows) throws SQLException {
        return new DecisionRecord(
                rows.getLong("id"),
                // getObject(i) gives OffsetDateTime on H2 but Timestamp on PostgreSQL; asking for the type is
                // what round-trips the same instant on both
                rows.getObject("decided_at", OffsetDateTime.class).toInstant(),
                rows.getString("node"),
                rows.getString("session_id"),
                rows.getString("transaction_id"),
                rows.getString("phase"),
                rows.getString("check_name"),
                Outcome.valueOf(rows.getString("outcome")),
                rows.getBoolean("observe"),
                rows.getObject("reply_code", Integer.class),
                rows.getString("reply_text"),
                rows.getString("reason"),
                rows.getString("client_ip"),
                rows.getString("helo"),
                rows.getString("sender"),
                rows.getString("recipient"),
                rows.getString("queue_id"));
    }

    /**
     * Deletes at most {@code batchSize} decisions made before {@code cutoff}, oldest first, and returns how many it
     * deleted. The retention job calls it until it returns less than {@code batchSize}, so no single statement
     * holds locks on a large part of the table.
     */
    public int deleteOlderThan(Instant cutoff, int batchSize) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(TRIM)) {
            delete.setObject(1, utc(cutoff));
            delete.setInt(2, batchSize);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw DatabaseException.failed("decision log: trim failed", e);
        }
    }

    /** How many decisions of each outcome were made at or after {@code since}; every outcome is present, 0 if none. */
    public Map<Outcome, Long> countByOutcome(Instant since) {
        Objects.requireNonNull(since, "since");
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, 0L);
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(COUNT)) {
            count.setObject(1, utc(since));
            try (ResultSet rows = count.executeQuery()) {
                while (rows.next()) {
                    counts.put(Outcome.valueOf(rows.getString(1)), rows.getLong(2));
                }
            }
            return counts;
        } catch (SQLException e) {
            throw DatabaseException.failed("decision log: count failed", e);
        }
    }

    /** One decision by its id. */
    public Optional<DecisionRecord> find(long id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM decision_log WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw DatabaseException.failed("decision log: lookup failed", e);
        }
    }

    /** Every decision of one SMTP session, oldest first, at most {@code limit}: the story of one connection. */
    public List<DecisionRecord> forSession(String sessionId, int limit) {
        Objects.requireNonNull(sessionId, "sessionId");
        if (limit < 1 || limit > DecisionQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + DecisionQuery.MAX_LIMIT + ", got " + limit);
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                        + " FROM decision_log WHERE session_id = ? ORDER BY decided_at, id LIMIT ?")) {
            select.setString(1, sessionId);
            select.setInt(2, limit);
            List<DecisionRecord> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(read(rows));
                }
            }
            return found;
        } catch (SQLException e) {
            throw DatabaseException.failed("decision log: session lookup failed", e);
        }
    }

    /**
     * Enforced decisions (observe-mode rows left out) counted per time bucket, outcome and check, for the dashboard's
     * charts: bucket {@code i} covers {@code [from + i·bucket, from + (i+1)·bucket)}. Buckets without decisions are
     * absent. The bucket number is computed in SQL from the epoch seconds, which both databases extract the same way.
     */
    public List<BucketCount> histogram(Instant from, Duration bucket, int buckets) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(bucket, "bucket");
        if (bucket.toSeconds() < 1) {
            throw new IllegalArgumentException("bucket must be at least one second, got " + bucket);
        }
        if (buckets < 1 || buckets > 10_000) {
            throw new IllegalArgumentException("buckets must be 1..10000, got " + buckets);
        }
        Instant to = from.plus(bucket.multipliedBy(buckets));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(HISTOGRAM)) {
            select.setLong(1, from.getEpochSecond());
            select.setDouble(2, bucket.toSeconds());
            select.setObject(3, utc(from));
            select.setObject(4, utc(to));
            List<BucketCount> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    int b = (int) rows.getLong(1);
                    if (b >= 0 && b < buckets) {
                        found.add(new BucketCount(b, Outcome.valueOf(rows.getString(2)), rows.getString(3), rows.getLong(4)));
                    }
                }
            }
            return found;
        } catch (SQLException e) {
            throw DatabaseException.failed("decision log: histogram failed", e);
        }
    }

    /** The client IPs with the most enforced decisions of this outcome since {@code since}, most first (ties by IP). */
    public List<KeyCount> topClientIps(Outcome outcome, Instant since, int limit) {
        return top("client_ip", "client_ip IS NOT NULL", outcome, since, limit);
    }

    /**
     * The sender domains (the part after the last {@code @}, lower-cased) with the most enforced decisions of this
     * outcome since {@code since}, most first. The null sender and senders without {@code @} are left out.
     */
    public List<KeyCount> topSenderDomains(Outcome outcome, Instant since, int limit) {
        // REGEXP_REPLACE exists on both; the greedy '^.*@' eats up to the last '@' (a quoted local part may hold one)
        return top("LOWER(REGEXP_REPLACE(sender, '^.*@', ''))", "sender LIKE '%@%'", outcome, since, limit);
    }

    private List<KeyCount> top(String keyExpression, String condition, Outcome outcome, Instant since, int limit) {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(since, "since");
        if (limit < 1 || limit > DecisionQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + DecisionQuery.MAX_LIMIT + ", got " + limit);
        }
        String sql = "SELECT k, COUNT(*) AS n FROM (SELECT " + keyExpression + " AS k FROM decision_log"
                + " WHERE outcome = ? AND observe = FALSE AND decided_at >= ? AND " + condition + ") t"
                + " GROUP BY k ORDER BY n DESC, k LIMIT ?";
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, outcome.name());
            select.setObject(2, utc(since));
            select.setInt(3, limit);
            List<KeyCount> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(new KeyCount(rows.getString(1), rows.getLong(2)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw DatabaseException.failed("decision log: top list failed", e);
        }
    }

    /** Both drivers map OffsetDateTime to TIMESTAMP WITH TIME ZONE; UTC keeps what is stored easy to read. */
    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** {@code %text%} in lower case, with the LIKE wildcards in the text taken literally. */
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
