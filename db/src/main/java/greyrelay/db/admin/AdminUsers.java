package greyrelay.db.admin;

import greyrelay.db.Columns;
import greyrelay.db.Database;
import greyrelay.db.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code admin_user} store: who may log in to the panel. Hashing is the caller's job (admin-ui); this store only
 * keeps the PHC strings. Usernames are compared exactly (the caller normalises them). Thread-safe.
 */
public final class AdminUsers {
    /** Longest username the table holds. */
    public static final int MAX_USERNAME = 64;

    private static final String COLUMNS = "id, username, password_hash, created_at, password_changed_at, last_login_at, must_change_password, role, local_time";

    private final Jdbc jdbc;

    public AdminUsers(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    public Optional<AdminUser> find(String username) {
        Objects.requireNonNull(username, "username");
        return jdbc.first("admin users: lookup failed", "SELECT " + COLUMNS + " FROM admin_user WHERE username = ?",
                s -> s.setString(1, username), AdminUsers::read);
    }

    /** Every user, by name. */
    public List<AdminUser> list() {
        return jdbc.list("admin users: list failed", "SELECT " + COLUMNS + " FROM admin_user ORDER BY username",
                Jdbc.NO_PARAMETERS, AdminUsers::read);
    }

    public long count() {
        return jdbc.count("admin users: count failed", "SELECT COUNT(*) FROM admin_user", Jdbc.NO_PARAMETERS);
    }

    /** Adds an admin; false (and nothing changed) when the name is taken. */
    public boolean create(String username, String passwordHash, Instant now) {
        return create(username, passwordHash, now, AdminRole.ADMIN);
    }

    /** Adds a user with this role; false (and nothing changed) when the name is taken. */
    public boolean create(String username, String passwordHash, Instant now, AdminRole role) {
        return insert("INSERT INTO admin_user (username, password_hash, created_at, password_changed_at, must_change_password, role)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", username, passwordHash, now, false, role);
    }

    /**
     * Adds the first user, only while the table is empty: false when any user exists. Several nodes starting together
     * on one PostgreSQL may race here; the unique name makes at most one of them win for the same name.
     *
     * @param mustChangePassword the password was generated: it must be changed at the first login
     */
    public boolean createFirst(String username, String passwordHash, Instant now, boolean mustChangePassword) {
        return insert("INSERT INTO admin_user (username, password_hash, created_at, password_changed_at, must_change_password, role)"
                + " SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM admin_user) ON CONFLICT DO NOTHING",
                username, passwordHash, now, mustChangePassword, AdminRole.ADMIN);
    }

    private boolean insert(String sql, String username, String passwordHash, Instant now, boolean mustChangePassword, AdminRole role) {
        requireName(username);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(now, "now");
        return jdbc.withConnection("admin users: cannot add " + username, c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, username);
                s.setString(2, passwordHash);
                s.setObject(3, Jdbc.utcOrNull(Columns.micros(now)));
                s.setObject(4, Jdbc.utcOrNull(Columns.micros(now)));
                s.setBoolean(5, mustChangePassword);
                s.setString(6, role.id());
                return s.executeUpdate() == 1;
            } catch (SQLException e) {
                if (Jdbc.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Replaces a user's password hash (a password someone chose: no longer to be changed); false when there is no such user. */
    public boolean updatePassword(String username, String passwordHash, Instant now) {
        Objects.requireNonNull(passwordHash, "passwordHash");
        return jdbc.update("admin users: cannot change the password of " + username,
                "UPDATE admin_user SET password_hash = ?, password_changed_at = ?, must_change_password = FALSE WHERE username = ?", s -> {
                    s.setString(1, passwordHash);
                    s.setObject(2, Jdbc.utcOrNull(Columns.micros(now)));
                    s.setString(3, username);
                }) == 1;
    }

    /** Users with this role. */
    public long count(AdminRole role) {
        return jdbc.count("admin users: count failed", "SELECT COUNT(*) FROM admin_user WHERE role = ?", s -> s.setString(1, role.id()));
    }

    /** Gives a user another role; false when there is no such user. */
    public boolean updateRole(String username, AdminRole role) {
        Objects.requireNonNull(role, "role");
        return jdbc.update("admin users: cannot change the role of " + username, "UPDATE admin_user SET role = ? WHERE username = ?", s -> {
            s.setString(1, role.id());
            s.setString(2, username);
        }) == 1;
    }

    /** Whether the panel shows this user's times in the browser's zone (true) or in UTC; false when there is no such user. */
    public boolean updateLocalTime(String username, boolean localTime) {
        return jdbc.update("admin users: cannot save the time display of " + username,
                "UPDATE admin_user SET local_time = ? WHERE username = ?", s -> {
                    s.setBoolean(1, localTime);
                    s.setString(2, username);
                }) == 1;
    }

    /** Notes a successful login; false when there is no such user. */
    public boolean recordLogin(String username, Instant now) {
        return jdbc.update("admin users: cannot record the login of " + username,
                "UPDATE admin_user SET last_login_at = ? WHERE username = ?", s -> {
                    s.setObject(1, Jdbc.utcOrNull(Columns.micros(now)));
                    s.setString(2, username);
                }) == 1;
    }

    /** Removes a user; false when there is no such user. */
    public boolean delete(String username) {
        return jdbc.update("admin users: cannot delete " + username, "DELETE FROM admin_user WHERE username = ?",
                s -> s.setString(1, username)) == 1;
    }

    private static void requireName(String username) {
        Objects.requireNonNull(username, "username");
        if (username.isBlank() || username.length() > MAX_USERNAME) {
            throw new IllegalArgumentException("username must be 1.." + MAX_USERNAME + " characters");
        }
    }

    private static AdminUser read(ResultSet rows) throws SQLException {
        return new AdminUser(rows.getLong("id"), rows.getString("username"), rows.getString("password_hash"),
                Jdbc.instant(rows, "created_at"), Jdbc.instant(rows, "password_changed_at"),
                Jdbc.instant(rows, "last_login_at"), rows.getBoolean("must_change_password"),
                AdminRole.stored(rows.getString("role")), rows.getBoolean("local_time"));
    }
}
