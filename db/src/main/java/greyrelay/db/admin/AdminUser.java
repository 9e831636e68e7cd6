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
 */
public record AdminUser(long id, String username, String passwordHash, Instant createdAt, Instant passwordChangedAt,
        Instant lastLoginAt, boolean mustChangePassword) {

    public AdminUser {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(passwordChangedAt, "passwordChangedAt");
    }

    @Override
    public String toString() {
        return "AdminUser[id=" + id + ", username=" + username + ", createdAt=" + createdAt + ", lastLoginAt=" + lastLoginAt
                + ", mustChangePassword=" + mustChangePassword + "]";
    }
}
