package greyrelay.db.verify;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.Jdbc;
import greyrelay.db.Paging;
import greyrelay.db.Sort;
import greyrelay.db.SortColumn;
import greyrelay.db.Where;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The per-domain profiles learned from probes. Thread-safe; failures surface as {@link DatabaseException}. */
public final class DomainProfiles {

    /** Trait to column (from {@link Column}, the one place that names them); the enum order is the column order. */
    private static final Map<DomainTrait, String> COLUMN = columns();

    private static Map<DomainTrait, String> columns() {
        Map<DomainTrait, String> m = new EnumMap<>(DomainTrait.class);
        for (DomainTrait t : DomainTrait.values()) m.put(t, Column.of(t).sql());
        return m;
    }

    private static final String TRAIT_COLUMNS = String.join(", ", COLUMN.values());
    private static final String COLUMNS = "domain, " + TRAIT_COLUMNS + ", updated_at";
    private static final String FIND = "SELECT " + COLUMNS + " FROM domain_profile WHERE domain = ?";
    private static final String UPDATE = "UPDATE domain_profile SET "
            + String.join(" = ?, ", COLUMN.values()) + " = ?, updated_at = ? WHERE domain = ?";
    private static final String INSERT = "INSERT INTO domain_profile (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING";
    private static final String LIST = "SELECT " + COLUMNS + " FROM domain_profile ORDER BY updated_at DESC, domain"
            + " LIMIT ? OFFSET ?";
    private static final String DELETE = "DELETE FROM domain_profile WHERE domain = ?";
    private static final String TRIM = "DELETE FROM domain_profile WHERE domain IN (SELECT domain FROM domain_profile"
            + " WHERE updated_at < ? ORDER BY updated_at LIMIT ?)";

    private final Jdbc jdbc;

    public DomainProfiles(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    public Optional<DomainProfile> find(String domain) {
        return jdbc.first("domain profiles: cannot read " + domain, FIND,
                s -> s.setString(1, domain.toLowerCase(Locale.ROOT)), DomainProfiles::read);
    }

    /** Stores the whole profile (last writer wins). */
    public void put(DomainProfile profile) {
        Objects.requireNonNull(profile, "profile");
        jdbc.withConnection("domain profiles: cannot store " + profile.domain(), connection -> {
            if (update(connection, profile) > 0) return null;
            if (insert(connection, profile) > 0) return null;
            update(connection, profile);
            return null;
        });
    }

    private static int update(Connection connection, DomainProfile p) throws SQLException {
        return Jdbc.update(connection, UPDATE, update -> {
            int i = 0;
            for (DomainTrait t : COLUMN.keySet()) update.setObject(++i, Jdbc.utcOrNull(p.traits().get(t)));
            update.setObject(++i, Jdbc.utc(p.updatedAt()));
            update.setString(++i, p.domain());
        });
    }

    private static int insert(Connection connection, DomainProfile p) throws SQLException {
        return Jdbc.update(connection, INSERT, insert -> {
            int i = 0;
            insert.setString(++i, p.domain());
            for (DomainTrait t : COLUMN.keySet()) insert.setObject(++i, Jdbc.utcOrNull(p.traits().get(t)));
            insert.setObject(++i, Jdbc.utc(p.updatedAt()));
        });
    }

    /** Profiles, most recently changed first, one page (for the panel). */
    public List<DomainProfile> list(int limit, int offset) {
        Paging.requirePage(limit, 1000, offset);
        return jdbc.list("domain profiles: cannot list", LIST, s -> {
            s.setInt(1, limit);
            s.setInt(2, offset);
        }, DomainProfiles::read);
    }

    /** The columns the profile list may be sorted by; the default (most recently changed first) is {@code CHANGED} descending. */
    public enum Column implements SortColumn {
        DOMAIN(Spec.of("domain")), UNREACHABLE(Spec.nullable("unreachable_at")),
        REFUSES_NULL_SENDER(Spec.nullable("refuses_null_sender_at")),
        GREYLISTS_PROBES(Spec.nullable("greylists_probes_at")), NULL_MX(Spec.nullable("null_mx_at")),
        ACCEPTS_ANY(Spec.nullable("accepts_any_at")), CHANGED(Spec.of("updated_at"));

        private final Spec spec;

        Column(Spec spec) {
            this.spec = spec;
        }

        /** The column of a trait's observation time. */
        public static Column of(DomainTrait trait) {
            return valueOf(trait.name());
        }

        @Override
        public Spec spec() {
            return spec;
        }
    }

    /** Matching profiles, most recently changed first, one page (the panel's search). */
    public List<DomainProfile> search(ProfileQuery query) {
        return search(query, Sort.desc(Column.CHANGED));
    }

    /** Matching profiles in {@code sort}'s order (ties by domain in the same direction), one page. */
    public List<DomainProfile> search(ProfileQuery query, Sort<Column> sort) {
        Objects.requireNonNull(query, "query");
        Where where = new Where();
        if (query.domainContains() != null) {
            // domains are stored in lower case, so the lower-cased pattern needs no LOWER() on the column
            where.and(Jdbc.like("domain"), Jdbc.containsPattern(query.domainContains()));
        }
        if (query.trait() != null) {
            // the column name comes from our own map, never from the query text
            String column = COLUMN.get(query.trait());
            if (query.observedSince() == null) {
                where.and(column + " IS NOT NULL");
            } else {
                where.and(column + " >= ?", Jdbc.utc(query.observedSince()));
            }
        }
        String sql = "SELECT " + COLUMNS + " FROM domain_profile" + where.sql()
                + sort.orderBy("domain") + " LIMIT ? OFFSET ?";
        return jdbc.list("domain profiles: search failed", sql,
                Jdbc.parameters(where.parameters(query.limit(), query.offset())), DomainProfiles::read);
    }

    /** Forgets what probes taught us about one domain (the panel's "forget profile"). Returns whether there was a profile. */
    public boolean delete(String domain) {
        Objects.requireNonNull(domain, "domain");
        return jdbc.update("domain profiles: cannot delete " + domain, DELETE,
                s -> s.setString(1, domain.toLowerCase(Locale.ROOT))) > 0;
    }

    /** Deletes at most {@code batchSize} profiles unchanged since before {@code cutoff}; returns how many. */
    public int deleteUnchangedSince(Instant cutoff, int batchSize) {
        Objects.requireNonNull(cutoff, "cutoff");
        return jdbc.deleteBatch("domain profiles: cleanup failed", TRIM, cutoff, batchSize);
    }

    private static DomainProfile read(ResultSet rows) throws SQLException {
        EnumMap<DomainTrait, Instant> traits = new EnumMap<>(DomainTrait.class);
        for (var e : COLUMN.entrySet()) {
            Instant at = Jdbc.instant(rows, e.getValue());
            if (at != null) traits.put(e.getKey(), at);
        }
        return new DomainProfile(rows.getString("domain"), traits, Jdbc.instant(rows, "updated_at"));
    }
}
