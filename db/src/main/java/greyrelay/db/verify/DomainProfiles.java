package greyrelay.db.verify;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** The per-domain profiles learned from probes. Thread-safe; failures surface as {@link DatabaseException}. */
public final class DomainProfiles {

    /** Trait to column; the enum order is the column order. */
    private static final Map<DomainTrait, String> COLUMN = new EnumMap<>(Map.of(
            DomainTrait.UNREACHABLE, "unreachable_at",
            DomainTrait.REFUSES_NULL_SENDER, "refuses_null_sender_at",
            DomainTrait.GREYLISTS_PROBES, "greylists_probes_at",
            DomainTrait.NULL_MX, "null_mx_at",
            DomainTrait.ACCEPTS_ANY, "accepts_any_at"));

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

    private final DataSource dataSource;

    public DomainProfiles(Database database) {
        this.dataSource = database.dataSource();
    }

    public Optional<DomainProfile> find(String domain) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(FIND)) {
            select.setString(1, domain.toLowerCase(Locale.ROOT));
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw DatabaseException.failed("domain profiles: cannot read " + domain, e);
        }
    }

    /** Stores the whole profile (last writer wins). */
    public void put(DomainProfile profile) {
        Objects.requireNonNull(profile, "profile");
        try (Connection connection = dataSource.getConnection()) {
            if (update(connection, profile) > 0) return;
            if (insert(connection, profile) > 0) return;
            update(connection, profile);
        } catch (SQLException e) {
            throw DatabaseException.failed("domain profiles: cannot store " + profile.domain(), e);
        }
    }

    private static int update(Connection connection, DomainProfile p) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
            int i = 0;
            for (DomainTrait t : COLUMN.keySet()) update.setObject(++i, Texts.utc(p.traits().get(t)));
            update.setObject(++i, Texts.utc(p.updatedAt()));
            update.setString(++i, p.domain());
            return update.executeUpdate();
        }
    }

    private static int insert(Connection connection, DomainProfile p) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            int i = 0;
            insert.setString(++i, p.domain());
            for (DomainTrait t : COLUMN.keySet()) insert.setObject(++i, Texts.utc(p.traits().get(t)));
            insert.setObject(++i, Texts.utc(p.updatedAt()));
            return insert.executeUpdate();
        }
    }

    /** Profiles, most recently changed first, one page (for the panel). */
    public List<DomainProfile> list(int limit, int offset) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be 1..1000, got " + limit);
        if (offset < 0) throw new IllegalArgumentException("offset must not be negative, got " + offset);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(LIST)) {
            select.setInt(1, limit);
            select.setInt(2, offset);
            List<DomainProfile> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) found.add(read(rows));
            }
            return found;
        } catch (SQLException e) {
            throw DatabaseException.failed("domain profiles: cannot list", e);
        }
    }

    /** Matching profiles, most recently changed first, one page (the panel's search). */
    public List<DomainProfile> search(ProfileQuery query) {
        Objects.requireNonNull(query, "query");
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (query.domainContains() != null) {
            conditions.add("domain LIKE ? ESCAPE '" + ProbeLog.LIKE_ESCAPE + "'");
            parameters.add(ProbeLog.containsPattern(query.domainContains()));
        }
        if (query.trait() != null) {
            // the column name comes from our own map, never from the query text
            String column = COLUMN.get(query.trait());
            conditions.add(column + (query.observedSince() == null ? " IS NOT NULL" : " >= ?"));
            if (query.observedSince() != null) parameters.add(Texts.utc(query.observedSince()));
        }
        String sql = "SELECT " + COLUMNS + " FROM domain_profile"
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY updated_at DESC, domain LIMIT ? OFFSET ?";
        parameters.add(query.limit());
        parameters.add(query.offset());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) select.setObject(i + 1, parameters.get(i));
            List<DomainProfile> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) found.add(read(rows));
            }
            return found;
        } catch (SQLException e) {
            throw DatabaseException.failed("domain profiles: search failed", e);
        }
    }

    /** Forgets what probes taught us about one domain (the panel's "forget profile"). Returns whether there was a profile. */
    public boolean delete(String domain) {
        Objects.requireNonNull(domain, "domain");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setString(1, domain.toLowerCase(Locale.ROOT));
            return delete.executeUpdate() > 0;
        } catch (SQLException e) {
            throw DatabaseException.failed("domain profiles: cannot delete " + domain, e);
        }
    }

    /** Deletes at most {@code batchSize} profiles unchanged since before {@code cutoff}; returns how many. */
    public int deleteUnchangedSince(Instant cutoff, int batchSize) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(TRIM)) {
            delete.setObject(1, Texts.utc(cutoff));
            delete.setInt(2, batchSize);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw DatabaseException.failed("domain profiles: cleanup failed", e);
        }
    }

    private static DomainProfile read(ResultSet rows) throws SQLException {
        EnumMap<DomainTrait, Instant> traits = new EnumMap<>(DomainTrait.class);
        for (var e : COLUMN.entrySet()) {
            OffsetDateTime at = rows.getObject(e.getValue(), OffsetDateTime.class);
            if (at != null) traits.put(e.getKey(), at.toInstant());
        }
        return new DomainProfile(rows.getString("domain"), traits,
                rows.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
