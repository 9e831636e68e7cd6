package greyrelay.db.admin;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code admin_user} store: who may log in to the panel. Hashing is the caller's job (admin-ui); this store only
 * keeps the PHC strings. Usernames are compared exactly (the caller normalises them). Thread-safe.
 */
public final class AdminUsers {
    /** Longest username the table holds. */
    public static final int MAX_USERNAME = 64;

    private static final String COLUMNS = "id, username, password_hash, created_at, password_changed_at, last_login_at";

    private final DataSource dataSource;

    public AdminUsers(Database database) {
        this.dataSource = database.dataSource();
    }

    public Optional<AdminUser> find(String username) {
        Objects.requireNonNull(username, "username");
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM admin_user WHERE username = ?")) {
            s.setString(1, username);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw DatabaseException.failed("admin users: lookup failed", e);
        }
    }

    /** Every user, by name. */
    public List<AdminUser> list() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM admin_user ORDER BY username");
                ResultSet rows = s.executeQuery()) {
            List<AdminUser> out = new ArrayList<>();
            while (rows.next()) {
                out.add(read(rows));
            }
            return out;
        } catch (SQLException e) {
            throw DatabaseException.failed("admin users: list failed", e);
        }
    }

    public long count() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM admin_user");
                ResultSet rows = s.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw DatabaseException.failed("admin users: count failed", e);
        }
    }

    /** Adds a user; false (and nothing changed) when the name is taken. */
    public boolean create(String username, String passwordHash, Instant now) {
        return insert("INSERT INTO admin_user (username, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING", username, passwordHash, now);
    }

    /**
     * Adds the first user, only while the table is empty: false when any user exists. Several nodes starting together
     * on one PostgreSQL may race here; the unique name makes at most one of them win for the same name.
     */
    public boolean createFirst(String username, String passwordHash, Instant now) {
        return insert("INSERT INTO admin_user (username, password_hash, created_at, password_changed_at)"
                + " SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM admin_user) ON CONFLICT DO NOTHING",
                username, passwordHash, now);
    }

    private boolean insert(String sql, String username, String passwordHash, Instant now) {
        requireName(username);
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(now, "now");
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, username);
            s.setString(2, passwordHash);
            s.setObject(3, Sql.utc(now));
            s.setObject(4, Sql.utc(now));
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            if (Sql.isUniqueViolation(e)) {
                return false;
            }
            throw DatabaseException.failed("admin users: cannot add " + username, e);
        }
    }

    /** Replaces a user's password hash; false when there is no such user. */
    public boolean updatePassword(String username, String passwordHash, Instant now) {
        Objects.requireNonNull(passwordHash, "passwordHash");
        return update("UPDATE admin_user SET password_hash = ?, password_changed_at = ? WHERE username = ?", passwordHash,
                now, username, "cannot change the password of " + username);
    }

    /** Notes a successful login; false when there is no such user. */
    public boolean recordLogin(String username, Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE admin_user SET last_login_at = ? WHERE username = ?")) {
            s.setObject(1, Sql.utc(now));
            s.setString(2, username);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw DatabaseException.failed("admin users: cannot record the login of " + username, e);
        }
    }

    private boolean update(String sql, String hash, Instant now, String username, String what) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, hash);
            s.setObject(2, Sql.utc(now));
            s.setString(3, username);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw DatabaseException.failed("admin users: " + what, e);
        }
    }

    /** Removes a user; false when there is no such user. */
    public boolean delete(String username) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM admin_user WHERE username = ?")) {
            s.setString(1, username);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw DatabaseException.failed("admin users: cannot delete " + username, e);
        }
    }

    private static void requireName(String username) {
        Objects.requireNonNull(username, "username");
        if (username.isBlank() || username.length() > MAX_USERNAME) {
            throw new IllegalArgumentException("username must be 1.." + MAX_USERNAME + " characters");
        }
    }

    private static AdminUser read(ResultSet rows) throws SQLException {
        return new AdminUser(rows.getLong("id"), rows.getString("username"), rows.getString("password_hash"),
                Sql.instant(rows, "created_at"), Sql.instant(rows, "password_changed_at"), Sql.instant(rows, "last_login_at"));
    }
}
