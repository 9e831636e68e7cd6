package greyrelay.db.ratelimit;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.Dialect;
import greyrelay.db.Jdbc;
import greyrelay.db.Sort;
import greyrelay.db.SortColumn;
import greyrelay.db.ratelimit.RateLimitOverride.Kind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate-limit override store: list (the relay loads all rows into a snapshot), find, save (insert or replace by
 * kind and match) and delete. Small by nature (tens to hundreds of rows), so no paging.
 *
 * <p>Every method takes a connection from the pool and gives it back; failures surface as {@link DatabaseException}
 * with a one-line message. Thread-safe.
 */
public final class RateLimitOverrides {
    private static final Logger log = LoggerFactory.getLogger(RateLimitOverrides.class);

    private static final String COLUMNS = "id, kind, match_value, connections_per_minute, messages_per_hour,"
            + " recipients_per_hour, note, updated_at";

    // H2 has no ON CONFLICT … DO UPDATE; PostgreSQL's MERGE can fail with 23505 when two saves race, while its
    // ON CONFLICT cannot. So each database gets the statement that is atomic on it (db/README.md, "Upsert").
    private static final String UPSERT_POSTGRES = "INSERT INTO rate_limit_override (kind, match_value,"
            + " connections_per_minute, messages_per_hour, recipients_per_hour, note, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, match_value) DO UPDATE SET"
            + " connections_per_minute = EXCLUDED.connections_per_minute, messages_per_hour = EXCLUDED.messages_per_hour,"
            + " recipients_per_hour = EXCLUDED.recipients_per_hour, note = EXCLUDED.note, updated_at = EXCLUDED.updated_at";
    private static final String UPSERT_H2 = "MERGE INTO rate_limit_override t USING (VALUES (CAST(? AS VARCHAR(16)),"
            + " CAST(? AS VARCHAR(255)), CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS VARCHAR(500)),"
            + " CAST(? AS TIMESTAMP WITH TIME ZONE))) AS s(kind, match_value, cpm, mph, rph, note, updated_at)"
            + " ON t.kind = s.kind AND t.match_value = s.match_value"
            + " WHEN MATCHED THEN UPDATE SET connections_per_minute = s.cpm, messages_per_hour = s.mph,"
            + " recipients_per_hour = s.rph, note = s.note, updated_at = s.updated_at"
            + " WHEN NOT MATCHED THEN INSERT (kind, match_value, connections_per_minute, messages_per_hour,"
            + " recipients_per_hour, note, updated_at) VALUES (s.kind, s.match_value, s.cpm, s.mph, s.rph, s.note, s.updated_at)";

    private final Jdbc jdbc;
    private final Dialect dialect;

    public RateLimitOverrides(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
        this.dialect = database.dialect();
    }

    /** Every override, client blocks first, then sender domains, each by match. */
    public List<RateLimitOverride> list() {
        return list(Sort.asc(Column.FOR));
    }

    /** The columns the overrides may be sorted by; {@code FOR} is the kind, then the match. */
    public enum Column implements SortColumn {
        FOR(Spec.of("kind")), MATCH(Spec.of("match_value")), CONNECTIONS(Spec.nullable("connections_per_minute")),
        MESSAGES(Spec.nullable("messages_per_hour")), RECIPIENTS(Spec.nullable("recipients_per_hour")),
        NOTE(Spec.nullable("note")), UPDATED(Spec.of("updated_at"));

        private final Spec spec;

        Column(Spec spec) {
            this.spec = spec;
        }

        @Override
        public Spec spec() {
            return spec;
        }
    }

    /** Every override in {@code sort}'s order (ties by kind and match in the same direction). */
    public List<RateLimitOverride> list(Sort<Column> sort) {
        String sql = "SELECT " + COLUMNS + " FROM rate_limit_override" + sort.orderBy("kind, match_value");
        return jdbc.query("rate-limit overrides: cannot list", sql, Jdbc.NO_PARAMETERS, rows -> {
            List<RateLimitOverride> out = new ArrayList<>();
            while (rows.next()) {
                try {
                    out.add(read(rows));
                } catch (IllegalArgumentException e) {
                    // a row written by hand past the validation: skip it rather than lose every other override
                    log.warn("rate-limit overrides: row {} skipped: {}", rows.getLong("id"), e.getMessage());
                }
            }
            return out;
        });
    }

    /** The override for exactly this kind and (normalised) match, if any. */
    public Optional<RateLimitOverride> find(Kind kind, String match) {
        Objects.requireNonNull(kind, "kind");
        String normalised = normalise(kind, match);
        String sql = "SELECT " + COLUMNS + " FROM rate_limit_override WHERE kind = ? AND match_value = ?";
        return jdbc.first("rate-limit overrides: cannot read " + normalised, sql, s -> {
            s.setString(1, kind.column());
            s.setString(2, normalised);
        }, RateLimitOverrides::read);
    }

    /** The override with this id, if any (admin panel: edit and delete by id). */
    public Optional<RateLimitOverride> find(long id) {
        String sql = "SELECT " + COLUMNS + " FROM rate_limit_override WHERE id = ?";
        return jdbc.first("rate-limit overrides: cannot read id " + id, sql, s -> s.setLong(1, id), RateLimitOverrides::read);
    }

    /**
     * Inserts the override, or replaces the limits, note and time of the one with the same kind and match (its id
     * stays). Returns the stored row with its id; the given record's id is ignored.
     */
    public RateLimitOverride save(RateLimitOverride override) {
        Objects.requireNonNull(override, "override");
        String sql = dialect == Dialect.POSTGRESQL ? UPSERT_POSTGRES : UPSERT_H2;
        jdbc.update("rate-limit overrides: cannot save " + override.match(), sql, upsert -> {
            int i = 0;
            upsert.setString(++i, override.kind().column());
            upsert.setString(++i, override.match());
            Jdbc.setInteger(upsert, ++i, override.connectionsPerMinute());
            Jdbc.setInteger(upsert, ++i, override.messagesPerHour());
            Jdbc.setInteger(upsert, ++i, override.recipientsPerHour());
            upsert.setString(++i, override.note());
            upsert.setObject(++i, Jdbc.utc(override.updatedAt()));
        });
        return find(override.kind(), override.match())
                .orElseThrow(() -> new DatabaseException("rate-limit overrides: " + override.match() + " vanished after save"));
    }

    /** Deletes the override with this kind and match; false when there was none. */
    public boolean delete(Kind kind, String match) {
        Objects.requireNonNull(kind, "kind");
        String normalised = normalise(kind, match);
        return jdbc.update("rate-limit overrides: cannot delete " + normalised,
                "DELETE FROM rate_limit_override WHERE kind = ? AND match_value = ?", s -> {
                    s.setString(1, kind.column());
                    s.setString(2, normalised);
                }) > 0;
    }

    /** Deletes the override with this id; false when there was none. */
    public boolean delete(long id) {
        return jdbc.update("rate-limit overrides: cannot delete id " + id, "DELETE FROM rate_limit_override WHERE id = ?",
                s -> s.setLong(1, id)) > 0;
    }

    private static String normalise(Kind kind, String match) {
        return switch (kind) {
            case CLIENT -> RateLimitOverride.parseBlock(match).cidr();
            case SENDER_DOMAIN -> RateLimitOverride.normaliseDomain(match);
        };
    }

    private static RateLimitOverride read(ResultSet rows) throws SQLException {
        return new RateLimitOverride(
                rows.getLong("id"),
                Kind.fromColumn(rows.getString("kind")),
                rows.getString("match_value"),
                rows.getObject("connections_per_minute", Integer.class),
                rows.getObject("messages_per_hour", Integer.class),
                rows.getObject("recipients_per_hour", Integer.class),
                rows.getString("note"),
                Jdbc.instant(rows, "updated_at"));
    }
}
