package greyrelay.db.admin;

import greyrelay.db.Columns;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One panel session as stored in {@code admin_session}: the SHA-256 of its cookie value, never the value itself.
 *
 * @param idHash     lower-case hex SHA-256 of the cookie value
 * @param clientIp   where it was made (for the record), may be null
 * @param node       the node that made it, may be null
 * @param expiresAt  when it ends if nothing touches it (the smaller of idle timeout and maximum lifetime)
 */
public record AdminSession(String idHash, String username, String clientIp, String node, Instant createdAt, Instant lastSeenAt,
        Instant expiresAt) {
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

    public AdminSession {
        if (idHash == null || !HEX_SHA256.matcher(idHash).matches()) throw new IllegalArgumentException("idHash must be a lower-case hex SHA-256");
        Objects.requireNonNull(username, "username");
        if (username.isBlank() || username.length() > AdminUsers.MAX_USERNAME) {
            throw new IllegalArgumentException("username must be 1.." + AdminUsers.MAX_USERNAME + " characters");
        }
        clientIp = clientIp == null ? null : Columns.clean(clientIp, 64);
        node = node == null ? null : Columns.clean(node, 255);
        createdAt = Columns.micros(Objects.requireNonNull(createdAt, "createdAt"));
        lastSeenAt = Columns.micros(Objects.requireNonNull(lastSeenAt, "lastSeenAt"));
        expiresAt = Columns.micros(Objects.requireNonNull(expiresAt, "expiresAt"));
    }

    static boolean isHash(String s) {
        return s != null && HEX_SHA256.matcher(s).matches();
    }
}
