package greyrelay.db.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * One admin panel user as stored in {@code admin_user}.
 *
 * @param passwordHash  the PHC string of the password hash; never shown, never logged ({@link #toString()} hides it)
 * @param lastLoginAt   null until the first successful login
 */
public record AdminUser(long id, String username, String passwordHash, Instant createdAt, Instant passwordChangedAt,
        Instant lastLoginAt) {

    public AdminUser {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(passwordChangedAt, "passwordChangedAt");
    }

    @Override
    public String toString() {
        return "AdminUser[id=" + id + ", username=" + username + ", createdAt=" + createdAt + ", lastLoginAt=" + lastLoginAt
                + "]";
    }
}
