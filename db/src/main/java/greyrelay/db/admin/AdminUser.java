package greyrelay.db.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * One admin panel user as stored in {@code admin_user}.
 *
 * @param passwordHash  the PHC string of the password hash; never shown, never logged ({@link #toString()} hides it)
 * @param lastLoginAt   null until the first successful login
 * @param mustChangePassword the password was generated (printed once in the log) and must be changed before the panel
 *                      shows anything else
 * @param role          what the user may do
 * @param localTime     the panel shows this user's times in the browser's time zone (default: UTC)
 */
public record AdminUser(long id, String username, String passwordHash, Instant createdAt, Instant passwordChangedAt,
        Instant lastLoginAt, boolean mustChangePassword, AdminRole role, boolean localTime) {

    public AdminUser {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(passwordChangedAt, "passwordChangedAt");
        Objects.requireNonNull(role, "role");
    }

    @Override
    public String toString() {
        return "AdminUser[id=" + id + ", username=" + username + ", createdAt=" + createdAt + ", lastLoginAt=" + lastLoginAt
                + ", mustChangePassword=" + mustChangePassword + ", role=" + role.id() + ", localTime=" + localTime + "]";
    }
}
