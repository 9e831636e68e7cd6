package greyrelay.db.decision;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.Jdbc;
import greyrelay.db.Sort;
import greyrelay.db.SortColumn;
import greyrelay.db.Paging;
import greyrelay.db.Where;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The decision log store: append decisions in batches, search them for the admin panel, count them for the
 * dashboard, and trim old rows on a schedule.
 *
 * <p>Every method takes a connection from the pool and gives it back; failures surface as {@link DatabaseException}
 * with a one-line message. Thread-safe.
 */
public final class DecisionLog {

    private static final String COLUMNS = "id, decided_at, node, session_id, transaction_id, phase, check_name,"
            + " outcome, observe, reply_code, reply_text, reason, client_ip, helo, sender, recipient, queue_id, origin";

    private static final String INSERT_INTO = "INSERT INTO decision_log (decided_at, node, session_id, transaction_id,"
            + " phase, check_name, outcome, observe, reply_code, reply_text, reason, client_ip, helo, sender,"
            + " recipient, queue_id, origin) VALUES ";
    private static final int FIELDS = 17;

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

    private final Jdbc jdbc;

    public DecisionLog(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    /**
     * Stores the decisions in one JDBC batch and one transaction: all or none. Their {@code id}s are ignored; the
     * database assigns new ones. An empty list does nothing.
     */
    public void appendAll(List<DecisionRecord> records) {
        jdbc.insertRows("decision log: cannot append " + records.size() + " decisions", INSERT_INTO, FIELDS, records,
                DecisionLog::bind);
    }

    /** Binds one record's {@value #FIELDS} values after the first {@code offset} parameters. */
    private static void bind(PreparedStatement insert, int offset, DecisionRecord record) throws SQLException {
        int i = offset;
        insert.setObject(++i, Jdbc.utc(record.decidedAt()));
        insert.setString(++i, record.node());
        insert.setString(++i, record.sessionId());
        insert.setString(++i, record.transactionId());
        insert.setString(++i, record.phase());
        insert.setString(++i, record.checkName());
        insert.setString(++i, record.outcome().name());
        insert.setBoolean(++i, record.observe());
        Jdbc.setInteger(insert, ++i, record.replyCode());
        insert.setString(++i, record.replyText());
        insert.setString(++i, record.reason());
        insert.setString(++i, record.clientIp());
        insert.setString(++i, record.helo());
        insert.setString(++i, record.sender());
        insert.setString(++i, record.recipient());
        insert.setString(++i, record.queueId());
        insert.setString(++i, record.origin());
    }

    /** The columns the decision list may be sorted by. */
    public enum Column implements SortColumn {
        TIME(Spec.of("decided_at")), CLIENT(Spec.nullable("client_ip")), SENDER(Spec.nullable("sender")),
        RECIPIENT(Spec.nullable("recipient")), CHECK(Spec.of("check_name")), OUTCOME(Spec.of("outcome")),
        REPLY(Spec.nullable("reply_code"));

        private final Spec spec;

        Column(Spec spec) {
            this.spec = spec;
        }

        @Override
        public Spec spec() {
            return spec;
        }
    }

    /** Matching decisions, newest first (ties by id, newest first), one page of them. */
    public List<DecisionRecord> search(DecisionQuery query) {
        return search(query, Sort.desc(Column.TIME));
    }

    /** Matching decisions in {@code sort}'s order (ties by id in the same direction), one page of them. */
    public List<DecisionRecord> search(DecisionQuery query, Sort<Column> sort) {
        Objects.requireNonNull(query, "query");
        Where where = new Where();
        if (query.senderContains() != null) {
            where.and(Jdbc.like("LOWER(sender)"), Jdbc.containsPattern(query.senderContains()));
        }
        if (query.recipientContains() != null) {
            where.and(Jdbc.like("LOWER(recipient)"), Jdbc.containsPattern(query.recipientContains()));
        }
        if (query.clientIp() != null) {
            where.and("client_ip = ?", query.clientIp());
        }
        if (query.outcome() != null) {
            where.and("outcome = ?", query.outcome().name());
        }
        if (query.from() != null) {
            where.and("decided_at >= ?", Jdbc.utc(query.from()));
        }
        if (query.to() != null) {
            where.and("decided_at < ?", Jdbc.utc(query.to()));
        }
        String sql = "SELECT " + COLUMNS + " FROM decision_log" + where.sql()
                + sort.orderBy("id") + " LIMIT ? OFFSET ?";
        return jdbc.list("decision log: search failed", sql,
                Jdbc.parameters(where.parameters(query.limit(), query.offset())), DecisionLog::read);
    }

    private static DecisionRecord read(ResultSet rows) throws SQLException {
        return new DecisionRecord(
                rows.getLong("id"),
                Jdbc.instant(rows, "decided_at"),
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
                rows.getString("queue_id"),
                rows.getString("origin"));
    }

    /**
     * Deletes at most {@code batchSize} decisions made before {@code cutoff}, oldest first, and returns how many it
     * deleted. The retention job calls it until it returns less than {@code batchSize}, so no single statement
     * holds locks on a large part of the table.
     */
    public int deleteOlderThan(Instant cutoff, int batchSize) {
        Objects.requireNonNull(cutoff, "cutoff");
        return jdbc.deleteBatch("decision log: trim failed", TRIM, cutoff, batchSize);
    }

    /** How many decisions of each outcome were made at or after {@code since}; every outcome is present, 0 if none. */
    public Map<Outcome, Long> countByOutcome(Instant since) {
        Objects.requireNonNull(since, "since");
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, 0L);
        }
        return jdbc.query("decision log: count failed", COUNT, s -> s.setObject(1, Jdbc.utc(since)), rows -> {
            while (rows.next()) {
                counts.put(Outcome.valueOf(rows.getString(1)), rows.getLong(2));
            }
            return counts;
        });
    }

    /** One decision by its id. */
    public Optional<DecisionRecord> find(long id) {
        return jdbc.first("decision log: lookup failed", "SELECT " + COLUMNS + " FROM decision_log WHERE id = ?",
                s -> s.setLong(1, id), DecisionLog::read);
    }

    /** Every decision of one SMTP session, oldest first, at most {@code limit}: the story of one connection. */
    public List<DecisionRecord> forSession(String sessionId, int limit) {
        Objects.requireNonNull(sessionId, "sessionId");
        Paging.requireLimit(limit, DecisionQuery.MAX_LIMIT);
        return jdbc.list("decision log: session lookup failed", "SELECT " + COLUMNS
                + " FROM decision_log WHERE session_id = ? ORDER BY decided_at, id LIMIT ?", s -> {
                    s.setString(1, sessionId);
                    s.setInt(2, limit);
                }, DecisionLog::read);
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
        return jdbc.query("decision log: histogram failed", HISTOGRAM, s -> {
            s.setLong(1, from.getEpochSecond());
            s.setDouble(2, bucket.toSeconds());
            s.setObject(3, Jdbc.utc(from));
            s.setObject(4, Jdbc.utc(to));
        }, rows -> {
            List<BucketCount> found = new ArrayList<>();
            while (rows.next()) {
                int b = (int) rows.getLong(1);
                if (b >= 0 && b < buckets) {
                    found.add(new BucketCount(b, Outcome.valueOf(rows.getString(2)), rows.getString(3), rows.getLong(4)));
                }
            }
            return found;
        });
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
        Paging.requireLimit(limit, DecisionQuery.MAX_LIMIT);
        String sql = "SELECT k, COUNT(*) AS n FROM (SELECT " + keyExpression + " AS k FROM decision_log"
                + " WHERE outcome = ? AND observe = FALSE AND decided_at >= ? AND " + condition + ") t"
                + " GROUP BY k ORDER BY n DESC, k LIMIT ?";
        return jdbc.list("decision log: top list failed", sql, s -> {
            s.setString(1, outcome.name());
            s.setObject(2, Jdbc.utc(since));
            s.setInt(3, limit);
        }, rows -> new KeyCount(rows.getString(1), rows.getLong(2)));
    }
}
