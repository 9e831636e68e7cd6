package greyrelay.db.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * An API token as stored in {@code admin_api_token}: its name and a SHA-256 of the secret, never the secret itself.
 *
 * @param tokenHash   lower-case hex SHA-256 of the token text
 * @param lastUsedAt  null until first used
 * @param role        what a caller with this token may do
 */
public record ApiToken(long id, String name, String tokenHash, String createdBy, Instant createdAt, Instant lastUsedAt, AdminRole role) {
    public ApiToken {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(role, "role");
    }
}
