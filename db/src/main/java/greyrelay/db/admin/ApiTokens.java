package greyrelay.db.admin;

import greyrelay.db.Columns;
import greyrelay.db.Database;
import greyrelay.db.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code admin_api_token} store: tokens by name, looked up by the hash of the secret. Thread-safe. */
public final class ApiTokens {
    public static final int MAX_NAME = 64;
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String COLUMNS = "id, name, token_hash, created_by, created_at, last_used_at, role";

    private final Jdbc jdbc;

    public ApiTokens(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    /** Stores a new admin token; empty when the name (or, impossibly, the hash) is taken. */
    public Optional<ApiToken> create(String name, String tokenHash, String createdBy, Instant now) {
        return create(name, tokenHash, createdBy, now, AdminRole.ADMIN);
    }

    /** Stores a new token with this role; empty when the name (or, impossibly, the hash) is taken. */
    public Optional<ApiToken> create(String name, String tokenHash, String createdBy, Instant now, AdminRole role) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > MAX_NAME) throw new IllegalArgumentException("name must be 1.." + MAX_NAME + " characters");
        if (tokenHash == null || !HEX_SHA256.matcher(tokenHash).matches()) {
            throw new IllegalArgumentException("tokenHash must be a lower-case hex SHA-256");
        }
        String by = Columns.clean(Objects.requireNonNull(createdBy, "createdBy"), AuditEntry.MAX_ACTOR);
        return jdbc.withConnection("api tokens: cannot create " + name, c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO admin_api_token (name, token_hash, created_by, created_at, role)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", Statement.RETURN_GENERATED_KEYS)) {
                s.setString(1, name);
                s.setString(2, tokenHash);
                s.setString(3, by);
                s.setObject(4, Jdbc.utcOrNull(Columns.micros(now)));
                s.setString(5, role.id());
                if (s.executeUpdate() != 1) return Optional.empty();
                try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    return Optional.of(new ApiToken(keys.getLong(1), name, tokenHash, by, Columns.micros(now), null, role));
                }
            } catch (SQLException e) {
                if (Jdbc.isUniqueViolation(e)) return Optional.empty();
                throw e;
            }
        });
    }

    public Optional<ApiToken> findByHash(String tokenHash) {
        return findOne("token_hash = ?", tokenHash);
    }

    public Optional<ApiToken> findByName(String name) {
        return findOne("name = ?", name);
    }

    private Optional<ApiToken> findOne(String condition, String value) {
        return jdbc.first("api tokens: lookup failed", "SELECT " + COLUMNS + " FROM admin_api_token WHERE " + condition,
                s -> s.setString(1, value), ApiTokens::read);
    }

    /** Every token, by name. */
    public List<ApiToken> list() {
        return jdbc.list("api tokens: list failed", "SELECT " + COLUMNS + " FROM admin_api_token ORDER BY name",
                Jdbc.NO_PARAMETERS, ApiTokens::read);
    }

    /** Notes a use of the token (at most what the caller decides; the panel does it once a minute per token). */
    public void touch(long id, Instant now) {
        jdbc.update("api tokens: cannot record a use", "UPDATE admin_api_token SET last_used_at = ? WHERE id = ?", s -> {
            s.setObject(1, Jdbc.utcOrNull(Columns.micros(now)));
            s.setLong(2, id);
        });
    }

    /** Revokes a token by name; false when there is none. */
    public boolean delete(String name) {
        return jdbc.update("api tokens: cannot revoke " + name, "DELETE FROM admin_api_token WHERE name = ?",
                s -> s.setString(1, name)) == 1;
    }

    private static ApiToken read(ResultSet rows) throws SQLException {
        return new ApiToken(rows.getLong("id"), rows.getString("name"), rows.getString("token_hash"), rows.getString("created_by"),
                Jdbc.instant(rows, "created_at"), Jdbc.instant(rows, "last_used_at"), AdminRole.stored(rows.getString("role")));
    }
}
