package greyrelay.db.admin;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** The {@code admin_api_token} store: tokens by name, looked up by the hash of the secret. Thread-safe. */
public final class ApiTokens {
    public static final int MAX_NAME = 64;
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String COLUMNS = "id, name, token_hash, created_by, created_at, last_used_at";

    private final DataSource dataSource;

    public ApiTokens(Database database) {
        this.dataSource = database.dataSource();
    }

    /** Stores a new token; empty when the name (or, impossibly, the hash) is taken. */
    public Optional<ApiToken> create(String name, String tokenHash, String createdBy, Instant now) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > MAX_NAME) throw new IllegalArgumentException("name must be 1.." + MAX_NAME + " characters");
        if (tokenHash == null || !HEX_SHA256.matcher(tokenHash).matches()) {
            throw new IllegalArgumentException("tokenHash must be a lower-case hex SHA-256");
        }
        String by = Sql.clean(Objects.requireNonNull(createdBy, "createdBy"), AuditEntry.MAX_ACTOR);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO admin_api_token (name, token_hash, created_by, created_at)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, name);
            s.setString(2, tokenHash);
            s.setString(3, by);
            s.setObject(4, Sql.utc(now));
            if (s.executeUpdate() != 1) return Optional.empty();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return Optional.of(new ApiToken(keys.getLong(1), name, tokenHash, by, Sql.utc(now).toInstant(), null));
            }
        } catch (SQLException e) {
            if (Sql.isUniqueViolation(e)) return Optional.empty();
            throw DatabaseException.failed("api tokens: cannot create " + name, e);
        }
    }

    public Optional<ApiToken> findByHash(String tokenHash) {
        return findOne("token_hash = ?", tokenHash);
    }

    public Optional<ApiToken> findByName(String name) {
        return findOne("name = ?", name);
    }

    private Optional<ApiToken> findOne(String condition, String value) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM admin_api_token WHERE " + condition)) {
            s.setString(1, value);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw DatabaseException.failed("api tokens: lookup failed", e);
        }
    }

    /** Every token, by name. */
    public List<ApiToken> list() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM admin_api_token ORDER BY name");
                ResultSet rows = s.executeQuery()) {
            List<ApiToken> out = new ArrayList<>();
            while (rows.next()) out.add(read(rows));
            return out;
        } catch (SQLException e) {
            throw DatabaseException.failed("api tokens: list failed", e);
        }
    }

    /** Notes a use of the token (at most what the caller decides; the panel does it once a minute per token). */
    public void touch(long id, Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE admin_api_token SET last_used_at = ? WHERE id = ?")) {
            s.setObject(1, Sql.utc(now));
            s.setLong(2, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw DatabaseException.failed("api tokens: cannot record a use", e);
        }
    }

    /** Revokes a token by name; false when there is none. */
    public boolean delete(String name) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM admin_api_token WHERE name = ?")) {
            s.setString(1, name);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw DatabaseException.failed("api tokens: cannot revoke " + name, e);
        }
    }

    private static ApiToken read(ResultSet rows) throws SQLException {
        return new ApiToken(rows.getLong("id"), rows.getString("name"), rows.getString("token_hash"), rows.getString("created_by"),
                Sql.instant(rows, "created_at"), Sql.instant(rows, "last_used_at"));
    }
}
